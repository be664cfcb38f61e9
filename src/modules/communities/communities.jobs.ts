import type { ServiceDeps } from '../../platform/deps.js';
import type { JobHandler } from '../../platform/outbox/worker.js';
import { EXPIRE_COMMUNITY_INVITATION, expireInvitation } from './invitations.service.js';

/** Outbox handlers of the communities capability; each is idempotent on its job. */
export function communityJobHandlers(deps: ServiceDeps): Map<string, JobHandler> {
  return new Map<string, JobHandler>([
    [
      EXPIRE_COMMUNITY_INVITATION,
      async (job) => {
        await expireInvitation(deps, (job.payload as { invitationId: string }).invitationId);
      },
    ],
  ]);
}
