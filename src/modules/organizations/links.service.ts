import type { ServiceDeps } from '../../platform/deps.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { findTenantsByOcids, type Tenant } from '../tenants/tenants.service.js';
import { createWorkRequest, type WorkRequestStep } from '../work-requests/work-requests.service.js';
import { actingTenancy, checkIfMatch, etagOf, iso, paged, type Paged } from './organizations.access.js';
import { orgNotFound, ruleConflict } from './organizations.errors.js';
import * as repo from './organizations.repo.js';

export interface Link {
  id: string;
  parentTenancyId: string;
  childTenancyId: string;
  lifecycleState: string;
  timeCreated: string;
  timeUpdated: string;
  timeTerminated?: string;
  feature: string;
  etag: string;
}

function toLink(row: repo.LinkRow): Link {
  return {
    id: row.id,
    parentTenancyId: row.parent_tenancy_id,
    childTenancyId: row.child_tenancy_id,
    lifecycleState: row.lifecycle_state,
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.updated_at),
    ...(row.terminated_at !== null ? { timeTerminated: iso(row.terminated_at) } : {}),
    feature: row.feature,
    etag: etagOf(row.id, row.version),
  };
}

/** A link is visible to its parent and its child tenancy only. */
async function visibleLink(deps: ServiceDeps, tenant: Tenant, id: string): Promise<repo.LinkRow> {
  const row = await repo.findLink(deps.database.db, id);
  if (!row || (row.parent_tenant_id !== tenant.id && row.child_tenant_id !== tenant.id)) throw orgNotFound('link', id);
  return row;
}

export async function listLinks(
  deps: ServiceDeps,
  actor: Principal,
  q: { parentTenancyId?: string; childTenancyId?: string; feature?: string; lifecycleState?: string; offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' },
): Promise<Paged<Link>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-link');
  const rows = await repo.listLinks(
    deps.database.db,
    { tenantId: tenant.id, parentTenancyId: q.parentTenancyId, childTenancyId: q.childTenancyId, feature: q.feature, lifecycleState: q.lifecycleState },
    { offset: q.offset, limit: q.limit, sortOrder: q.sortOrder ?? 'DESC' },
  );
  return paged(rows, q.offset, q.limit, toLink);
}

export async function getLink(deps: ServiceDeps, actor: Principal, id: string): Promise<Link> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-link');
  return toLink(await visibleLink(deps, tenant, id));
}

export async function getLinkWithTenancyNames(deps: ServiceDeps, actor: Principal, id: string): Promise<Link & { parentTenancyName: string; childTenancyName: string }> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-link');
  const row = await visibleLink(deps, tenant, id);
  const tenants = await findTenantsByOcids(deps, [row.parent_tenancy_id, row.child_tenancy_id]);
  const name = (ocid: string) => tenants.find((t) => t.ocid === ocid)?.name ?? '';
  return { ...toLink(row), parentTenancyName: name(row.parent_tenancy_id), childTenancyName: name(row.child_tenancy_id) };
}

/**
 * Removes an invited child (asynchronous: TERMINATE_LINK), in the order of §7.9: the child must be
 * opted out of governance and mapped back to a subscription of its own first.
 */
export async function deleteLink(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-link');
  const link = await visibleLink(deps, tenant, id);
  checkIfMatch(ifMatch, link.id, link.version);
  if (link.parent_tenant_id !== tenant.id) throw ruleConflict('only the parent tenancy can remove a link');
  if (link.lifecycle_state !== 'ACTIVE') throw ruleConflict(`the link is ${link.lifecycle_state}`);
  const child = await repo.findOrgTenancy(deps.database.db, link.organization_id, link.child_tenancy_id);
  if (!child || child.left_at !== null) throw ruleConflict('the child tenancy is no longer in the organization');
  if (link.feature === 'CORE') {
    if (child.origin !== 'INVITED') throw ruleConflict('only invited children can be unlinked; a created child is transferred or deleted');
    if (child.governance_status !== 'OPTED_OUT') throw ruleConflict('remove the child from governance first (removeGovernance)');
    const mapping = await repo.findActiveMapping(deps.database.db, link.child_tenant_id);
    const own = await repo.listSubscriptionsOfTenant(deps.database.db, link.child_tenant_id);
    if (mapping && !own.some((s) => s.id === mapping.subscription_id)) {
      throw ruleConflict('map the child back to its own subscription first (createSubscriptionMapping)');
    }
  }
  const result = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const workRequestId = await createWorkRequest(trx, now, {
      realm: deps.config.realm,
      tenantId: tenant.id,
      compartmentId: tenant.ocid,
      operationType: 'TERMINATE_LINK',
      resources: [{ entityType: 'Link', actionType: 'IN_PROGRESS', identifier: link.id, entityUri: `/20230401/links/${link.id}` }],
      payload: { actor, linkId: link.id },
    });
    await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'link.delete', resourceType: 'Link', resourceId: link.id, after: { workRequestId } });
    return { workRequestId };
  });
  deps.wakeWorker();
  return result;
}

export function terminateLinkStep(deps: ServiceDeps): WorkRequestStep {
  return {
    async load(p: { actor: Principal; linkId: string }) {
      const link = await repo.findLink(deps.database.db, p.linkId);
      if (!link) throw new Error(`link ${p.linkId} is gone`);
      const child = await repo.findOrgTenancy(deps.database.db, link.organization_id, link.child_tenancy_id);
      return { ...p, link, child };
    },
    async perform(trx, now, { actor, link, child }) {
      const done = await repo.terminateLink(trx, link.id, now);
      if (!done) throw ruleConflict(`the link ${link.id} is no longer active`);
      const member = child && (await repo.findOrgTenancyById(trx, child.id));
      if (link.feature === 'CORE' && member) {
        await repo.setLinksOfChildState(trx, link.child_tenant_id, 'ACTIVE', 'TERMINATED', now);
        const left = await repo.updateOrgTenancy(trx, member.id, member.version, { lifecycle_state: 'INACTIVE', left_at: now, updated_at: now });
        if (!left) throw new Error(`organization tenancy ${member.tenancy_id} changed while its link was removed`);
        await repo.endActiveMapping(trx, link.child_tenant_id, now);
      }
      await recordChange(trx, actor, now, { tenantId: link.parent_tenant_id, action: 'link.terminated', resourceType: 'Link', resourceId: link.id, after: { lifecycleState: 'TERMINATED' } });
      return { resources: [{ entityType: 'Link', actionType: 'DELETED', identifier: link.id, entityUri: `/20230401/links/${link.id}` }], log: `link ${link.id} terminated` };
    },
  };
}
