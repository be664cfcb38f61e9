import type { Executor, Trx } from '../../platform/db/index.js';
import type {
  OrgLinksTable,
  OrgOrganizationsTable,
  OrgRetryTokensTable,
  OrgSubscriptionMappingsTable,
  OrgTenanciesTable,
} from '../../platform/db/schema.js';

export type OrganizationRow = OrgOrganizationsTable;
export type OrgTenancyRow = OrgTenanciesTable;
export type LinkRow = OrgLinksTable;
export type SubscriptionMappingRow = OrgSubscriptionMappingsTable;
export type RetryTokenRow = OrgRetryTokensTable;

// Organizations

export async function insertOrganization(trx: Trx, row: OrganizationRow): Promise<void> {
  await trx.insertInto('org_organizations').values(row).execute();
}

export function findOrganization(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('org_organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrganizationOfParent(db: Executor, parentTenantId: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('org_organizations').selectAll().where('tenant_id', '=', parentTenantId).executeTakeFirst();
}

export function updateOrganization(trx: Trx, id: string, version: number, changes: Partial<OrganizationRow>): Promise<OrganizationRow | undefined> {
  return trx
    .updateTable('org_organizations')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

// Organization tenancies

export async function insertOrgTenancy(trx: Trx, row: OrgTenancyRow): Promise<void> {
  await trx.insertInto('org_tenancies').values(row).execute();
}

/** The tenancy's current membership (not left), if any. */
export function findMembership(db: Executor, tenantId: string): Promise<OrgTenancyRow | undefined> {
  return db.selectFrom('org_tenancies').selectAll().where('tenant_id', '=', tenantId).where('left_at', 'is', null).executeTakeFirst();
}

export function findOrgTenancyById(db: Executor, id: string): Promise<OrgTenancyRow | undefined> {
  return db.selectFrom('org_tenancies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The latest row of a tenancy in an organization (a deleted one included). */
export function findOrgTenancy(db: Executor, organizationId: string, tenancyOcid: string): Promise<OrgTenancyRow | undefined> {
  return db
    .selectFrom('org_tenancies')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('tenancy_id', '=', tenancyOcid)
    .orderBy('joined_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listOrgTenancies(db: Executor, organizationId: string, offset: number, limit: number): Promise<OrgTenancyRow[]> {
  return db
    .selectFrom('org_tenancies')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('joined_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit + 1)
    .offset(offset)
    .execute();
}

export async function countActiveChildren(db: Executor, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('org_tenancies')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'CHILD')
    .where('left_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function updateOrgTenancy(
  trx: Trx,
  id: string,
  version: number,
  changes: Partial<OrgTenancyRow>,
  guard: { lifecycleState?: string } = {},
): Promise<OrgTenancyRow | undefined> {
  let q = trx.updateTable('org_tenancies').set({ ...changes, version: version + 1 }).where('id', '=', id).where('version', '=', version);
  if (guard.lifecycleState) q = q.where('lifecycle_state', '=', guard.lifecycleState);
  return q.returningAll().executeTakeFirst();
}

// Links

export async function insertLink(trx: Trx, row: LinkRow): Promise<void> {
  await trx.insertInto('org_links').values(row).execute();
}

export function findLink(db: Executor, id: string): Promise<LinkRow | undefined> {
  return db.selectFrom('org_links').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listLinks(
  db: Executor,
  filter: { tenantId: string; parentTenancyId?: string; childTenancyId?: string; feature?: string; lifecycleState?: string },
  page: { offset: number; limit: number; sortOrder: 'ASC' | 'DESC' },
): Promise<LinkRow[]> {
  let q = db
    .selectFrom('org_links')
    .selectAll()
    .where((eb) => eb.or([eb('parent_tenant_id', '=', filter.tenantId), eb('child_tenant_id', '=', filter.tenantId)]));
  if (filter.parentTenancyId) q = q.where('parent_tenancy_id', '=', filter.parentTenancyId);
  if (filter.childTenancyId) q = q.where('child_tenancy_id', '=', filter.childTenancyId);
  if (filter.feature) q = q.where('feature', '=', filter.feature);
  if (filter.lifecycleState) q = q.where('lifecycle_state', '=', filter.lifecycleState);
  const order = page.sortOrder === 'ASC' ? 'asc' : 'desc';
  return q.orderBy('created_at', order).orderBy('id', order).limit(page.limit + 1).offset(page.offset).execute();
}

export function findActiveLinkOfChild(db: Executor, childTenantId: string): Promise<LinkRow | undefined> {
  return db
    .selectFrom('org_links')
    .selectAll()
    .where('child_tenant_id', '=', childTenantId)
    .where('lifecycle_state', '=', 'ACTIVE')
    .executeTakeFirst();
}

export function terminateLink(trx: Trx, id: string, now: number): Promise<LinkRow | undefined> {
  return trx
    .updateTable('org_links')
    .set((eb) => ({ lifecycle_state: 'TERMINATED', terminated_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('lifecycle_state', '=', 'ACTIVE')
    .returningAll()
    .executeTakeFirst();
}

export async function setLinksOfChildState(trx: Trx, childTenantId: string, from: string, to: string, now: number): Promise<void> {
  await trx
    .updateTable('org_links')
    .set((eb) => ({ lifecycle_state: to, updated_at: now, version: eb('version', '+', 1), terminated_at: to === 'TERMINATED' ? now : null }))
    .where('child_tenant_id', '=', childTenantId)
    .where('lifecycle_state', '=', from)
    .execute();
}

// Subscription mappings

export async function insertMapping(trx: Trx, row: SubscriptionMappingRow): Promise<void> {
  await trx.insertInto('org_subscription_mappings').values(row).execute();
}

export function findMapping(db: Executor, id: string): Promise<SubscriptionMappingRow | undefined> {
  return db.selectFrom('org_subscription_mappings').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findActiveMapping(db: Executor, tenantId: string): Promise<SubscriptionMappingRow | undefined> {
  return db
    .selectFrom('org_subscription_mappings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('lifecycle_state', '=', 'ACTIVE')
    .executeTakeFirst();
}

export function listMappings(
  db: Executor,
  filter: { ownerTenantId: string; subscriptionId: string; id?: string; compartmentId?: string; lifecycleState?: string },
  page: { offset: number; limit: number; sortBy: 'timeCreated' | 'displayName'; sortOrder: 'ASC' | 'DESC' },
): Promise<SubscriptionMappingRow[]> {
  let q = db
    .selectFrom('org_subscription_mappings')
    .selectAll()
    .where('owner_tenant_id', '=', filter.ownerTenantId)
    .where('subscription_id', '=', filter.subscriptionId);
  if (filter.id) q = q.where('id', '=', filter.id);
  if (filter.compartmentId) q = q.where('compartment_id', '=', filter.compartmentId);
  if (filter.lifecycleState) q = q.where('lifecycle_state', '=', filter.lifecycleState);
  const order = page.sortOrder === 'ASC' ? 'asc' : 'desc';
  return q.orderBy('created_at', order).orderBy('id', order).limit(page.limit + 1).offset(page.offset).execute();
}

/** Ends a tenancy's active mapping (it is replaced in the same transaction). */
export function endActiveMapping(trx: Trx, tenantId: string, now: number): Promise<SubscriptionMappingRow | undefined> {
  return trx
    .updateTable('org_subscription_mappings')
    .set((eb) => ({ lifecycle_state: 'DELETED', terminated_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .where('lifecycle_state', '=', 'ACTIVE')
    .returningAll()
    .executeTakeFirst();
}

/** Moves every implicit (default) mapping of an organization to a new default subscription. */
export async function moveImplicitMappings(trx: Trx, organizationId: string, subscriptionId: string, now: number): Promise<void> {
  await trx
    .updateTable('org_subscription_mappings')
    .set((eb) => ({ subscription_id: subscriptionId, updated_at: now, version: eb('version', '+', 1) }))
    .where('organization_id', '=', organizationId)
    .where('is_explicit', '=', 0)
    .where('lifecycle_state', '=', 'ACTIVE')
    .execute();
}

// Subscriptions (read-only here: the tenants module owns the table)

export function listSubscriptionsOfTenant(db: Executor, tenantId: string) {
  return db.selectFrom('subscriptions').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
}

// opc-retry-token replays

export function findRetryToken(db: Executor, tenantId: string, token: string): Promise<RetryTokenRow | undefined> {
  return db.selectFrom('org_retry_tokens').selectAll().where('tenant_id', '=', tenantId).where('token', '=', token).executeTakeFirst();
}

/** Claims a token for a first use; false when another request holds or held it. */
export async function claimRetryToken(db: Executor, row: RetryTokenRow): Promise<boolean> {
  const inserted = await db
    .insertInto('org_retry_tokens')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'token']).doNothing())
    .returning('token')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function completeRetryToken(db: Executor, tenantId: string, token: string, claimedAt: number, response: string): Promise<void> {
  await db.updateTable('org_retry_tokens').set({ response }).where('tenant_id', '=', tenantId).where('token', '=', token).where('created_at', '=', claimedAt).execute();
}

/** Marks a claim whose operation commits in `trx` (an empty answer only); false when the claim is no longer this request's (taken over). */
export async function markRetryTokenCommitted(trx: Trx, tenantId: string, token: string, claimedAt: number, marker: string): Promise<boolean> {
  const result = await trx
    .updateTable('org_retry_tokens')
    .set((eb) => ({ response: eb.case().when('response', '=', '').then(marker).else(eb.ref('response')).end() }))
    .where('tenant_id', '=', tenantId)
    .where('token', '=', token)
    .where('created_at', '=', claimedAt)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Takes over a claim whose operation never committed (its request died); false when another retry took it first. */
export async function takeOverRetryToken(db: Executor, tenantId: string, token: string, claimedAt: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('org_retry_tokens')
    .set({ created_at: now })
    .where('tenant_id', '=', tenantId)
    .where('token', '=', token)
    .where('created_at', '=', claimedAt)
    .where('response', '=', '')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function releaseRetryToken(db: Executor, tenantId: string, token: string, claimedAt: number): Promise<void> {
  await db.deleteFrom('org_retry_tokens').where('tenant_id', '=', tenantId).where('token', '=', token).where('created_at', '=', claimedAt).where('response', '=', '').execute();
}

/** Forgets one token used before `before` (its 24 h are over), so it can be claimed anew. */
export async function forgetRetryTokenUsedBefore(db: Executor, tenantId: string, token: string, before: number): Promise<void> {
  await db.deleteFrom('org_retry_tokens').where('tenant_id', '=', tenantId).where('token', '=', token).where('created_at', '<', before).execute();
}

/** Housekeeping: every token older than `before`, all tenants at once (indexed on created_at). */
export async function deleteRetryTokensBefore(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('org_retry_tokens').where('created_at', '<', before).execute();
}

/** Hook for metering (issue 6): all mapping rows of the tenancies, oldest first. */
export function mappingHistory(db: Executor, tenantIds: readonly string[]): Promise<SubscriptionMappingRow[]> {
  return db.selectFrom('org_subscription_mappings').selectAll().where('tenant_id', 'in', tenantIds).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
}
