import { inTransaction } from '../../platform/db/transaction.js';
import type { Trx } from '../../platform/db/index.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newGuid, newOcid } from '../../platform/ids.js';
import { enqueueMail } from '../../platform/mail/mail.jobs.js';
import { renderMail } from '../../platform/mail/templates.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { hashPassword } from '../identity/passwords.js';
import { provisionTenantIdentity } from '../identity/identity.service.js';
import * as repo from './tenants.repo.js';
import { TENANT_WELCOME } from './tenants.mail.js';
import type { SubscriptionType } from './tenants.schemas.js';


export interface Tenant {
  id: string;
  ocid: string;
  name: string;
  realm: string;
  homeRegion: string;
  subscriptionType: SubscriptionType;
  subscriptionId: string;
  createdAt: string;
}

export function toTenant(row: repo.TenantRow): Tenant {
  return {
    id: row.id,
    ocid: row.ocid,
    name: row.name,
    realm: row.realm,
    homeRegion: row.home_region,
    subscriptionType: row.subscription_type as SubscriptionType,
    subscriptionId: row.subscription_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function getTenantOrThrow(deps: ServiceDeps, tenantId: string): Promise<Tenant> {
  const row = await repo.findTenantById(deps.database.db, tenantId);
  if (!row) throw notFound('TENANT_NOT_FOUND', `no tenant with id ${tenantId}`);
  return toTenant(row);
}

export async function findTenantByOcid(deps: ServiceDeps, ocid: string): Promise<Tenant | undefined> {
  const row = await repo.findTenantByOcid(deps.database.db, ocid);
  return row && toTenant(row);
}

export async function listTenants(deps: ServiceDeps): Promise<Tenant[]> {
  return (await repo.listTenants(deps.database.db)).map(toTenant);
}

export interface CreateTenantInput {
  name: string;
  adminEmail: string;
  adminPassword?: string;
  homeRegion?: string;
  subscriptionType?: SubscriptionType;
}

export type NewTenant = Tenant & { admin: { id: string; ocid: string; email: string } };

/** What createTenant checks and hashes before its transaction (argon2 is slow; no lock is held for it). */
export interface PreparedTenant {
  input: CreateTenantInput;
  homeRegion: string;
  passwordHash: string | null;
}

export async function prepareTenant(deps: ServiceDeps, input: CreateTenantInput): Promise<PreparedTenant> {
  const homeRegion = input.homeRegion ?? deps.config.regions[0];
  if (!deps.config.regions.includes(homeRegion)) {
    throw invalid('UNKNOWN_REGION', `homeRegion ${homeRegion} is not one of this service's regions: ${deps.config.regions.join(', ')}`);
  }
  const passwordHash = input.adminPassword === undefined ? null : await hashPassword(input.adminPassword);
  return { input, homeRegion, passwordHash };
}

/**
 * Inserts a tenant with its own subscription, built-in roles, Administrators group and admin user,
 * and queues a welcome email to the admin, in the caller's transaction (a child tenancy is created
 * in the one that also links it to its organization).
 */
export async function insertTenant(trx: Trx, deps: ServiceDeps, actor: Principal, now: number, prepared: PreparedTenant): Promise<NewTenant> {
  const { config } = deps;
  const { input } = prepared;
  const row: repo.TenantRow = {
    id: newGuid(now),
    ocid: newOcid('tenancy', config.realm),
    name: input.name,
    realm: config.realm,
    home_region: prepared.homeRegion,
    subscription_type: input.subscriptionType ?? 'ANNUAL_COMMIT',
    subscription_id: newOcid('organizationssubscription', config.realm),
    created_at: now,
  };
  await repo.insertTenant(trx, row);
  await repo.insertSubscription(trx, { id: row.subscription_id, tenant_id: row.id, display_name: `${row.name} subscription`, created_at: now });
  const tenant = toTenant(row);
  await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'tenant.create', resourceType: 'Tenant', resourceId: tenant.id, after: tenant });
  const admin = await provisionTenantIdentity(trx, now, actor, {
    tenantId: row.id,
    realm: row.realm,
    adminEmail: input.adminEmail,
    adminName: input.adminEmail,
    passwordHash: prepared.passwordHash,
  });
  const mail = renderMail(TENANT_WELCOME, {
    tenantName: tenant.name,
    tenantId: tenant.id,
    tenantOcid: tenant.ocid,
    consoleUrl: `${config.publicUrl}/console`,
  });
  await enqueueMail(trx, now, admin.email, mail);
  return { ...tenant, admin };
}

/** Creates a tenant (see insertTenant) in a transaction of its own. */
export async function createTenant(deps: ServiceDeps, actor: Principal, input: CreateTenantInput): Promise<NewTenant> {
  const prepared = await prepareTenant(deps, input);
  const result = await inTransaction(deps.database, (trx) => insertTenant(trx, deps, actor, deps.clock.now(), prepared));
  deps.wakeWorker();
  return result;
}

/** One more subscription of a tenancy (the Organizations API can map children to it). */
export async function addSubscription(
  deps: ServiceDeps,
  actor: Principal,
  tenantId: string,
  input: { displayName?: string },
): Promise<{ subscriptionId: string }> {
  const tenant = await getTenantOrThrow(deps, tenantId);
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const row = {
      id: newOcid('organizationssubscription', tenant.realm),
      tenant_id: tenantId,
      display_name: input.displayName ?? `${tenant.name} subscription`,
      created_at: now,
    };
    await repo.insertSubscription(trx, row);
    await recordChange(trx, actor, now, { tenantId, action: 'subscription.create', resourceType: 'Subscription', resourceId: row.id, after: { displayName: row.display_name } });
    return { subscriptionId: row.id };
  });
}

export async function createNamespace(deps: ServiceDeps, actor: Principal, tenantId: string, input: { id: string }): Promise<{ id: string }> {
  await getTenantOrThrow(deps, tenantId);
  return inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      await repo.insertNamespace(trx, { tenant_id: tenantId, id: input.id, created_at: now });
      await recordChange(trx, actor, now, { tenantId, action: 'namespace.create', resourceType: 'Namespace', resourceId: input.id, after: { id: input.id } });
      return { id: input.id };
    },
    { namespaces_pkey: () => conflict('NAMESPACE_EXISTS', `namespace ${input.id} already exists in this tenant`) },
  );
}

export async function getSubscriptionOrThrow(deps: ServiceDeps, subscriptionId: string): Promise<{ id: string; tenantId: string; displayName: string }> {
  const row = await repo.findSubscriptionById(deps.database.db, subscriptionId);
  if (!row) throw notFound('SUBSCRIPTION_NOT_FOUND', `no subscription with id ${subscriptionId}`);
  return { id: row.id, tenantId: row.tenant_id, displayName: row.display_name };
}

export async function findTenantsByOcids(deps: ServiceDeps, ocids: readonly string[]): Promise<Tenant[]> {
  return (await repo.findTenantsByOcid(deps.database.db, ocids)).map(toTenant);
}

export async function getNamespaceOrThrow(deps: ServiceDeps, tenantId: string, namespaceId: string): Promise<{ id: string }> {
  const row = await repo.findNamespace(deps.database.db, tenantId, namespaceId);
  if (!row) throw notFound('NAMESPACE_NOT_FOUND', `no namespace ${namespaceId} in this tenant`);
  return { id: row.id };
}

export async function listNamespaces(deps: ServiceDeps, tenantId: string): Promise<Array<{ id: string }>> {
  return (await repo.listNamespaces(deps.database.db, tenantId)).map((row) => ({ id: row.id }));
}
