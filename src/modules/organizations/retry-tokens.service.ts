import { createHash } from 'node:crypto';
import type { Trx } from '../../platform/db/index.js';
import { withBeforeCommit } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { incorrectState, retryTokenReused, ruleConflict } from './organizations.errors.js';
import {
  claimRetryToken,
  deleteRetryTokensBefore,
  completeRetryToken,
  forgetRetryTokenUsedBefore,
  findRetryToken,
  markRetryTokenCommitted,
  releaseRetryToken,
  takeOverRetryToken,
} from './organizations.repo.js';

const RETRY_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** The answer column of a claim whose operation committed but whose answer is not stored yet. */
const COMMITTED = 'committed';

/** What a retried request gets back: the first answer's status, headers and body. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const requestHash = (method: string, path: string, body: Buffer | undefined) =>
  createHash('sha256').update(`${method} ${path}\n`).update(body ?? Buffer.alloc(0)).digest('hex');

/** Housekeeping: forgets the tokens of every tenant used more than 24 h ago. */
export async function forgetExpiredRetryTokens(deps: ServiceDeps): Promise<void> {
  await deleteRetryTokensBefore(deps.database.db, deps.clock.now() - RETRY_TOKEN_TTL_MS);
}

/**
 * opc-retry-token (24 h): the same token with the same request replays the first successful answer;
 * with a different request it is refused (InvalidatedRetryToken). The token is claimed (a row with an
 * empty answer) before the operation runs, so of two first uses racing only one runs; the other is
 * told to retry (IncorrectState) while the first is in flight. A failure releases the token, so a
 * retry after an error runs again.
 *
 * A request can die with its process (SIGKILL) holding the claim. Every transaction of the operation
 * marks the claim committed in that same transaction, fenced by the claim's time: so a claim still
 * empty after the worker lease (TENANTRY_WORKER_LEASE) belongs to an operation that committed
 * nothing, and a retry takes it over and runs it; should the first request still be alive, its
 * transaction finds the fence moved and rolls back. A claim marked committed whose answer was
 * never stored is answered 409 Conflict: the operation happened once, read the resource.
 */
export async function replayOrRun(
  deps: ServiceDeps,
  tenantId: string,
  token: string | undefined,
  hash: string,
  run: () => Promise<StoredResponse>,
  /** The header the token came in, for the messages (the OCS dialect sends an Idempotency-Key). */
  header = 'opc-retry-token',
): Promise<StoredResponse> {
  if (!token) return run();
  const db = deps.database.db;
  const now = deps.clock.now();
  const claim = () => claimRetryToken(db, { tenant_id: tenantId, token, request_hash: hash, response: '', created_at: now });
  // A token used more than 24 h ago is new again (housekeeping deletes old ones hourly).
  let claimed = await claim();
  if (!claimed) {
    await forgetRetryTokenUsedBefore(db, tenantId, token, now - RETRY_TOKEN_TTL_MS);
    claimed = await claim();
  }
  if (!claimed) {
    const seen = await findRetryToken(db, tenantId, token);
    if (seen && seen.request_hash !== hash) throw retryTokenReused(header);
    if (seen && seen.response !== '' && seen.response !== COMMITTED) return JSON.parse(seen.response) as StoredResponse;
    const abandoned = seen !== undefined && seen.created_at < now - deps.config.workerLeaseMs;
    if (abandoned && seen.response === COMMITTED) {
      throw ruleConflict(`the request with this ${header} was carried out, but its answer was lost when the service stopped; read the resource instead of retrying`);
    }
    if (!abandoned || !(await takeOverRetryToken(db, tenantId, token, seen.created_at, now))) {
      throw incorrectState(`a request with this ${header} is still being processed; retry shortly`);
    }
  }
  let finished = false;
  const fence = async (trx: Trx) => {
    // Work the operation leaves behind (a worker woken in its context) is not part of it.
    if (finished) return;
    if (!(await markRetryTokenCommitted(trx, tenantId, token, now, COMMITTED))) {
      throw incorrectState(`another request with this ${header} took it over; retry to read its answer`);
    }
  };
  let response: StoredResponse;
  try {
    response = await withBeforeCommit(fence, run);
  } catch (error) {
    finished = true;
    await releaseRetryToken(db, tenantId, token, now);
    throw error;
  }
  finished = true;
  await completeRetryToken(db, tenantId, token, now, JSON.stringify(response));
  return response;
}
