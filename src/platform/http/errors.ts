import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, HTTP_STATUS, type ErrorKind } from '../errors.js';
import { dialectOf } from './dialect.js';

const RESOLUTIONS: Record<ErrorKind, string> = {
  invalid: 'Correct the request as the message says and send it again.',
  unauthenticated: 'Send a valid bearer token in the Authorization header.',
  forbidden: 'Ask an administrator of your tenant for the access this needs.',
  not_found: 'Check the identifiers in the request.',
  conflict: 'Read the resource again and retry only if the change still applies.',
  precondition_failed: 'Read the resource again to get its current ETag.',
  rate_limited: 'Wait before sending more requests.',
  unavailable: 'Retry later.',
  internal: 'Retry later; if it persists, report the OperationId to the operator.',
};

/** OCI service codes the SDK understands, by error kind; a few codes map to their own. */
const OCI_CODES: Record<ErrorKind, string> = {
  invalid: 'InvalidParameter',
  unauthenticated: 'NotAuthenticated',
  forbidden: 'NotAuthorizedOrNotFound',
  not_found: 'NotAuthorizedOrNotFound',
  conflict: 'Conflict',
  precondition_failed: 'NoEtagMatch',
  rate_limited: 'TooManyRequests',
  unavailable: 'ServiceUnavailable',
  internal: 'InternalServerError',
};

/**
 * OCI codes (and statuses) that are more specific than the kind's default, keyed by AppError code.
 * IncorrectState is retried by SDKs configured with retries, so only transient states use it.
 */
const OCI_CODE_OVERRIDES: Record<string, { code: string; status?: number }> = {
  INCORRECT_STATE: { code: 'IncorrectState' },
  LIMIT_EXCEEDED: { code: 'LimitExceeded' },
  QUOTA_EXCEEDED: { code: 'QuotaExceeded' },
  MISSING_PARAMETER: { code: 'MissingParameter' },
  RETRY_TOKEN_REUSED: { code: 'InvalidatedRetryToken' },
  NOT_IMPLEMENTED: { code: 'NotImplemented', status: 501 },
  // An unknown route is NotFound (§7); an unknown or foreign resource stays NotAuthorizedOrNotFound.
  ROUTE_NOT_FOUND: { code: 'NotFound' },
};

const OCI_MESSAGES: Partial<Record<ErrorKind, string>> = {
  unauthenticated: 'The required information to complete authentication was not provided or was incorrect.',
  forbidden: 'Authorization failed or requested resource not found.',
  not_found: 'Authorization failed or requested resource not found.',
};

/** Renders one AppError in the envelope of the dialect the request speaks. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError, status = HTTP_STATUS[error.kind]): FastifyReply {
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  switch (dialectOf(request.url)) {
    case 'ocs':
      return reply
        .status(status)
        .header('operation-id', request.id)
        .send({
          OperationId: request.id,
          Error: error.message,
          Reason: error.code,
          Resolution: (error.details?.resolution as string | undefined) ?? RESOLUTIONS[error.kind],
        });
    case 'oci': {
      // OCI does not tell "forbidden" from "not found" (NotAuthorizedOrNotFound, 404).
      const override = OCI_CODE_OVERRIDES[error.code];
      const ociStatus = override?.status ?? (error.kind === 'forbidden' ? 404 : status);
      return reply.status(ociStatus).send({ code: override?.code ?? OCI_CODES[error.kind], message: (!override && OCI_MESSAGES[error.kind]) || error.message });
    }
    case 'oauth': {
      // OAuth2 error codes are lower-case (RFC 6749 §5.2); anything else maps to the nearest one.
      const fallback = error.kind === 'invalid' ? 'invalid_request' : error.kind === 'unauthenticated' ? 'invalid_client' : 'server_error';
      return reply.status(status).send({ error: /^[a-z_]+$/.test(error.code) ? error.code : fallback, error_description: error.message });
    }
    case 'admin':
      return reply.status(status).send({ code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
  }
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: PropertyKey[]; message?: string } };
}

function describeValidation(error: FastifyError): string {
  const where = error.validationContext ?? 'request';
  const issues = (error.validation ?? []) as ValidationIssue[];
  const parts = issues.map((issue) => {
    const path = issue.params?.issue?.path?.map(String).join('.') || issue.instancePath?.replace(/^\//, '').replace(/\//g, '.') || '';
    return `${where}${path ? `.${path}` : ''}: ${issue.params?.issue?.message ?? issue.message ?? 'is invalid'}`;
  });
  return parts.length ? parts.join('; ') : error.message;
}

function onlyMissing(error: FastifyError): boolean {
  const issues = (error.validation ?? []) as ValidationIssue[];
  return issues.length > 0 && issues.every((issue) => /received undefined/.test(issue.params?.issue?.message ?? issue.message ?? ''));
}

/** Anything thrown becomes an envelope; unknown errors are a generic 500 with details only in the log. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.kind === 'internal') request.log.error({ err: error }, 'internal error');
      return sendError(request, reply, error);
    }
    if ((error as FastifyError).validation) {
      // OCI tells a missing required field (MissingParameter) from a malformed one (InvalidParameter).
      const code = dialectOf(request.url) === 'oci' && onlyMissing(error as FastifyError) ? 'MISSING_PARAMETER' : 'INVALID_REQUEST';
      return sendError(request, reply, new AppError('invalid', code, describeValidation(error as FastifyError)));
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const kind: ErrorKind = status === 401 ? 'unauthenticated' : status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'invalid';
      return sendError(request, reply, new AppError(kind, (error as FastifyError).code ?? 'INVALID_REQUEST', error.message), status);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, new AppError('internal', 'INTERNAL_ERROR', 'The service failed to process the request.'));
  });
}

/**
 * Errors the router raises before any route or hook runs (malformed percent-encoding, a path
 * segment longer than the router takes): in the dialect's envelope too, not Fastify's own body.
 */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('opc-request-id', request.id);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    sendError(request, reply, new AppError('invalid', 'PATH_SEGMENT_TOO_LONG', 'a path segment of the request is too long for any identifier'), 414);
    return;
  }
  sendError(request, reply, new AppError('invalid', 'INVALID_URL', 'the request path is not a valid URL (malformed percent-encoding)'), 400);
}
