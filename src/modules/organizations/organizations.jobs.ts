import type { ServiceDeps } from '../../platform/deps.js';
import type { AppError } from '../../platform/errors.js';
import type { OutboxJob } from '../../platform/outbox/outbox.js';
import type { JobHandler } from '../../platform/outbox/worker.js';
import { RUN_WORK_REQUEST, runWorkRequest, type WorkRequestStep } from '../work-requests/work-requests.service.js';
import { EXPIRE_INVITATION } from './invitations.service.js';
import { acceptInvitationStep, cancelInvitationStep, expireInvitation, sendInvitationStep } from './invitations.steps.js';
import { terminateLinkStep } from './links.service.js';
import { assignDefaultSubscriptionStep, createChildTenancyStep, governanceStep, terminateTenancyStep } from './organizations.service.js';

/** The OCI code a failed work request lists for a refused step. */
const WORK_REQUEST_ERROR_CODES: Record<string, string> = {
  LIMIT_EXCEEDED: 'LimitExceeded',
  INCORRECT_STATE: 'IncorrectState',
  ORG_RULE_CONFLICT: 'Conflict',
  ORG_RESOURCE_NOT_FOUND: 'NotAuthorizedOrNotFound',
};

/** Outbox handlers of the organizations capability, by job type (registered in src/worker.ts). */
export function organizationJobHandlers(deps: ServiceDeps): Array<[string, JobHandler]> {
  const steps: Record<string, WorkRequestStep> = {
    CREATE_SENDER_INVITATION: sendInvitationStep(deps),
    CANCEL_SENDER_INVITATION: cancelInvitationStep(deps),
    ACCEPT_RECIPIENT_INVITATION: acceptInvitationStep(deps),
    ASSIGN_DEFAULT_SUBSCRIPTION: assignDefaultSubscriptionStep(deps),
    SELF_OPT_IN: governanceStep(deps),
    SELF_OPT_OUT: governanceStep(deps),
    SOFT_TERMINATE_TENANCY: terminateTenancyStep(deps),
    RESTORE_TENANCY: terminateTenancyStep(deps),
    CREATE_CHILD_TENANCY: createChildTenancyStep(deps),
    TERMINATE_LINK: terminateLinkStep(deps),
  };
  const errorCode = (error: AppError) => WORK_REQUEST_ERROR_CODES[error.code] ?? 'InvalidParameter';
  return [
    [RUN_WORK_REQUEST, (job: OutboxJob) => runWorkRequest(deps, (job.payload as { workRequestId: string }).workRequestId, (op) => steps[op], errorCode, job.attempts)],
    [EXPIRE_INVITATION, (job: OutboxJob) => expireInvitation(deps, (job.payload as { senderInvitationId: string }).senderInvitationId)],
  ];
}
