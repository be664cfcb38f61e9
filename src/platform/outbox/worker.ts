import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { newGuid } from '../ids.js';
import { servedFirstOnSqlite } from '../db/sqlite-dialect.js';
import type { Logger } from '../log.js';
import type { OutboxJob } from './outbox.js';
import { claimDueJobs, completeJobs, failJob, type JobLane } from './outbox.repo.js';

/** A handler must be idempotent on job.id: the worker is at-least-once. */
export type JobHandler = (job: OutboxJob) => Promise<void>;

export interface WorkerOptions {
  database: Database;
  clock: Clock;
  log: Logger;
  handlers: ReadonlyMap<string, JobHandler>;
  pollMs: number;
  leaseMs: number;
  batchSize?: number;
  maxAttempts?: number;
  /**
   * Job types whose handlers may run side by side within a claimed batch (I/O-bound ones such as
   * sending mail); every other job of the batch runs alone, in claim order.
   */
  concurrentTypes?: ReadonlySet<string>;
  /** The job types this worker claims (default: all). */
  lane?: JobLane;
}

export interface Worker {
  start(): void;
  /** Wakes the worker now (after an in-process enqueue) instead of at the next poll. */
  wake(): void;
  /** Runs every due job once; returns how many were processed. Tests drive the worker with it. */
  drain(): Promise<number>;
  /** Stops polling and waits for the job in hand to finish. */
  stop(): Promise<void>;
}

/** Workers side by side as one: each wakes, drains and stops with the others. */
export function workerGroup(workers: readonly Worker[]): Worker {
  return {
    start: () => workers.forEach((w) => w.start()),
    wake: () => workers.forEach((w) => w.wake()),
    async drain() {
      // A job of one lane may queue one of another (a work request its email): until all are idle.
      let total = 0;
      for (;;) {
        let round = 0;
        for (const w of workers) round += await w.drain();
        if (round === 0) return total;
        total += round;
      }
    },
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}

/** Exponential backoff: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 300_000);
}

export function createWorker(options: WorkerOptions): Worker {
  const { database, clock, log, handlers, pollMs, leaseMs } = options;
  const batchSize = options.batchSize ?? 10;
  const maxAttempts = options.maxAttempts ?? 10;
  const concurrentTypes = options.concurrentTypes ?? new Set<string>();
  const workerId = `${hostname()}:${process.pid}:${newGuid()}`;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let again = false;
  let busy = false;
  // Polls run in the context the worker was made in, not in that of the request that woke it
  // (request-scoped hooks, such as an opc-retry-token's, are no part of a job).
  const outside = AsyncLocalStorage.snapshot();
  let stopping = false;

  type Claimed = Awaited<ReturnType<typeof claimDueJobs>>[number];

  /** Runs one job; true when its handler succeeded (the batch marks it done), else it is failed here. */
  async function runOne(row: Claimed): Promise<boolean> {
    const job: OutboxJob = { id: row.id, type: row.type, payload: JSON.parse(row.payload), attempts: row.attempts };
    const handler = handlers.get(job.type);
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      await handler(job);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = job.attempts >= maxAttempts ? null : clock.now() + retryDelayMs(job.attempts);
      const jobLog = log.child({ jobId: job.id, jobType: job.type, attempt: job.attempts });
      jobLog.warn({ err: error, retryAt }, retryAt === null ? 'job failed for good' : 'job failed; will retry');
      await failJob(database.db, job.id, workerId, message.slice(0, 2000), retryAt, clock.now());
      return false;
    }
  }

  /**
   * The concurrent jobs all at once, the others one after another meanwhile; then the ones that
   * succeeded are marked done together. A crash before that runs them again (handlers are
   * idempotent on the job id).
   */
  async function runBatch(rows: Claimed[]): Promise<void> {
    const done: string[] = [];
    const run = async (row: Claimed) => {
      if (await runOne(row)) done.push(row.id);
    };
    const alone = rows.filter((row) => !concurrentTypes.has(row.type));
    const results = await Promise.allSettled([
      ...rows.filter((row) => concurrentTypes.has(row.type)).map(run),
      (async () => {
        for (const row of alone) await run(row);
      })(),
    ]);
    const completed = new Set(await completeJobs(database.db, done, workerId, clock.now()));
    for (const id of done) {
      if (!completed.has(id)) log.warn({ jobId: id }, 'job finished after its lease ran out; another worker may run it again');
    }
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async function drain(): Promise<number> {
    let processed = 0;
    while (!stopping) {
      const rows = await claimDueJobs(database.db, database.dialect, workerId, clock.now(), leaseMs, batchSize, options.lane);
      if (rows.length === 0) return processed;
      await runBatch(rows);
      processed += rows.length;
    }
    return processed;
  }

  function schedule(delay: number): void {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => outside(() => servedFirstOnSqlite(tick)), delay);
  }

  function tick(): void {
    busy = true;
    current = drain()
      .catch((error) => log.error({ err: error }, 'outbox worker poll failed'))
      .finally(() => {
        busy = false;
        const soon = again;
        again = false;
        schedule(soon ? 0 : pollMs);
      });
  }

  return {
    start() {
      if (running) return;
      running = true;
      log.info({ workerId }, 'outbox worker started');
      schedule(0);
    },
    wake() {
      if (!running) return;
      if (busy) again = true;
      else schedule(0);
    },
    drain,
    async stop() {
      running = false;
      // The job in hand finishes; the backlog stays due for the next start (or another worker).
      stopping = true;
      clearTimeout(timer);
      await current;
    },
  };
}
