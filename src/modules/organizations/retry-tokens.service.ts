import { createHash } from 'node:crypto';
import type { ServiceDeps } from '../../platform/deps.js';
import { retryTokenReused } from './organizations.errors.js';
import { deleteRetryTokensBefore, findRetryToken, saveRetryToken } from './organizations.repo.js';

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
 * with a different request it is refused (InvalidatedRetryToken). Failures are not remembered, so a
 * retry after an error runs again. Two first uses racing both run; the first stored answer is kept.
 */
export async function replayOrRun(
  deps: ServiceDeps,
  tenantId: string,
  token: string | undefined,
  hash: string,
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (!token) return run();
  const now = deps.clock.now();
  const seen = await findRetryToken(deps.database.db, tenantId, token);
  if (seen && seen.created_at > now - RETRY_TOKEN_TTL_MS) {
    if (seen.request_hash !== hash) throw retryTokenReused();
    return JSON.parse(seen.response) as StoredResponse;
  }
  const response = await run();
  // Tokens older than 24 h are forgotten (the tenancy's own, by the primary key's prefix).
  await deleteRetryTokensBefore(deps.database.db, tenantId, now - RETRY_TOKEN_TTL_MS);
  await saveRetryToken(deps.database.db, { tenant_id: tenantId, token, request_hash: hash, response: JSON.stringify(response), created_at: now });
  return response;
}
