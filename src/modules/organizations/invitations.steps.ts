import type { Trx } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { newOcid } from '../../platform/ids.js';
import { enqueueMail } from '../../platform/mail/mail.jobs.js';
import { renderMail } from '../../platform/mail/templates.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { getTenantOrThrow, type Tenant } from '../tenants/tenants.service.js';
import type { WorkRequestStep } from '../work-requests/work-requests.service.js';
import { isGovernanceOnly, recipientResource, senderResource, toRecipientInvitation } from './invitations.service.js';
import { attachOnJoiningGovernance } from '../governance/invitation-rules.js';
import * as repo from './invitations.repo.js';
import { addChild } from './membership.js';
import { iso, json } from './organizations.access.js';
import { ruleConflict } from './organizations.errors.js';
import { ORGANIZATION_INVITATION } from './organizations.mail.js';
import { findMembership, findOrganizationOfParent, updateOrgTenancy } from './organizations.repo.js';

// The work request steps of invitations (sending, revoking, accepting) and the expiry sweep. Each
// runs in the transaction that finishes its work request (see work-requests.service).

interface SendContext {
  actor: Principal;
  invitation: repo.SenderInvitationRow;
  sender: Tenant;
  recipient: Tenant;
}

export function sendInvitationStep(deps: ServiceDeps): WorkRequestStep<SendContext> {
  return {
    async load(payload: { actor: Principal; senderInvitationId: string }) {
      const invitation = await repo.findSenderInvitation(deps.database.db, payload.senderInvitationId);
      if (!invitation) throw new Error(`sender invitation ${payload.senderInvitationId} is gone`);
      const [sender, recipient] = await Promise.all([getTenantOrThrow(deps, invitation.tenant_id), getTenantOrThrow(deps, invitation.recipient_tenant_id)]);
      return { actor: payload.actor, invitation, sender, recipient };
    },
    async perform(trx, now, { actor, invitation, sender, recipient }) {
      const ri: repo.RecipientInvitationRow = {
        id: newOcid('recipientinvitation', deps.config.realm),
        tenant_id: recipient.id,
        compartment_id: recipient.ocid,
        sender_invitation_id: invitation.id,
        sender_tenant_id: sender.id,
        sender_tenancy_id: sender.ocid,
        recipient_email: invitation.recipient_email,
        display_name: invitation.display_name,
        subjects: invitation.subjects,
        features: invitation.features,
        freeform_tags: '{}',
        defined_tags: '{}',
        lifecycle_state: 'ACTIVE',
        status: 'PENDING',
        expires_at: invitation.expires_at,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await repo.insertRecipientInvitation(trx, ri);
      const active = await repo.transitionSenderInvitation(
        trx,
        invitation.id,
        { lifecycle_state: 'ACTIVE', recipient_invitation_id: ri.id, updated_at: now },
        { lifecycleState: 'CREATING' },
      );
      if (!active) throw new Error(`sender invitation ${invitation.id} changed while it was being sent`);
      if (invitation.recipient_email) {
        await enqueueMail(
          trx,
          now,
          invitation.recipient_email,
          renderMail(ORGANIZATION_INVITATION, {
            senderName: sender.name,
            senderTenancyId: sender.ocid,
            recipientName: recipient.name,
            displayName: invitation.display_name,
            recipientInvitationId: ri.id,
            senderInvitationId: invitation.id,
            expiresAt: iso(invitation.expires_at),
            consoleUrl: `${deps.config.publicUrl}/console/organizations/recipient-invitations/${encodeURIComponent(ri.id)}`,
          }),
        );
      }
      await recordChange(trx, actor, now, {
        tenantId: recipient.id,
        action: 'recipient-invitation.create',
        resourceType: 'RecipientInvitation',
        resourceId: ri.id,
        after: toRecipientInvitation(ri, now),
      });
      return {
        resources: [senderResource(invitation.id, 'CREATED'), recipientResource(ri.id, 'CREATED')],
        log: `recipient invitation ${ri.id} created${invitation.recipient_email ? ' and the email queued' : ''}`,
      };
    },
    async onFailure(trx, now, { invitation }) {
      await repo.transitionSenderInvitation(trx, invitation.id, { lifecycle_state: 'FAILED', status: 'FAILED', updated_at: now }, { lifecycleState: 'CREATING' });
    },
  };
}

interface CancelContext {
  actor: Principal;
  invitation: repo.SenderInvitationRow;
  mirror?: repo.RecipientInvitationRow;
}

export function cancelInvitationStep(deps: ServiceDeps): WorkRequestStep<CancelContext> {
  return {
    async load(payload: { actor: Principal; senderInvitationId: string }) {
      const invitation = await repo.findSenderInvitation(deps.database.db, payload.senderInvitationId);
      if (!invitation) throw new Error(`sender invitation ${payload.senderInvitationId} is gone`);
      const mirror = await repo.findRecipientInvitationBySender(deps.database.db, invitation.id);
      return { actor: payload.actor, invitation, mirror };
    },
    async perform(trx, now, { actor, invitation, mirror }) {
      const done = await repo.transitionSenderInvitation(trx, invitation.id, { status: 'CANCELED', lifecycle_state: 'INACTIVE', updated_at: now }, { lifecycleState: 'UPDATING' });
      if (!done) throw new Error(`sender invitation ${invitation.id} changed while it was being canceled`);
      if (mirror) await repo.transitionRecipientInvitation(trx, mirror.id, { status: 'CANCELED', lifecycle_state: 'INACTIVE', updated_at: now }, { status: 'PENDING' });
      await recordChange(trx, actor, now, { tenantId: invitation.tenant_id, action: 'sender-invitation.canceled', resourceType: 'SenderInvitation', resourceId: invitation.id, after: { status: 'CANCELED' } });
      return { resources: [senderResource(invitation.id, 'UPDATED')], log: 'invitation canceled' };
    },
  };
}

interface AcceptContext {
  actor: Principal;
  mine: repo.RecipientInvitationRow;
  sent: repo.SenderInvitationRow;
  sender: Tenant;
  recipient: Tenant;
}

export function acceptInvitationStep(deps: ServiceDeps): WorkRequestStep<AcceptContext> {
  return {
    async load(payload: { actor: Principal; recipientInvitationId: string }) {
      const mine = await repo.findRecipientInvitation(deps.database.db, payload.recipientInvitationId);
      const sent = mine && (await repo.findSenderInvitation(deps.database.db, mine.sender_invitation_id));
      if (!mine || !sent) throw new Error(`recipient invitation ${payload.recipientInvitationId} is gone`);
      const [sender, recipient] = await Promise.all([getTenantOrThrow(deps, sent.tenant_id), getTenantOrThrow(deps, mine.tenant_id)]);
      return { actor: payload.actor, mine, sent, sender, recipient };
    },
    async perform(trx, now, { actor, mine, sent, sender, recipient }) {
      const subjects = json<string[]>(mine.subjects);
      const membership = await findMembership(trx, recipient.id);
      if (membership && isGovernanceOnly(subjects)) {
        const org = await findOrganizationOfParent(trx, sender.id);
        if (membership.organization_id !== org?.id) throw ruleConflict('this tenancy no longer belongs to the sender\'s organization');
        const optedIn = await updateOrgTenancy(trx, membership.id, membership.version, { governance_status: 'OPTED_IN', updated_at: now });
        if (!optedIn) throw new Error(`organization tenancy ${recipient.ocid} changed while its governance request was accepted`);
        await recordChange(trx, actor, now, {
          tenantId: sender.id,
          action: 'organization.tenancy.governance',
          resourceType: 'OrganizationTenancy',
          resourceId: recipient.ocid,
          before: { governanceStatus: membership.governance_status },
          after: { governanceStatus: 'OPTED_IN' },
        });
        await closeBoth(trx, now, mine, sent, 'ACCEPTED', 'INACTIVE');
        // Governance hook (issue 6): the child opted in; the invitation's rules attach now.
        const attached = await attachOnJoiningGovernance(trx, now, actor, { parent: sender, child: recipient, senderInvitationId: sent.id });
        return {
          resources: [recipientResource(mine.id, 'UPDATED'), senderResource(sent.id, 'UPDATED'), ...attached],
          log: `tenancy ${recipient.ocid} opted in to the governance of ${sender.ocid}`,
        };
      }
      const { linkIds } = await addChild(trx, now, actor, {
        parent: sender,
        child: recipient,
        origin: 'INVITED',
        governanceStatus: subjects.includes('GOVERNANCE') ? 'OPTED_IN' : 'OPTED_OUT',
        features: json<string[]>(mine.features),
        childLimit: deps.config.organizationChildLimit,
      });
      await closeBoth(trx, now, mine, sent, 'ACCEPTED', 'INACTIVE');
      // Governance hook (issue 6): a child that joined governance gets the invitation's rules.
      const attached = await attachOnJoiningGovernance(trx, now, actor, { parent: sender, child: recipient, senderInvitationId: sent.id });
      return {
        resources: [
          recipientResource(mine.id, 'UPDATED'),
          senderResource(sent.id, 'UPDATED'),
          ...attached,
          ...linkIds.map((id) => ({ entityType: 'Link', actionType: 'CREATED' as const, identifier: id, entityUri: `/20230401/links/${id}` })),
        ],
        log: `tenancy ${recipient.ocid} joined the organization of ${sender.ocid}`,
      };
    },
    async onFailure(trx, now, { mine, sent }) {
      await closeBoth(trx, now, mine, sent, 'FAILED', 'FAILED');
    },
  };
}

async function closeBoth(trx: Trx, now: number, mine: repo.RecipientInvitationRow, sent: repo.SenderInvitationRow, status: string, lifecycle: string) {
  const a = await repo.transitionRecipientInvitation(trx, mine.id, { status, lifecycle_state: lifecycle, updated_at: now }, { lifecycleState: 'UPDATING' });
  const b = await repo.transitionSenderInvitation(trx, sent.id, { status, lifecycle_state: lifecycle, updated_at: now }, { lifecycleState: 'UPDATING' });
  if (!a || !b) throw new Error(`invitation ${mine.id} changed while its acceptance ran`);
}

/** The sweep: writes down EXPIRED once an invitation's stored expiry time has passed. */
export async function expireInvitation(deps: ServiceDeps, senderInvitationId: string): Promise<void> {
  await inTransaction(deps.database, (trx) => repo.expireSenderInvitation(trx, senderInvitationId, deps.clock.now()));
}
