import type { FastifyRequest } from 'fastify';
import type { ServiceDeps } from '../../platform/deps.js';
import { AppError, unauthenticated } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { secretsEqual } from '../../platform/secrets.js';
import { authenticateSession, csrfTokenOf } from '../../modules/identity/sessions.service.js';

/** The console's session cookie: HttpOnly, SameSite=Strict, Path=/ (the console calls every API). */
export const SESSION_COOKIE = 'tenantry_session';
/** Unsafe requests of a session carry its CSRF token in this header (a cross-site form cannot). */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionIdOf(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return value && value.length <= 200 ? value : undefined;
}

/**
 * Whether a browser says another site's page sent this request: `Sec-Fetch-Site: cross-site`, or an
 * `Origin` that is neither this host nor TENANTRY_PUBLIC_URL (`null` included). Pages cannot forge
 * either header, so this refuses a forged request even if its CSRF token leaked; clients other than
 * browsers send neither.
 */
export function fromAnotherSite(request: FastifyRequest, publicOrigin: string): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined || origin === publicOrigin) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

const crossSiteRefused = () =>
  new AppError('forbidden', 'CROSS_SITE_REQUEST', "A console session's changes must come from the console's own pages.", {
    resolution: 'Make the change in the console itself (TENANTRY_PUBLIC_URL/console); pages of other sites cannot act with its session.',
  });

/**
 * Authenticates an API request by its console session cookie. Null when there is no live session;
 * a live session on an unsafe method without its CSRF token is refused as unauthenticated, as if
 * no credential had been sent (the cookie alone proves nothing: the browser adds it to any request),
 * and one another site's page sent is forbidden.
 */
export function consoleSessionAuth(deps: ServiceDeps) {
  const publicOrigin = new URL(deps.config.publicUrl).origin;
  return async (request: FastifyRequest): Promise<Principal | null> => {
    const sessionId = sessionIdOf(request);
    if (!sessionId) return null;
    const principal = await authenticateSession(deps, sessionId);
    if (!principal) return null;
    if (!SAFE_METHODS.has(request.method)) {
      if (fromAnotherSite(request, publicOrigin)) throw crossSiteRefused();
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !secretsEqual(sent, csrfTokenOf(sessionId))) {
        throw unauthenticated(`A console session must send its CSRF token in the X-CSRF-Token header on ${request.method} requests.`);
      }
    }
    return principal;
  };
}
