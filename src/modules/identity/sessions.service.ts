import { createHash } from 'node:crypto';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { rateLimited, unauthenticated } from '../../platform/errors.js';
import { createRateLimiter } from '../../platform/http/rate-limit.js';
import type { Principal } from '../../platform/principal.js';
import { hashSecret, newSecret } from '../../platform/secrets.js';
import { recordChange } from '../audit/audit.service.js';
import { getTenantOrThrow } from '../tenants/tenants.service.js';
import * as identityRepo from './identity.repo.js';
import { hashPassword, verifyPassword } from './passwords.js';
import * as repo from './sessions.repo.js';

/** How long a console session lives from sign-in; signing in again starts a new one. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface ConsoleSession {
  user: { id: string; ocid: string; email: string; name: string };
  tenant: { id: string; ocid: string; name: string; homeRegion: string; subscriptionId: string; subscriptionType: string };
  expiresAt: string;
  /** Sent back in the X-CSRF-Token header on every unsafe request of the session. */
  csrfToken: string;
}

export type SignInResult =
  | { kind: 'signed-in'; sessionId: string; session: ConsoleSession }
  /** The email and password match users of several tenants: the caller picks one and signs in again. */
  | { kind: 'choose-tenant'; tenants: { id: string; name: string }[] };

/**
 * The CSRF token of a session: derived from the (secret) session id, so it needs no storage and
 * only someone who holds the session cookie's value can know it.
 */
export function csrfTokenOf(sessionId: string): string {
  return createHash('sha256').update(`tenantry-console-csrf:${sessionId}`).digest('base64url');
}

// A user that does not exist still costs one argon2 verification, so the answer time does not
// tell which emails have accounts.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword(newSecret()));

const wrongCredentials = () => unauthenticated('The email or the password is wrong.');

/**
 * Sign-in throttling, in process memory like TENANTRY_RATE_LIMIT; past it 429 with Retry-After,
 * whether the password is right or not. Per client address every attempt takes a token (a password
 * check is an argon2 hash, so this bounds the CPU one client can burn). Per email every attempt
 * takes one too, so that no more than ten run at once, and a successful one gives it back: ten wrong
 * passwords in a row lock the email out, one more attempt a minute after that, while a user who
 * signs in correctly is never counted.
 */
const SIGN_IN_PER_ADDRESS = { perSecond: 1, burst: 100 };
const FAILED_SIGN_INS_PER_EMAIL = { perSecond: 1 / 60, burst: 10 };
type RateLimiter = ReturnType<typeof createRateLimiter>;
const signInLimits = new WeakMap<object, { perAddress: RateLimiter; failuresPerEmail: RateLimiter }>();

function signInLimitsOf(deps: ServiceDeps) {
  let limits = signInLimits.get(deps.database);
  if (!limits) signInLimits.set(deps.database, (limits = { perAddress: createRateLimiter(SIGN_IN_PER_ADDRESS), failuresPerEmail: createRateLimiter(FAILED_SIGN_INS_PER_EMAIL) }));
  return limits;
}

function throttleSignIn(deps: ServiceDeps, email: string, address: string | undefined): void {
  const limits = signInLimitsOf(deps);
  const wait = Math.max(address === undefined ? 0 : limits.perAddress.take(address), limits.failuresPerEmail.take(email));
  if (wait > 0) throw rateLimited('TOO_MANY_SIGN_INS', `too many sign-in attempts; retry in ${wait} s`, wait);
}

/** `address`: the client's, when signing in over HTTP (throttled per address too). */
export async function signIn(deps: ServiceDeps, input: { email: string; password: string; tenantId?: string }, address?: string): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  throttleSignIn(deps, email, address);
  const result = await checkCredentials(deps, email, input);
  signInLimitsOf(deps).failuresPerEmail.refund(email);
  return result;
}

