import type { Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/index.js';
import type { Logger } from './platform/log.js';
import { SEND_MAIL, sendMailHandler } from './platform/mail/mail.jobs.js';
import type { Mailer } from './platform/mail/mailer.js';
import { createWorker, workerGroup, type JobHandler, type Worker } from './platform/outbox/worker.js';
import { communityJobHandlers } from './modules/communities/communities.jobs.js';
import { organizationJobHandlers } from './modules/organizations/organizations.jobs.js';
import { governanceJobHandlers } from './modules/governance/governance.jobs.js';
import { HOUSEKEEPING, housekeepingHandler, scheduleHousekeeping } from './housekeeping.js';

/** Every outbox job type and its handler: the one place to look for what the worker does. */
export function buildWorker(deps: { config: Config; database: Database; clock: Clock; log: Logger; mailer: Mailer }): Worker {
  const handlers = new Map<string, JobHandler>([[SEND_MAIL, sendMailHandler(deps.database, deps.mailer, deps.clock)]]);
  const serviceDeps = { config: deps.config, database: deps.database, clock: deps.clock, log: deps.log, wakeWorker: () => {} };
  for (const [type, handler] of organizationJobHandlers(serviceDeps)) handlers.set(type, handler);
  for (const [type, handler] of communityJobHandlers(serviceDeps)) handlers.set(type, handler);
  for (const [type, handler] of governanceJobHandlers(serviceDeps)) handlers.set(type, handler);
  handlers.set(HOUSEKEEPING, housekeepingHandler(serviceDeps));
  const log = deps.log.child({ component: 'worker' });
  const common = { database: deps.database, clock: deps.clock, log, handlers, pollMs: deps.config.workerPollMs, leaseMs: deps.config.workerLeaseMs, batchSize: 100 };
  // Two lanes, so a slow mail server never holds up work requests and expiries: emails go out
  // side by side over the pooled SMTP transport; every other job runs in order in its own lane.
  const worker = workerGroup([
    createWorker({ ...common, lane: { only: [SEND_MAIL] }, concurrentTypes: new Set([SEND_MAIL]) }),
    createWorker({ ...common, lane: { except: [SEND_MAIL] } }),
  ]);
  return {
    ...worker,
    // A started worker makes sure the hourly housekeeping job exists (a no-op when it does).
    start() {
      scheduleHousekeeping(serviceDeps).catch((error) => log.error({ err: error }, 'could not schedule housekeeping'));
      worker.start();
    },
  };
}
