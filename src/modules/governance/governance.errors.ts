import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';

// Error codes of the governance capability (UPPER_SNAKE, never renamed once shipped). The OCI
// dialect renders kinds with the codes of reference §7 (invalid → InvalidParameter, conflict →
// Conflict, not_found → NotAuthorizedOrNotFound); MISSING_PARAMETER and ETAG_MISMATCH are shared.

export const govNotFound = (what: string, id: string) => notFound('GOV_RESOURCE_NOT_FOUND', `no ${what} ${id} visible to this tenancy`);

export const missingParameter = (name: string) => invalid('MISSING_PARAMETER', `${name} is required`);

export const invalidTemplate = (message: string) => invalid('INVALID_GOVERNANCE_TEMPLATE', message);

export const invalidQuotaStatement = (message: string) => invalid('INVALID_QUOTA_STATEMENT', message);

/** A permanent business-rule conflict (409 Conflict, not retried by the SDK). */
export const govConflict = (message: string) => conflict('GOV_RULE_CONFLICT', message);

export const etagMismatch = () =>
  new AppError('precondition_failed', 'ETAG_MISMATCH', "The resource's etag does not match the if-match value.");

/** An ALLOWED_REGIONS rule attached to the tenancy leaves this region out. */
export const regionNotAllowed = (region: string, allowed: string[]) =>
  conflict('REGION_NOT_ALLOWED', `region ${region} is not allowed by the governance rules of this tenancy's organization (allowed: ${allowed.join(', ')})`);

/** A TAG rule attached to the tenancy refuses these tags. */
export const tagRefused = (message: string) => invalid('TAG_NOT_ALLOWED', message);

/** A QUOTA rule in force on the tenancy leaves less than the usage asked for (OCI QuotaExceeded). */
export const quotaExceeded = (message: string) => invalid('QUOTA_EXCEEDED', message);

/** The tenancy's own service limit is lower than the usage asked for (OCI LimitExceeded). */
export const serviceLimitExceeded = (message: string) => invalid('LIMIT_EXCEEDED', message);

/** Usage in a region the tenancy does not subscribe to. */
export const regionNotSubscribed = (region: string) =>
  conflict('REGION_NOT_SUBSCRIBED', `the tenancy does not subscribe to region ${region}; subscribe to it first (POST /admin/v1/tenants/{tenantId}/region-subscriptions)`);
