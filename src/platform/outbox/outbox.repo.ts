import type { Executor, Trx } from '../db/index.js';
import type { DialectCapabilities } from '../db/dialect/index.js';
import type { OutboxJobsTable } from '../db/schema.js';

export type OutboxJobRow = OutboxJobsTable;

export async function insertJob(trx: Trx, row: OutboxJobRow): Promise<void> {
  await trx.insertInto('outbox_jobs').values(row).execute();
}

export async function insertJobOnce(db: Executor, row: OutboxJobRow): Promise<void> {
  await db.insertInto('outbox_jobs').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

/** Forgets finished jobs (done or dead) that finished before `before`. */
export async function deleteFinishedJobs(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom('outbox_jobs').where('status', 'in', ['done', 'dead']).where('finished_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Claims up to `limit` due jobs for one worker with a lease. A job whose lease ran out (its worker
 * died) is due again. On PostgreSQL, SKIP LOCKED lets many workers claim side by side; the guarded
 * UPDATE makes a claim win at most once on either engine.
 */
/** Which job types a worker claims: only these, or all but these (a worker per lane, see src/worker.ts). */
export interface JobLane {
  only?: readonly string[];
  except?: readonly string[];
}

export async function claimDueJobs(
  db: Executor,
  dialect: DialectCapabilities,
  workerId: string,
  now: number,
  leaseMs: number,
  limit: number,
  lane: JobLane = {},
): Promise<OutboxJobRow[]> {
  let due = db
    .selectFrom('outbox_jobs')
    .select('id')
    .where('status', '=', 'pending')
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .$if(lane.only !== undefined, (qb) => qb.where('type', 'in', lane.only!))
    .$if(lane.except !== undefined, (qb) => qb.where('type', 'not in', lane.except!))
    .orderBy('run_at')
    .limit(limit);
  if (dialect.supportsSkipLocked) due = due.forUpdate().skipLocked();
  return db
    .updateTable('outbox_jobs')
    .set((eb) => ({ locked_by: workerId, locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .returningAll()
    .execute();
}

/** Marks claimed jobs done in one statement; returns the ids this worker still held the lease of. */
export async function completeJobs(db: Executor, ids: readonly string[], workerId: string, now: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('outbox_jobs')
    .set({ status: 'done', finished_at: now, locked_until: null, last_error: null })
    .where('id', 'in', ids)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Releases a failed job for a later retry, or buries it (status dead) when retries are used up. */
export async function failJob(
  db: Executor,
  id: string,
  workerId: string,
  error: string,
  retryAt: number | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('outbox_jobs')
    .set(
      retryAt === null
        ? { status: 'dead', finished_at: now, locked_until: null, last_error: error }
        : { run_at: retryAt, locked_until: null, last_error: error },
    )
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'pending')
    .execute();
}

export async function countPendingJobs(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('outbox_jobs')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findJob(db: Executor, id: string): Promise<OutboxJobRow | undefined> {
  return db.selectFrom('outbox_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}
