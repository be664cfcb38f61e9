import type { ServiceDeps } from '../../platform/deps.js';
import type { OutboxJob } from '../../platform/outbox/outbox.js';
import type { JobHandler } from '../../platform/outbox/worker.js';
import { applyGovernance } from './attachments.service.js';
import { APPLY_GOVERNANCE } from './governance-work-requests.service.js';

/** Outbox handlers of the governance capability, by job type (registered in src/worker.ts). */
export function governanceJobHandlers(deps: ServiceDeps): Array<[string, JobHandler]> {
  return [[APPLY_GOVERNANCE, (job: OutboxJob) => applyGovernance(deps, (job.payload as { workRequestId: string }).workRequestId)]];
}
