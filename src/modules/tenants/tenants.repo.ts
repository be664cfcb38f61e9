import type { Executor, Trx } from '../../platform/db/index.js';
import type { NamespacesTable, SubscriptionsTable, TenantsTable } from '../../platform/db/schema.js';

export type TenantRow = TenantsTable;
export type SubscriptionRow = SubscriptionsTable;
export type NamespaceRow = NamespacesTable;

export async function insertTenant(trx: Trx, row: TenantRow): Promise<void> {
  await trx.insertInto('tenants').values(row).execute();
}

export function findTenantById(db: Executor, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findTenantByOcid(db: Executor, ocid: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('ocid', '=', ocid).executeTakeFirst();
}

export function findTenantsByOcid(db: Executor, ocids: readonly string[]): Promise<TenantRow[]> {
  if (ocids.length === 0) return Promise.resolve([]);
  return db.selectFrom('tenants').selectAll().where('ocid', 'in', ocids).execute();
}

export function listTenants(db: Executor): Promise<TenantRow[]> {
  return db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertSubscription(trx: Trx, row: SubscriptionRow): Promise<void> {
  await trx.insertInto('subscriptions').values(row).execute();
}

export function findSubscriptionById(db: Executor, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertNamespace(trx: Trx, row: NamespaceRow): Promise<void> {
  await trx.insertInto('namespaces').values(row).execute();
}

export function listNamespaces(db: Executor, tenantId: string): Promise<NamespaceRow[]> {
  return db.selectFrom('namespaces').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
}

export function findNamespace(db: Executor, tenantId: string, id: string): Promise<NamespaceRow | undefined> {
  return db.selectFrom('namespaces').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/**
 * Serializes a tenant's writes that must see each other (a no-op update takes the row lock on
 * PostgreSQL; SQLite runs one write transaction at a time anyway).
 */
export async function lockTenant(trx: Trx, tenantId: string): Promise<void> {
  await trx
    .updateTable('tenants')
    .set((eb) => ({ created_at: eb.ref('created_at') }))
    .where('id', '=', tenantId)
    .execute();
}

/**
 * The creation time of the n-th newest invitation (community invitations, deleted ones included,
 * and organization sender invitations) a tenant created after `since`; undefined when it created
 * fewer than n.
 */
export async function nthNewestInvitationSince(db: Executor, tenantId: string, since: number, n: number): Promise<number | undefined> {
  const created = db
    .selectFrom('community_invitations')
    .select('created_at')
    .where('issuing_tenant_id', '=', tenantId)
    .where('created_at', '>', since)
    .unionAll(db.selectFrom('org_sender_invitations').select('created_at').where('tenant_id', '=', tenantId).where('created_at', '>', since));
  const row = await db
    .selectFrom(created.as('i'))
    .select('i.created_at')
    .orderBy('i.created_at', 'desc')
    .limit(1)
    .offset(n - 1)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.created_at);
}
