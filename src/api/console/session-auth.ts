import type { FastifyRequest } from 'fastify';
import type { ServiceDeps } from '../../platform/deps.js';
import { unauthenticated } from '../../platform/errors.js';
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
 * Authenticates an API request by its console session cookie. Null when there is no live session;
 * a live session on an unsafe method without its CSRF token is refused as unauthenticated, as if
 * no credential had been sent (the cookie alone proves nothing: the browser adds it to any request).
 */
export function consoleSessionAuth(deps: ServiceDeps) {
  return async (request: FastifyRequest): Promise<Principal | null> => {
    const sessionId = sessionIdOf(request);
    if (!sessionId) return null;
    const principal = await authenticateSession(deps, sessionId);
    if (!principal) return null;
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !secretsEqual(sent, csrfTokenOf(sessionId))) {
        throw unauthenticated(`A console session must send its CSRF token in the X-CSRF-Token header on ${request.method} requests.`);
      }
    }
    return principal;
  };
}
