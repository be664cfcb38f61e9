import type { ServiceDeps } from '../../platform/deps.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { newOcid } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { getSubscriptionOrThrow, getTenantOrThrow, type Tenant } from '../tenants/tenants.service.js';
import { actingTenancy, checkIfMatch, etagOf, iso, paged, requireOwnCompartment, type Paged } from './organizations.access.js';
import { incorrectState, invalidParameter, missingParameter, orgNotFound, ruleConflict } from './organizations.errors.js';
import * as repo from './organizations.repo.js';

type SubscriptionRow = Awaited<ReturnType<typeof repo.listSubscriptionsOfTenant>>[number];

/** A Universal Credits subscription, rendered as the SDK's CloudSubscription (entityVersion V2). */
export interface Subscription {
  id: string;
  compartmentId: string;
  serviceName: string;
  timeCreated: string;
  timeUpdated: string;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
  systemTags: Record<string, never>;
  entityVersion: 'V2';
  subscriptionNumber: string;
  currencyCode: string;
  lifecycleState: string;
  etag: string;
}

export interface SubscriptionMapping {
  id: string;
  subscriptionId: string;
  compartmentId: string;
  isExplicitlyAssigned: boolean;
  lifecycleState: string;
  timeTerminated?: string;
  timeCreated: string;
  timeUpdated: string;
  etag: string;
}

function toSubscription(row: SubscriptionRow, owner: Tenant): Subscription {
  return {
    id: row.id,
    compartmentId: owner.ocid,
    serviceName: 'CLOUDCM',
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.created_at),
    freeformTags: {},
    definedTags: {},
    systemTags: {},
    entityVersion: 'V2',
    subscriptionNumber: row.display_name,
    currencyCode: 'USD',
    lifecycleState: 'ACTIVE',
    etag: etagOf(row.id, 1),
  };
}

function toMapping(row: repo.SubscriptionMappingRow): SubscriptionMapping {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    compartmentId: row.compartment_id,
    isExplicitlyAssigned: row.is_explicit === 1,
    lifecycleState: row.lifecycle_state,
    ...(row.terminated_at !== null ? { timeTerminated: iso(row.terminated_at) } : {}),
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.updated_at),
    etag: etagOf(row.id, row.version),
  };
}

type SortQuery = { offset: number; limit: number; sortBy: 'timeCreated' | 'displayName'; sortOrder?: 'ASC' | 'DESC' };

function sortSubscriptions(items: Subscription[], q: SortQuery): Subscription[] {
  const order = q.sortOrder ?? (q.sortBy === 'displayName' ? 'ASC' : 'DESC');
  const key = (s: Subscription) => (q.sortBy === 'displayName' ? s.subscriptionNumber : s.timeCreated);
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1) * (order === 'ASC' ? 1 : -1));
}

/** The tenancy's own subscriptions. */
export async function listSubscriptions(
  deps: ServiceDeps,
  actor: Principal,
  q: SortQuery & { compartmentId?: string; subscriptionId?: string },
): Promise<Paged<Subscription>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-subscription');
  if (q.compartmentId) requireOwnCompartment(tenant, q.compartmentId);
  const rows = (await repo.listSubscriptionsOfTenant(deps.database.db, tenant.id)).filter((r) => !q.subscriptionId || r.id === q.subscriptionId);
  const items = sortSubscriptions(rows.map((r) => toSubscription(r, tenant)), q);
  return paged(items.slice(q.offset), q.offset, q.limit, (s) => s);
}

async function ownSubscription(deps: ServiceDeps, tenant: Tenant, id: string): Promise<Subscription> {
  const row = (await repo.listSubscriptionsOfTenant(deps.database.db, tenant.id)).find((r) => r.id === id);
  if (!row) throw orgNotFound('subscription', id);
  return toSubscription(row, tenant);
}

