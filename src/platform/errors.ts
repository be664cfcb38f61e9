export const ERROR_KINDS = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'precondition_failed',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The one error type use cases throw; each dialect renders it in its own envelope. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError('invalid', code, message, details);
export const notFound = (code: string, message: string) => new AppError('not_found', code, message);
export const conflict = (code: string, message: string) => new AppError('conflict', code, message);
export const forbidden = (code: string, message: string) => new AppError('forbidden', code, message);
/** 429: the caller may try again after `retryAfterSeconds` (sent as the Retry-After header). */
export const rateLimited = (code: string, message: string, retryAfterSeconds: number) =>
  new AppError('rate_limited', code, message, { retryAfterSeconds });
export const unauthenticated = (message = 'The request carries no valid credentials.') =>
  new AppError('unauthenticated', 'NOT_AUTHENTICATED', message);

export const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};
