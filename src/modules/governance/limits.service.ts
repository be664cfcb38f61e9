import type { Executor } from '../../platform/db/index.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { conflict, invalid } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import type { Tenant } from '../tenants/tenants.service.js';
import { enforcedRulesOf } from './attachments.service.js';
import { govNotFound, missingParameter } from './governance.errors.js';
import * as repo from './governance.repo.js';
import type { Template } from './governance.schemas.js';
import { actingTenancy, iso, requireOwnCompartment } from './governance-work-requests.service.js';
import { findFamily, QUOTA_FAMILIES, type LimitDefinition } from './limits-catalogue.js';
import { parseQuotaStatements, type QuotaStatement } from './quota-statements.js';

// The OCI Limits API shape (oci-limits: LimitsClient /20190729, QuotasClient /20181025), read from
// the limits catalogue. A tenancy's service limits are its own (a child keeps them); its quotas are
// the QUOTA governance rules its organization enforces on it, locked: the child reads them and
// cannot change or delete them. Resource availability answers with the effective quota and the
// usage the operator reported (resource-usage.service.ts).

export interface Quota {
  id: string;
  compartmentId: string;
  name: string;
  description: string;
  statements: string[];
  timeCreated: string;
  lifecycleState: 'ACTIVE';
  locks: Array<{ type: 'FULL'; relatedResourceId: string; message: string; timeCreated: string }>;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
  etag: string;
}

const quotaName = (displayName: string) => displayName.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 100) || 'quota';

async function enforcedQuotas(deps: ServiceDeps, tenant: Tenant): Promise<Quota[]> {
  const rows = await enforcedRulesOf(deps.database.db, tenant.id, 'QUOTA');
  return rows.map((row) => {
    const template = JSON.parse(row.rule_template) as Extract<Template, { type: 'QUOTA' }>;
    return {
      id: row.enforced_rule_id,
      compartmentId: tenant.ocid,
      name: quotaName(row.rule_display_name),
      description: template.description ?? `Quota of governance rule ${row.rule_display_name}, enforced by this tenancy's organization`,
      statements: template.statements,
      timeCreated: iso(row.created_at),
      lifecycleState: 'ACTIVE' as const,
      locks: [{ type: 'FULL' as const, relatedResourceId: row.governance_rule_id, message: 'locked by the governance rules of this tenancy\'s organization', timeCreated: iso(row.created_at) }],
      freeformTags: {},
      definedTags: {},
      etag: `${row.id}:${row.version}:${row.rule_updated_at}`,
    };
  });
}

async function tenancyFor(deps: ServiceDeps, actor: Principal, verb: 'inspect' | 'read', resourceType: string, compartmentId: string | undefined) {
  const tenant = await actingTenancy(deps, actor, verb, resourceType);
  requireOwnCompartment(tenant, compartmentId);
  return tenant;
}

export async function listQuotas(deps: ServiceDeps, actor: Principal, q: { compartmentId?: string; name?: string; lifecycleState?: string }): Promise<Quota[]> {
  const tenant = await tenancyFor(deps, actor, 'inspect', 'quotas', q.compartmentId);
  const quotas = await enforcedQuotas(deps, tenant);
  return quotas.filter((x) => (!q.name || x.name === q.name) && (!q.lifecycleState || x.lifecycleState === q.lifecycleState));
}

export async function getQuota(deps: ServiceDeps, actor: Principal, id: string): Promise<Quota> {
  const tenant = await actingTenancy(deps, actor, 'read', 'quotas');
  const quota = (await enforcedQuotas(deps, tenant)).find((x) => x.id === id);
  if (!quota) throw govNotFound('quota', id);
  return quota;
}

/** Changing or deleting a quota: the ones this service holds are all locked by governance. */
export async function refuseQuotaChange(deps: ServiceDeps, actor: Principal, id: string): Promise<never> {
  const quota = await getQuota(deps, actor, id);
  throw conflict('QUOTA_LOCKED', `quota ${quota.id} is locked by governance rule ${quota.locks[0].relatedResourceId} of this tenancy's organization; only the parent can change it`);
}

// Limits

const definitionOf = (l: LimitDefinition) => ({
  name: l.name,
  serviceName: l.service,
  description: l.description,
  scopeType: l.scopeType,
  areQuotasSupported: true,
  isResourceAvailabilitySupported: true,
  isDeprecated: false,
  isEligibleForLimitIncrease: true,
  isDynamic: false,
  supportedQuotaFamilies: [l.service],
});

function serviceOrThrow(name: string | undefined) {
  if (!name) throw missingParameter('serviceName');
  const family = findFamily(name);
  if (!family) throw govNotFound('service', name);
  return family;
}

