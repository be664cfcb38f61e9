import type { Executor } from '../../platform/db/index.js';
import * as repo from './organizations.repo.js';

// Hook for the governance capability (issue 6): read-only views of organization membership, so the
// governance module never reads the organizations tables itself.

export interface GovernedTenancy {
  tenantId: string;
  tenancyId: string;
  organizationId: string;
  role: 'PARENT' | 'CHILD';
  governanceStatus: 'OPTED_IN' | 'OPTED_OUT';
  /** ACTIVE members only can receive governance rules (a DELETING child cannot). */
  active: boolean;
}

const toGoverned = (row: repo.OrgTenancyRow): GovernedTenancy => ({
  tenantId: row.tenant_id,
  tenancyId: row.tenancy_id,
  organizationId: row.organization_id,
  role: row.role as GovernedTenancy['role'],
  governanceStatus: row.governance_status as GovernedTenancy['governanceStatus'],
  active: row.lifecycle_state === 'ACTIVE',
});

/** The tenancy's current membership of an organization, if any. */
export async function membershipOf(db: Executor, tenantId: string): Promise<GovernedTenancy | undefined> {
  const row = await repo.findMembership(db, tenantId);
  return row ? toGoverned(row) : undefined;
}

/** The current children of the organization whose parent is `parentTenantId` (none without one). */
export async function childrenOf(db: Executor, parentTenantId: string): Promise<{ organizationId?: string; children: GovernedTenancy[] }> {
  const org = await repo.findOrganizationOfParent(db, parentTenantId);
  if (!org) return { children: [] };
  const rows = await repo.listOrgTenancies(db, org.id, 0, 100_000);
  return { organizationId: org.id, children: rows.filter((r) => r.role === 'CHILD' && r.left_at === null).map(toGoverned) };
}

/** Hook for metering (issue 6): every subscription mapping the tenancies ever had, ended ones included. */
export async function subscriptionMappingHistory(
  db: Executor,
  tenantIds: readonly string[],
): Promise<Array<{ tenantId: string; subscriptionId: string; isExplicit: boolean; from: number; until: number | null }>> {
  if (tenantIds.length === 0) return [];
  const rows = await repo.mappingHistory(db, tenantIds);
  return rows.map((r) => ({ tenantId: r.tenant_id, subscriptionId: r.subscription_id, isExplicit: r.is_explicit === 1, from: r.created_at, until: r.terminated_at }));
}
