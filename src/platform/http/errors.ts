import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, HTTP_STATUS, type ErrorKind } from '../errors.js';
import { dialectOf, type Dialect } from './dialect.js';

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
  METHOD_NOT_ALLOWED: { code: 'MethodNotAllowed', status: 405 },
};

const OCI_MESSAGES: Partial<Record<ErrorKind, string>> = {
  unauthenticated: 'The required information to complete authentication was not provided or was incorrect.',
  forbidden: 'Authorization failed or requested resource not found.',
  not_found: 'Authorization failed or requested resource not found.',
};

/** One AppError as a dialect's error answer: status, extra headers and body. */
function envelope(dialect: Dialect, error: AppError, requestId: string, status: number): { status: number; headers: Record<string, string>; body: object } {
  const headers: Record<string, string> = {};
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  switch (dialect) {
    case 'ocs':
      headers['operation-id'] = requestId;
      return {
        status,
        headers,
        body: {
          OperationId: requestId,
          Error: error.message,
          Reason: error.code,
          Resolution: (error.details?.resolution as string | undefined) ?? RESOLUTIONS[error.kind],
        },
      };
    case 'oci': {
      // OCI does not tell "forbidden" from "not found" (NotAuthorizedOrNotFound, 404).
      const override = OCI_CODE_OVERRIDES[error.code];
      const ociStatus = override?.status ?? (error.kind === 'forbidden' ? 404 : status);
      return { status: ociStatus, headers, body: { code: override?.code ?? OCI_CODES[error.kind], message: (!override && OCI_MESSAGES[error.kind]) || error.message } };
    }
    case 'oauth': {
      // OAuth2 error codes are lower-case (RFC 6749 §5.2); anything else maps to the nearest one.
      const fallback = error.kind === 'invalid' ? 'invalid_request' : error.kind === 'unauthenticated' ? 'invalid_client' : 'server_error';
      return { status, headers, body: { error: /^[a-z_]+$/.test(error.code) ? error.code : fallback, error_description: error.message } };
    }
    case 'admin':
      return { status, headers, body: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  }
}

/** Renders one AppError in the envelope of the dialect the request speaks. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError, status = HTTP_STATUS[error.kind]): FastifyReply {
  const answer = envelope(dialectOf(request.url), error, request.id, status);
  return reply.status(answer.status).headers(answer.headers).send(answer.body);
}

/**
 * A request Node's HTTP parser refused (headers too large, malformed, too slow) never reaches
 * Fastify: it is answered here, in the envelope of the dialect its request line names, and with
 * `Connection: close`, since the socket is closed after it (Fastify's default omits the header, so a
 * keep-alive client would send its next request into a closed socket).
 */
export function clientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431 ? 'the request headers are larger than the server accepts' : status === 408 ? 'the request was not received in time' : 'the request is not valid HTTP';
  // Node hands over the bytes it could not parse (a Buffer, whatever Fastify's type says).
  const raw: unknown = error.rawPacket;
  const packet = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  const [, method = '', target = '/'] = /^([A-Za-z]+) (\S+)/.exec(packet.toString('latin1', 0, 8192)) ?? [];
  const requestId = randomUUID().replace(/-/g, '').toUpperCase();
  const answer = envelope(dialectOf(target), new AppError('invalid', status === 431 ? 'HEADERS_TOO_LARGE' : status === 408 ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST', message), requestId, status);
  const body = JSON.stringify(answer.body);
  const headers = Object.entries({ ...answer.headers, 'opc-request-id': requestId }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  // An answer to HEAD carries no body: its client would read the bytes as a next answer.
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${headers}connection: close\r\n\r\n${method.toUpperCase() === 'HEAD' ? '' : body}`);
  } else {
    socket.destroy();
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
