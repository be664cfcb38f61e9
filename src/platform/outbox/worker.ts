import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { newGuid } from '../ids.js';
import type { Logger } from '../log.js';
import type { OutboxJob } from './outbox.js';
import { claimDueJobs, completeJob, failJob } from './outbox.repo.js';

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

/** Exponential backoff: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 300_000);
}

export function createWorker(options: WorkerOptions): Worker {
  const { database, clock, log, handlers, pollMs, leaseMs } = options;
  const batchSize = options.batchSize ?? 10;
  const maxAttempts = options.maxAttempts ?? 10;
  const workerId = `${hostname()}:${process.pid}:${newGuid()}`;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let again = false;
  let busy = false;
  let stopping = false;

  async function runOne(row: Awaited<ReturnType<typeof claimDueJobs>>[number]): Promise<void> {
    const job: OutboxJob = { id: row.id, type: row.type, payload: JSON.parse(row.payload), attempts: row.attempts };
    const jobLog = log.child({ jobId: job.id, jobType: job.type, attempt: job.attempts });
    const handler = handlers.get(job.type);
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      await handler(job);
      if (!(await completeJob(database.db, job.id, workerId, clock.now()))) {
        jobLog.warn('job finished after its lease ran out; another worker may run it again');
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = job.attempts >= maxAttempts ? null : clock.now() + retryDelayMs(job.attempts);
      jobLog.warn({ err: error, retryAt }, retryAt === null ? 'job failed for good' : 'job failed; will retry');
      await failJob(database.db, job.id, workerId, message.slice(0, 2000), retryAt, clock.now());
    }
  }

  async function drain(): Promise<number> {
    let processed = 0;
    while (!stopping) {
      const rows = await claimDueJobs(database.db, database.dialect, workerId, clock.now(), leaseMs, batchSize);
      if (rows.length === 0) return processed;
      for (const row of rows) await runOne(row);
      processed += rows.length;
    }
    return processed;
  }

  function schedule(delay: number): void {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
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