async function checkCredentials(deps: ServiceDeps, email: string, input: { password: string; tenantId?: string }): Promise<SignInResult> {
  const candidates = (await identityRepo.findUsersByEmail(deps.database.db, email)).filter((u) => u.password_hash !== null);
  if (candidates.length === 0) {
    await verifyPassword(await decoy(), input.password);
    throw wrongCredentials();
  }
  const matching = [];
  for (const user of candidates) if (await verifyPassword(user.password_hash!, input.password)) matching.push(user);
  if (matching.length === 0) throw wrongCredentials();
  const chosen = input.tenantId === undefined ? (matching.length === 1 ? matching[0] : undefined) : matching.find((u) => u.tenant_id === input.tenantId);
  if (!chosen) {
    if (input.tenantId !== undefined) throw wrongCredentials();
    const tenants = await Promise.all(matching.map(async (u) => ({ id: u.tenant_id, name: (await getTenantOrThrow(deps, u.tenant_id)).name })));
    return { kind: 'choose-tenant', tenants: tenants.sort((a, b) => a.name.localeCompare(b.name)) };
  }
  const tenant = await getTenantOrThrow(deps, chosen.tenant_id);
  const sessionId = newSecret();
  const actor: Principal = { type: 'user', id: chosen.id, tenantId: chosen.tenant_id };
  const expiresAt = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    await repo.deleteExpiredSessionsOfUser(trx, chosen.id, now);
    await repo.insertSession(trx, { id_hash: hashSecret(sessionId), tenant_id: chosen.tenant_id, user_id: chosen.id, created_at: now, expires_at: now + SESSION_TTL_MS });
    await recordChange(trx, actor, now, {
      tenantId: chosen.tenant_id,
      action: 'console-session.create',
      resourceType: 'ConsoleSession',
      resourceId: chosen.id,
      after: { userId: chosen.id, expiresAt: new Date(now + SESSION_TTL_MS).toISOString() },
    });
    return now + SESSION_TTL_MS;
  });
  return {
    kind: 'signed-in',
    sessionId,
    session: {
      user: { id: chosen.id, ocid: chosen.ocid, email: chosen.email, name: chosen.name },
      tenant: {
        id: tenant.id,
        ocid: tenant.ocid,
        name: tenant.name,
        homeRegion: tenant.homeRegion,
        subscriptionId: tenant.subscriptionId,
        subscriptionType: tenant.subscriptionType,
      },
      expiresAt: new Date(expiresAt).toISOString(),
      csrfToken: csrfTokenOf(sessionId),
    },
  };
}

/** The principal a live session acts as, or null when the session is unknown or expired. */
export async function authenticateSession(deps: ServiceDeps, sessionId: string): Promise<Principal | null> {
  const row = await repo.findLiveSession(deps.database.db, hashSecret(sessionId), deps.clock.now());
  return row ? { type: 'user', id: row.user_id, tenantId: row.tenant_id } : null;
}

export async function getSession(deps: ServiceDeps, sessionId: string): Promise<ConsoleSession | null> {
  const row = await repo.findLiveSession(deps.database.db, hashSecret(sessionId), deps.clock.now());
  if (!row) return null;
  const user = await identityRepo.findUserById(deps.database.db, row.user_id);
  if (!user) return null;
  const tenant = await getTenantOrThrow(deps, row.tenant_id);
  return {
    user: { id: user.id, ocid: user.ocid, email: user.email, name: user.name },
    tenant: { id: tenant.id, ocid: tenant.ocid, name: tenant.name, homeRegion: tenant.homeRegion, subscriptionId: tenant.subscriptionId, subscriptionType: tenant.subscriptionType },
    expiresAt: new Date(row.expires_at).toISOString(),
    csrfToken: csrfTokenOf(sessionId),
  };
}

/** Ends a session (sign-out). Signing out of an unknown or expired session changes nothing. */
export async function signOut(deps: ServiceDeps, sessionId: string): Promise<void> {
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const row = await repo.deleteSession(trx, hashSecret(sessionId));
    if (!row) return;
    await recordChange(trx, { type: 'user', id: row.user_id, tenantId: row.tenant_id }, now, {
      tenantId: row.tenant_id,
      action: 'console-session.delete',
      resourceType: 'ConsoleSession',
      resourceId: row.user_id,
    });
  });
}

/** Expired console sessions are useless; housekeeping forgets them. */
export async function forgetExpiredSessions(deps: ServiceDeps): Promise<void> {
  await repo.deleteExpiredSessions(deps.database.db, deps.clock.now());
}
