import { createHash } from 'node:crypto';
import type { ServiceDeps } from '../../platform/deps.js';
import { incorrectState, retryTokenReused } from './organizations.errors.js';
import { claimRetryToken, completeRetryToken, deleteRetryTokensBefore, findRetryToken, releaseRetryToken } from './organizations.repo.js';

const RETRY_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** What a retried request gets back: the first answer's status, headers and body. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const requestHash = (method: string, path: string, body: Buffer | undefined) =>
  createHash('sha256').update(`${method} ${path}\n`).update(body ?? Buffer.alloc(0)).digest('hex');

/**
 * opc-retry-token (24 h): the same token with the same request replays the first successful answer;
 * with a different request it is refused (InvalidatedRetryToken). The token is claimed (a row with an
 * empty answer) before the operation runs, so of two first uses racing only one runs; the other is
 * told to retry (IncorrectState) while the first is in flight. A failure releases the token, so a
 * retry after an error runs again.
 */
export async function replayOrRun(
  deps: ServiceDeps,
  tenantId: string,
  token: string | undefined,
  hash: string,
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (!token) return run();
  const db = deps.database.db;
  const now = deps.clock.now();
  // Tokens older than 24 h are forgotten (the tenancy's own, by the primary key's prefix).
  await deleteRetryTokensBefore(db, tenantId, now - RETRY_TOKEN_TTL_MS);
  if (!(await claimRetryToken(db, { tenant_id: tenantId, token, request_hash: hash, response: '', created_at: now }))) {
    const seen = await findRetryToken(db, tenantId, token);
    if (seen && seen.request_hash !== hash) throw retryTokenReused();
    if (!seen || seen.response === '') throw incorrectState('a request with this opc-retry-token is still being processed; retry shortly');
    return JSON.parse(seen.response) as StoredResponse;
  }
  let response: StoredResponse;
  try {
    response = await run();
  } catch (error) {
    await releaseRetryToken(db, tenantId, token);
    throw error;
  }
  await completeRetryToken(db, tenantId, token, JSON.stringify(response));
  return response;
}
