import type { Executor, Trx } from '../../platform/db/index.js';
import { newGuid, newOcid } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import type { Tenant } from '../tenants/tenants.service.js';
import { limitExceeded, ruleConflict } from './organizations.errors.js';
import * as repo from './organizations.repo.js';

export type Origin = 'PARENT' | 'INVITED' | 'CREATED';
export type GovernanceStatus = 'OPTED_IN' | 'OPTED_OUT';

/** What a tenancy may do in organizations, by subscription type (ARCHITECTURE.md §4, reference §7.2). */
export const canInvite = (t: Tenant) => t.subscriptionType === 'ANNUAL_COMMIT' || t.subscriptionType === 'PAYG';
export const canBeInvited = canInvite;
export const canCreateChildren = (t: Tenant) => t.subscriptionType === 'ANNUAL_COMMIT';

/** A tenancy sends invitations only as a parent or while unaffiliated; a child cannot (§7.1). */
export async function assertMaySend(db: Executor, sender: Tenant): Promise<repo.OrgTenancyRow | undefined> {
  const membership = await repo.findMembership(db, sender.id);
  if (membership?.role === 'CHILD') throw ruleConflict('a child tenancy cannot send organization invitations');
  return membership;
}

/** The parent's organization, created on its first child (§7.1: the first acceptance makes the parent). */
export async function ensureOrganization(trx: Trx, now: number, actor: Principal, parent: Tenant): Promise<repo.OrganizationRow> {
  const existing = await repo.findOrganizationOfParent(trx, parent.id);
  if (existing) return existing;
  const org: repo.OrganizationRow = {
    id: newOcid('organization', parent.realm),
    tenant_id: parent.id,
    compartment_id: parent.ocid,
    display_name: parent.name,
    default_subscription_id: parent.subscriptionId,
    lifecycle_state: 'ACTIVE',
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await repo.insertOrganization(trx, org);
  await repo.insertOrgTenancy(trx, {
    id: newGuid(now),
    organization_id: org.id,
    tenant_id: parent.id,
    tenancy_id: parent.ocid,
    role: 'PARENT',
    origin: 'PARENT',
    lifecycle_state: 'ACTIVE',
    governance_status: 'OPTED_IN',
    approved_for_transfer: 0,
    restored: 0,
    version: 1,
    joined_at: now,
    left_at: null,
    updated_at: now,
  });
  await recordChange(trx, actor, now, {
    tenantId: parent.id,
    action: 'organization.create',
    resourceType: 'Organization',
    resourceId: org.id,
    after: { id: org.id, parentTenancyId: parent.ocid, defaultUcmSubscriptionId: org.default_subscription_id },
  });
  return org;
}

/**
 * Makes `child` a CHILD of `parent`'s organization: organization tenancy, a CORE link (plus one per
 * extra feature) and a subscription mapping (implicit to the default unless one is named).
 */
export async function addChild(
  trx: Trx,
  now: number,
  actor: Principal,
  input: {
    parent: Tenant;
    child: Tenant;
    origin: Exclude<Origin, 'PARENT'>;
    governanceStatus: GovernanceStatus;
    features: string[];
    subscriptionId?: string;
    childLimit: number;
  },
): Promise<{ organization: repo.OrganizationRow; linkIds: string[] }> {
  const { parent, child } = input;
  const parentMembership = await repo.findMembership(trx, parent.id);
  if (parentMembership?.role === 'CHILD') throw ruleConflict(`tenancy ${parent.ocid} is a child of an organization and cannot have children`);
  if (await repo.findMembership(trx, child.id)) throw ruleConflict(`tenancy ${child.ocid} already belongs to an organization`);
  const org = await ensureOrganization(trx, now, actor, parent);
  if ((await repo.countActiveChildren(trx, org.id)) >= input.childLimit) {
    throw limitExceeded(`the organization already has its limit of ${input.childLimit} child tenancies`);
  }
  await repo.insertOrgTenancy(trx, {
    id: newGuid(now),
    organization_id: org.id,
    tenant_id: child.id,
    tenancy_id: child.ocid,
    role: 'CHILD',
    origin: input.origin,
    lifecycle_state: 'ACTIVE',
    governance_status: input.governanceStatus,
    approved_for_transfer: 0,
    restored: 0,
    version: 1,
    joined_at: now,
    left_at: null,
    updated_at: now,
  });
  const linkIds: string[] = [];
  for (const feature of ['CORE', ...input.features.filter((f) => f !== 'CORE')]) {
    const id = newOcid('link', parent.realm);
    await repo.insertLink(trx, {
      id,
      organization_id: org.id,
      parent_tenant_id: parent.id,
      parent_tenancy_id: parent.ocid,
      child_tenant_id: child.id,
      child_tenancy_id: child.ocid,
      feature,
      lifecycle_state: 'ACTIVE',
      version: 1,
      created_at: now,
      updated_at: now,
      terminated_at: null,
    });
    linkIds.push(id);
  }
  await repo.endActiveMapping(trx, child.id, now);
  await repo.insertMapping(trx, {
    id: newOcid('subscriptionmapping', parent.realm),
    organization_id: org.id,
    owner_tenant_id: parent.id,
    tenant_id: child.id,
    compartment_id: child.ocid,
    subscription_id: input.subscriptionId ?? org.default_subscription_id,
    is_explicit: input.subscriptionId ? 1 : 0,
    lifecycle_state: 'ACTIVE',
    version: 1,
    created_at: now,
    updated_at: now,
    terminated_at: null,
  });
  await recordChange(trx, actor, now, {
    tenantId: parent.id,
    action: 'organization.tenancy.join',
    resourceType: 'OrganizationTenancy',
    resourceId: child.ocid,
    after: { organizationId: org.id, role: 'CHILD', origin: input.origin, governanceStatus: input.governanceStatus, links: linkIds },
  });
  return { organization: org, linkIds };
}