export async function getSubscription(deps: ServiceDeps, actor: Principal, id: string): Promise<Subscription> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-subscription');
  return ownSubscription(deps, tenant, id);
}

/** Subscriptions the tenancy uses: the one a child is mapped to, or a tenancy's own otherwise. */
async function assignedTo(deps: ServiceDeps, tenant: Tenant): Promise<Subscription[]> {
  const mapping = await repo.findActiveMapping(deps.database.db, tenant.id);
  if (!mapping) return (await repo.listSubscriptionsOfTenant(deps.database.db, tenant.id)).map((r) => toSubscription(r, tenant));
  const subscription = await getSubscriptionOrThrow(deps, mapping.subscription_id);
  const owner = await getTenantOrThrow(deps, subscription.tenantId);
  const row = (await repo.listSubscriptionsOfTenant(deps.database.db, owner.id)).find((r) => r.id === subscription.id)!;
  return [toSubscription(row, owner)];
}

export async function listAssignedSubscriptions(
  deps: ServiceDeps,
  actor: Principal,
  q: SortQuery & { compartmentId?: string; subscriptionId?: string },
): Promise<Paged<Subscription>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-assigned-subscription');
  requireOwnCompartment(tenant, q.compartmentId);
  const items = sortSubscriptions((await assignedTo(deps, tenant)).filter((s) => !q.subscriptionId || s.id === q.subscriptionId), q);
  return paged(items.slice(q.offset), q.offset, q.limit, (s) => s);
}

export async function getAssignedSubscription(deps: ServiceDeps, actor: Principal, id: string): Promise<Subscription> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-assigned-subscription');
  const found = (await assignedTo(deps, tenant)).find((s) => s.id === id);
  if (!found) throw orgNotFound('assigned subscription', id);
  return found;
}

/** Regions a subscription (own or assigned) may use: every region of this service. */
export async function listAvailableRegions(deps: ServiceDeps, actor: Principal, subscriptionId: string): Promise<string[]> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-subscription-region');
  const own = (await repo.listSubscriptionsOfTenant(deps.database.db, tenant.id)).some((r) => r.id === subscriptionId);
  if (!own && !(await assignedTo(deps, tenant)).some((s) => s.id === subscriptionId)) throw orgNotFound('subscription', subscriptionId);
  return [...deps.config.regions];
}

/** Line items: this service keeps no SKU lines, so a visible subscription has none. */
export async function listLineItems(deps: ServiceDeps, actor: Principal, subscriptionId: string, assigned: boolean): Promise<never[]> {
  if (assigned) await getAssignedSubscription(deps, actor, subscriptionId);
  else await getSubscription(deps, actor, subscriptionId);
  return [];
}

/** Maps a tenancy of the caller's organization to a subscription (parent only, §7.10). */
export async function createSubscriptionMapping(
  deps: ServiceDeps,
  actor: Principal,
  input: { compartmentId: string; subscriptionId: string },
): Promise<SubscriptionMapping> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-subscription-mapping');
  const org = await repo.findOrganizationOfParent(deps.database.db, tenant.id);
  if (!org) throw orgNotFound('organization tenancy', input.compartmentId);
  const member = await repo.findOrgTenancy(deps.database.db, org.id, input.compartmentId);
  if (!member || member.left_at !== null) throw orgNotFound('organization tenancy', input.compartmentId);
  const usable = [
    ...(await repo.listSubscriptionsOfTenant(deps.database.db, tenant.id)),
    ...(member.tenant_id === tenant.id ? [] : await repo.listSubscriptionsOfTenant(deps.database.db, member.tenant_id)),
  ];
  if (!usable.some((s) => s.id === input.subscriptionId)) {
    throw invalidParameter(`subscription ${input.subscriptionId} is neither the parent's nor the tenancy's own`);
  }
  const row = await inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const before = await repo.endActiveMapping(trx, member.tenant_id, now);
      const mapping: repo.SubscriptionMappingRow = {
        id: newOcid('subscriptionmapping', deps.config.realm),
        organization_id: org.id,
        owner_tenant_id: tenant.id,
        tenant_id: member.tenant_id,
        compartment_id: member.tenancy_id,
        subscription_id: input.subscriptionId,
        is_explicit: 1,
        lifecycle_state: 'ACTIVE',
        version: 1,
        created_at: now,
        updated_at: now,
        terminated_at: null,
      };
      await repo.insertMapping(trx, mapping);
      await recordChange(trx, actor, now, {
        tenantId: tenant.id,
        action: 'subscription-mapping.create',
        resourceType: 'SubscriptionMapping',
        resourceId: mapping.id,
        before: before ? toMapping(before) : undefined,
        after: toMapping(mapping),
      });
      return mapping;
    },
    { ux_org_subscription_mappings_tenant_id: () => incorrectState('the tenancy was mapped concurrently; try again') },
  );
  return toMapping(row);
}