export async function listServices(deps: ServiceDeps, actor: Principal, q: { compartmentId?: string }) {
  await tenancyFor(deps, actor, 'inspect', 'limits', q.compartmentId);
  return QUOTA_FAMILIES.map((f) => ({ name: f.name, description: f.description }));
}

export async function listLimitDefinitions(deps: ServiceDeps, actor: Principal, q: { compartmentId?: string; serviceName?: string; name?: string }) {
  await tenancyFor(deps, actor, 'inspect', 'limits', q.compartmentId);
  const families = q.serviceName ? [serviceOrThrow(q.serviceName)] : QUOTA_FAMILIES;
  return families.flatMap((f) => f.limits).filter((l) => !q.name || l.name === q.name).map(definitionOf);
}

/** The tenancy's own service limits: organization governance never changes them (§7.5). */
export async function listLimitValues(deps: ServiceDeps, actor: Principal, q: { compartmentId?: string; serviceName?: string; name?: string; scopeType?: string }) {
  await tenancyFor(deps, actor, 'inspect', 'limits', q.compartmentId);
  return serviceOrThrow(q.serviceName)
    .limits.filter((l) => (!q.name || l.name === q.name) && (!q.scopeType || l.scopeType === q.scopeType))
    .map((l) => ({ name: l.name, scopeType: l.scopeType, availabilityDomain: l.scopeType === 'AD' ? 'AD-1' : undefined, value: l.defaultValue }));
}

/**
 * The effective quota on one limit in `region`: the statements of the enforced QUOTA rules in order
 * (rules in the order they were attached), `set` and `zero` assigning, `unset` clearing, each only
 * where its region condition holds. Undefined when no statement covers the limit.
 */
export function effectiveQuota(statements: QuotaStatement[], family: string, name: string, region: string): number | undefined {
  let value: number | undefined;
  for (const s of statements) {
    if (s.family !== family || !s.names.includes(name)) continue;
    if (s.where && (s.where.operator === '=') !== s.where.regions.includes(region)) continue;
    value = s.action === 'unset' ? undefined : s.value;
  }
  return value;
}

/** The statements of the QUOTA rules in force on the tenancy, rules in the order they were attached. */
async function quotaStatementsOf(db: Executor, regions: readonly string[], tenantId: string): Promise<QuotaStatement[]> {
  const rows = await enforcedRulesOf(db, tenantId, 'QUOTA');
  return rows.flatMap((r) => parseQuotaStatements((JSON.parse(r.rule_template) as Extract<Template, { type: 'QUOTA' }>).statements, regions));
}

export interface Allowance {
  /** The tenancy's own service limit. */
  serviceLimit: number;
  /** The effective quota of its organization's QUOTA rules, when a statement covers the limit there. */
  quota?: number;
  /** What it may use: the service limit, capped by the quota. */
  ceiling: number;
}

/** What a tenancy may use of one limit in one region (read with `db`, or inside a transaction). */
export async function allowanceOf(db: Executor, regions: readonly string[], tenantId: string, limit: LimitDefinition, region: string): Promise<Allowance> {
  const quota = effectiveQuota(await quotaStatementsOf(db, regions, tenantId), limit.service, limit.name, region);
  return { serviceLimit: limit.defaultValue, quota, ceiling: quota === undefined ? limit.defaultValue : Math.min(quota, limit.defaultValue) };
}

/** The catalogue's limit, or not found. */
function limitOrThrow(serviceName: string | undefined, limitName: string): LimitDefinition {
  const limit = serviceOrThrow(serviceName).limits.find((l) => l.name === limitName);
  if (!limit) throw govNotFound('limit', `${serviceName}/${limitName}`);
  return limit;
}

/**
 * Resource availability in the tenancy's home region (a real endpoint answers for its own region):
 * the usage the operator reported (`PUT /admin/v1/tenants/{id}/resource-usage`) against the service
 * limit capped by the effective quota.
 */
export async function getResourceAvailability(deps: ServiceDeps, actor: Principal, q: { serviceName: string; limitName: string; compartmentId?: string }) {
  const tenant = await tenancyFor(deps, actor, 'inspect', 'limits', q.compartmentId);
  const limit = limitOrThrow(q.serviceName, q.limitName);
  const db = deps.database.db;
  const [allowance, [usage]] = await Promise.all([
    allowanceOf(db, deps.config.regions, tenant.id, limit, tenant.homeRegion),
    repo.listResourceUsage(db, tenant.id, { service: limit.service, limitName: limit.name, region: tenant.homeRegion }),
  ]);
  const used = usage?.used ?? 0;
  const available = Math.max(0, allowance.ceiling - used);
  return { used, available, effectiveQuotaValue: allowance.quota, fractionalUsage: used, fractionalAvailability: available };
}

export const notSupported = (what: string) => invalid('NOT_SUPPORTED', `${what}: this service holds only the quotas organization governance enforces; manage them as governance rules`);
