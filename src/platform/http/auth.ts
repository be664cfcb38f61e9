import type { KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { unauthenticated } from '../errors.js';
import { OPERATOR, type Principal } from '../principal.js';
import { secretsEqual } from '../secrets.js';
import { verifyOciSignature } from './oci-signature.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The authenticated caller; routes behind an auth hook always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

export function operatorAuth(operatorToken: string) {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request);
    if (!token || !secretsEqual(token, operatorToken)) throw unauthenticated('The operator API needs Authorization: Bearer <operator token>.');
    request.principal = OPERATOR;
  };
}

/**
 * A second way in for browsers: a session cookie, tried only when the request sends no
 * Authorization header. Null when there is no live session; it throws when the session's request
 * is not acceptable (an unsafe method without the session's CSRF token).
 */
export type SessionAuth = (request: FastifyRequest) => Promise<Principal | null>;

async function bySession(request: FastifyRequest, session?: SessionAuth): Promise<boolean> {
  if (!session || request.headers.authorization !== undefined) return false;
  const principal = await session(request);
  if (principal) request.principal = principal;
  return principal !== null;
}

export function bearerAuth(resolve: (token: string) => Promise<Principal | null>, session?: SessionAuth) {
  return async (request: FastifyRequest) => {
    if (await bySession(request, session)) return;
    const token = bearerToken(request);
    const principal = token ? await resolve(token) : null;
    if (!principal) throw unauthenticated('Send Authorization: Bearer <access token>; the token given is missing, unknown or expired.');
    request.principal = principal;
  };
}

/** OCI HTTP-signature authentication (reference §9); the raw body must be parsed already. */
export function ociSignatureAuth(
  findKey: (keyId: string) => Promise<{ publicKey: KeyObject | string; principal: Principal } | null>,
  clock: Clock,
  session?: SessionAuth,
) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (await bySession(request, session)) return;
    const keyId = /keyId="([^"]*)"/.exec(request.headers.authorization ?? '')?.[1];
    const key = keyId ? await findKey(keyId) : null;
    const check = verifyOciSignature(
      { method: request.method, target: request.raw.url ?? request.url, headers: request.headers, body: request.rawBody ?? Buffer.alloc(0) },
      (id) => (key && id === keyId ? key.publicKey : undefined),
      clock.now(),
    );
    if (!check.ok || !key) {
      request.log.info({ reason: check.ok ? 'unknown key' : check.reason }, 'OCI signature refused');
      throw unauthenticated();
    }
    request.principal = key.principal;
  };
}