async function visibleMapping(deps: ServiceDeps, tenant: Tenant, id: string): Promise<repo.SubscriptionMappingRow> {
  const row = await repo.findMapping(deps.database.db, id);
  if (!row || (row.owner_tenant_id !== tenant.id && row.tenant_id !== tenant.id)) throw orgNotFound('subscription mapping', id);
  return row;
}

export async function getSubscriptionMapping(deps: ServiceDeps, actor: Principal, id: string): Promise<SubscriptionMapping> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-subscription-mapping');
  return toMapping(await visibleMapping(deps, tenant, id));
}

export async function listSubscriptionMappings(
  deps: ServiceDeps,
  actor: Principal,
  q: SortQuery & { subscriptionId?: string; subscriptionMappingId?: string; compartmentId?: string; lifecycleState?: string },
): Promise<Paged<SubscriptionMapping>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-subscription-mapping');
  if (!q.subscriptionId) throw missingParameter('subscriptionId');
  const rows = await repo.listMappings(
    deps.database.db,
    { ownerTenantId: tenant.id, subscriptionId: q.subscriptionId, id: q.subscriptionMappingId, compartmentId: q.compartmentId, lifecycleState: q.lifecycleState },
    { offset: q.offset, limit: q.limit, sortBy: q.sortBy, sortOrder: q.sortOrder ?? 'DESC' },
  );
  return paged(rows, q.offset, q.limit, toMapping);
}

/** Unmaps an explicit mapping: the tenancy goes back to the organization's default subscription. */
export async function deleteSubscriptionMapping(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<void> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-subscription-mapping');
  const row = await visibleMapping(deps, tenant, id);
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.owner_tenant_id !== tenant.id) throw ruleConflict('only the parent tenancy can change subscription mappings');
  if (row.lifecycle_state !== 'ACTIVE') throw ruleConflict(`the mapping is ${row.lifecycle_state}`);
  if (row.is_explicit === 0) throw ruleConflict('the default subscription cannot be unmapped');
  const org = await repo.findOrganization(deps.database.db, row.organization_id);
  await inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const ended = await repo.endActiveMapping(trx, row.tenant_id, now);
      if (!ended || ended.id !== row.id) throw incorrectState('the mapping changed meanwhile; read it again');
      const fallback: repo.SubscriptionMappingRow = {
        ...row,
        id: newOcid('subscriptionmapping', deps.config.realm),
        subscription_id: org!.default_subscription_id,
        is_explicit: 0,
        lifecycle_state: 'ACTIVE',
        version: 1,
        created_at: now,
        updated_at: now,
        terminated_at: null,
      };
      await repo.insertMapping(trx, fallback);
      await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'subscription-mapping.delete', resourceType: 'SubscriptionMapping', resourceId: row.id, before: toMapping(row), after: toMapping(fallback) });
    },
    { ux_org_subscription_mappings_tenant_id: () => incorrectState('the tenancy was mapped concurrently; try again') },
  );
}
