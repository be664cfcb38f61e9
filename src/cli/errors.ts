/**
 * Exit codes of `tenantry <cmd>`. Scripts branch on them, so they never change meaning:
 * a usage mistake, bad credentials, a missing resource and any other service refusal each have
 * their own code.
 */
export const EXIT = {
  ok: 0,
  /** A bug or an unexpected failure in the CLI itself. */
  internal: 1,
  /** The command line was wrong: unknown command or option, missing or malformed value. */
  usage: 2,
  /** Credentials are missing, unreadable or refused (401/403, no profile, no key file). */
  auth: 3,
  /** The service answered 404. */
  notFound: 4,
  /** Any other error answer of the service (400, 409, 412, 429, 5xx…), or a failed work request. */
  service: 5,
  /** The service could not be reached. */
  connection: 6,
  /** --wait-for-state gave up after --max-wait-seconds. */
  timeout: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports and exits on; `details` is printed as JSON after the message. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message);
export const authError = (message: string) => new CliError(EXIT.auth, message);

/** The error of a non-2xx answer, in one shape whatever envelope the dialect used. */
export function serviceError(status: number, body: unknown, requestIds: Record<string, string>, target: string): CliError {
  const b = (body ?? {}) as Record<string, unknown>;
  // OCI and the operator API: {code, message}; OCS: {OperationId, Error, Reason, Resolution}.
  const code = String(b.code ?? b.Reason ?? statusText(status));
  const message = String(b.message ?? b.Error ?? (typeof body === 'string' && body ? body : statusText(status)));
  const exitCode = status === 401 || status === 403 ? EXIT.auth : status === 404 ? EXIT.notFound : EXIT.service;
  const details: Record<string, unknown> = { status, code, message, target, ...requestIds };
  if (b.Resolution) details.resolution = b.Resolution;
  return new CliError(exitCode, 'ServiceError', details);
}

function statusText(status: number): string {
  const texts: Record<number, string> = { 400: 'BadRequest', 401: 'NotAuthenticated', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 412: 'PreconditionFailed', 429: 'TooManyRequests', 500: 'InternalServerError', 501: 'NotImplemented', 503: 'ServiceUnavailable' };
  return texts[status] ?? `HTTP${status}`;
}
