import { forgetExpiredTokens } from './modules/identity/identity.service.js';
import { forgetExpiredSessions } from './modules/identity/sessions.service.js';
import { forgetExpiredRetryTokens } from './modules/organizations/retry-tokens.service.js';
import type { ServiceDeps } from './platform/deps.js';
import { deleteDeliveriesBefore } from './platform/mail/mail.repo.js';
import { enqueueOnce } from './platform/outbox/outbox.js';
import { deleteFinishedJobs } from './platform/outbox/outbox.repo.js';
import type { JobHandler } from './platform/outbox/worker.js';

export const HOUSEKEEPING = 'housekeeping';
const PERIOD_MS = 3_600_000;
/** Finished outbox jobs (and their mail delivery records) are kept this long for inspection. */
export const FINISHED_JOB_RETENTION_MS = 7 * 86_400_000;

/** One job per hour, under a fixed id, so any number of workers schedule it and it runs once. */
const jobIdFor = (now: number) => `housekeeping:${Math.floor(now / PERIOD_MS)}`;

export async function scheduleHousekeeping(deps: ServiceDeps): Promise<void> {
  const now = deps.clock.now();
  await enqueueOnce(deps.database.db, now, jobIdFor(now), { type: HOUSEKEEPING, payload: {}, runAt: now });
}

/** Forgets expired tokens, console sessions and retry tokens and old finished jobs, then schedules the next run. */
export function housekeepingHandler(deps: ServiceDeps): JobHandler {
  return async () => {
    const now = deps.clock.now();
    await forgetExpiredTokens(deps);
    await forgetExpiredSessions(deps);
    await forgetExpiredRetryTokens(deps);
    await deleteFinishedJobs(deps.database.db, now - FINISHED_JOB_RETENTION_MS);
    await deleteDeliveriesBefore(deps.database.db, now - FINISHED_JOB_RETENTION_MS);
    const next = (Math.floor(now / PERIOD_MS) + 1) * PERIOD_MS;
    await enqueueOnce(deps.database.db, now, jobIdFor(next), { type: HOUSEKEEPING, payload: {}, runAt: next });
  };
}
