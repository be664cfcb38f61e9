import type { Executor, Trx } from '../db/index.js';
import { newGuid } from '../ids.js';
import { insertJob, insertJobOnce } from './outbox.repo.js';

export interface OutboxJob<P = unknown> {
  id: string;
  type: string;
  payload: P;
  attempts: number;
}

export interface NewJob {
  type: string;
  payload: unknown;
  /** Run no earlier than this (epoch ms); default now. */
  runAt?: number;
}

/**
 * Writes a job in the caller's transaction: it exists exactly when the state change that asked
 * for it committed. Returns the job id (handlers use it as their idempotency key).
 */
export async function enqueue(trx: Trx, now: number, job: NewJob): Promise<string> {
  const id = newGuid(now);
  await insertJob(trx, newRow(id, now, job));
  return id;
}

/**
 * Queues a job under a fixed id unless one with that id exists: workers of many processes can
 * all schedule the same periodic job and it runs once.
 */
export async function enqueueOnce(db: Executor, now: number, id: string, job: NewJob): Promise<void> {
  await insertJobOnce(db, newRow(id, now, job));
}

function newRow(id: string, now: number, job: NewJob) {
  return {
    id,
    type: job.type,
    payload: JSON.stringify(job.payload),
    status: 'pending',
    attempts: 0,
    run_at: job.runAt ?? now,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    finished_at: null,
  };
}
