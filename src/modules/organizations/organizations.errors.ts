import { AppError, conflict, invalid, notFound, rateLimited } from '../../platform/errors.js';

// Error codes of the organizations capability (UPPER_SNAKE, never renamed once shipped). The OCI
// dialect renders them with the codes of reference §7 (see OCI_CODE_OVERRIDES in platform/http).

/** Another tenancy's resource, or none at all: the caller cannot tell which (NotAuthorizedOrNotFound). */
export const orgNotFound = (what: string, id: string) => notFound('ORG_RESOURCE_NOT_FOUND', `no ${what} ${id} visible to this tenancy`);

/** A permanent business-rule conflict (409 Conflict, not retried by the SDK). */
export const ruleConflict = (message: string) => conflict('ORG_RULE_CONFLICT', message);

/** The resource is in a state that will change by itself (a work request is running): 409 IncorrectState. */
export const incorrectState = (message: string) => new AppError('conflict', 'INCORRECT_STATE', message);

export const limitExceeded = (message: string) => invalid('LIMIT_EXCEEDED', message);

export const missingParameter = (name: string) => invalid('MISSING_PARAMETER', `${name} is required`);

export const invalidParameter = (message: string) => invalid('INVALID_PARAMETER', message);

export const etagMismatch = () =>
  new AppError('precondition_failed', 'ETAG_MISMATCH', "The resource's etag does not match the if-match value.");

export const retryTokenReused = (header = 'opc-retry-token') =>
  new AppError('conflict', 'RETRY_TOKEN_REUSED', `The ${header} was already used for a different request; send a new one.`);

export const notImplemented = (operation: string) =>
  new AppError('unavailable', 'NOT_IMPLEMENTED', `${operation} is not implemented by this service.`);

export const tooManyInvitations = (cap: number, retryAfterSeconds: number) =>
  rateLimited(
    'TOO_MANY_INVITATIONS',
    `this tenancy already sent ${cap} invitations (organization and community invitations together) in the last 24 hours; try again in ${retryAfterSeconds} s`,
    retryAfterSeconds,
  );
