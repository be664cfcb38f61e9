import type { Trx } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';
import { newOcid } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { membershipOf } from '../organizations/governance-membership.js';
import type { Tenant } from '../tenants/tenants.service.js';
import { attachmentResource, isGoverned, planAttachments } from './attachments.service.js';
import { govNotFound } from './governance.errors.js';
import { recordWorkRequest, type WorkRequestResource } from './governance-work-requests.service.js';
import * as repo from './governance.repo.js';

// Hooks the organizations capability calls inside its own transactions: the governance step of a
// sender invitation (the rules chosen for the future child) and the moment a child joins governance.

/**
 * Remembers the rules chosen on a sender invitation. Rules reach only a child that joins governance,
 * so they need the GOVERNANCE subject; each must be a live rule of the sender.
 */
export async function chooseInvitationRules(
  trx: Trx,
  now: number,
  input: { senderTenantId: string; senderInvitationId: string; subjects: readonly string[]; governanceRuleIds: readonly string[] },
): Promise<void> {
  const ids = [...new Set(input.governanceRuleIds)];
  if (ids.length === 0) return;
  if (!input.subjects.includes('GOVERNANCE')) {
    throw invalid('GOVERNANCE_SUBJECT_REQUIRED', 'governanceRuleIds need the GOVERNANCE subject: rules are attached only to a child that joins governance');
  }
  for (const id of ids) {
    const rule = await repo.findRule(trx, id);
    if (!rule || rule.tenant_id !== input.senderTenantId || rule.lifecycle_state !== 'ACTIVE') throw govNotFound('governance rule', id);
  }
  await repo.insertInvitationRules(
    trx,
    ids.map((id) => ({ sender_invitation_id: input.senderInvitationId, governance_rule_id: id, tenant_id: input.senderTenantId, created_at: now })),
  );
}

/**
 * Attaches rules to a child that has just joined the parent's governance (accepting an invitation
 * with the GOVERNANCE subject, or a request to join governance): the rules chosen on that invitation
 * (each becomes a TENANCY inclusion criterion for the child) and every rule of the parent with an ALL
 * criterion. The child is known to be governed here, so the attachments are ACTIVE in the same
 * transaction; a child that is not opted in gets none. Returns the attachments as work request
 * resources for the caller's work request.
 */
export async function attachOnJoiningGovernance(
  trx: Trx,
  now: number,
  actor: Principal,
  input: { parent: Tenant; child: { id: string; ocid: string }; senderInvitationId?: string },
): Promise<Array<WorkRequestResource & { actionType: 'CREATED' }>> {
  const member = await membershipOf(trx, input.child.id);
  if (!member || !isGoverned(member, member.organizationId)) return [];
  const chosen = input.senderInvitationId ? (await repo.invitationRules(trx, input.senderInvitationId)).filter((r) => r.lifecycle_state === 'ACTIVE') : [];
  for (const rule of chosen) {
    if (await repo.findLiveCriterion(trx, rule.id, input.child.ocid)) continue;
    await repo.insertCriterion(trx, {
      id: newOcid('inclusioncriterion', input.parent.realm),
      tenant_id: input.parent.id,
      governance_rule_id: rule.id,
      type: 'TENANCY',
      target: input.child.ocid,
      lifecycle_state: 'ACTIVE',
      version: 1,
      created_at: now,
      updated_at: now,
    });
  }
  const rules = new Map([...chosen, ...(await repo.rulesForAll(trx, input.parent.id))].map((r) => [r.id, r]));
  const attached: string[] = [];
  for (const rule of rules.values()) attached.push(...(await planAttachments(trx, now, input.parent, rule, member.organizationId, [member], 'ACTIVE')));
  if (attached.length === 0) return [];
  const resources = attached.map((id) => ({ ...attachmentResource(id, 'CREATED'), actionType: 'CREATED' as const }));
  await recordWorkRequest(trx, now, input.parent, {
    operationType: 'APPLY_TENANCY_ATTACHMENT',
    resources,
    finished: true,
    log: `${attached.length} governance rule(s) attached to tenancy ${input.child.ocid} as it joined governance`,
  });
  await recordChange(trx, actor, now, {
    tenantId: input.parent.id,
    action: 'governance.attachment.join',
    resourceType: 'OrganizationTenancy',
    resourceId: input.child.ocid,
    after: { rules: [...rules.keys()], attachments: attached },
  });
  return resources;
}
