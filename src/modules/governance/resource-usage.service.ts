import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { getTenantOrThrow, type Tenant } from '../tenants/tenants.service.js';
import { quotaExceeded, regionNotSubscribed, serviceLimitExceeded } from './governance.errors.js';
import * as repo from './governance.repo.js';
import { findFamily } from './limits-catalogue.js';
import { allowanceOf, type Allowance } from './limits.service.js';

// How much of each limit in the limits catalogue a tenancy uses, per region, as the operator reports
// it (the platform that runs the tenancy's resources knows; this service does not run any). A report
// that raises usage past the tenancy's service limit or past a quota its organization's QUOTA rules
// set is refused and changes nothing; lowering is always accepted (a quota set below existing usage
// leaves that usage alone, as OCI does, but nothing more can be added).

export interface ResourceUsage {
  serviceName: string;
  limitName: string;
  region: string;
  used: number;
  serviceLimit: number;
  effectiveQuotaValue?: number;
  available: number;
  timeUpdated?: string;
}

export interface ResourceUsageInput {
  serviceName: string;
  limitName: string;
  region?: string;
  used: number;
}

const toUsage = (q: { serviceName: string; limitName: string; region: string }, used: number, allowance: Allowance, updatedAt?: number): ResourceUsage => ({
  ...q,
  used,
  serviceLimit: allowance.serviceLimit,
  effectiveQuotaValue: allowance.quota,
  available: Math.max(0, allowance.ceiling - used),
  ...(updatedAt === undefined ? {} : { timeUpdated: new Date(updatedAt).toISOString() }),
});

function catalogueLimit(serviceName: string, limitName: string) {
  const family = findFamily(serviceName);
  if (!family) throw invalid('UNKNOWN_LIMIT', `unknown service ${serviceName}; see the limits catalogue (docs/governance.md)`);
  const limit = family.limits.find((l) => l.name === limitName);
  if (!limit) throw invalid('UNKNOWN_LIMIT', `unknown limit ${limitName} of service ${serviceName}; its limits: ${family.limits.map((l) => l.name).join(', ')}`);
  return limit;
}

async function regionOf(deps: ServiceDeps, tenant: Tenant, region: string | undefined): Promise<string> {
  if (region === undefined || region === tenant.homeRegion) return tenant.homeRegion;
  if (!deps.config.regions.includes(region)) throw invalid('UNKNOWN_REGION', `unknown region ${region}; known regions: ${deps.config.regions.join(', ')}`);
  const subscribed = await repo.listRegionSubscriptions(deps.database.db, tenant.id);
  if (!subscribed.some((s) => s.region === region)) throw regionNotSubscribed(region);
  return region;
}

/** Sets how much of one limit the tenancy uses in one region (its home region by default). */
export async function setResourceUsage(deps: ServiceDeps, actor: Principal, tenantId: string, input: ResourceUsageInput): Promise<ResourceUsage> {
  const tenant = await getTenantOrThrow(deps, tenantId);
  const limit = catalogueLimit(input.serviceName, input.limitName);
  const region = await regionOf(deps, tenant, input.region);
  const key = { serviceName: limit.service, limitName: limit.name, region };
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    // Checked in the transaction that writes, against the rules in force when it runs.
    const [current] = await repo.listResourceUsage(trx, tenant.id, { service: limit.service, limitName: limit.name, region });
    const before = current?.used ?? 0;
    const allowance = await allowanceOf(trx, deps.config.regions, tenant.id, limit, region);
    if (input.used > before && input.used > allowance.ceiling) {
      const what = `${input.used} of ${limit.service}/${limit.name} in ${region}`;
      if (allowance.quota !== undefined && allowance.quota < allowance.serviceLimit) {
        throw quotaExceeded(`${what} is over the quota of ${allowance.quota} the governance rules of this tenancy's organization set (in use: ${before})`);
      }
      throw serviceLimitExceeded(`${what} is over the tenancy's service limit of ${allowance.serviceLimit} (in use: ${before})`);
    }
    await repo.upsertResourceUsage(trx, { tenant_id: tenant.id, service: limit.service, limit_name: limit.name, region, used: input.used, updated_at: now });
    await recordChange(trx, actor, now, {
      tenantId: tenant.id,
      action: 'tenant.resource-usage.set',
      resourceType: 'ResourceUsage',
      resourceId: `${tenant.ocid}/${limit.service}/${limit.name}/${region}`,
      before: current ? { used: before } : undefined,
      after: { used: input.used },
    });
    return toUsage(key, input.used, allowance, now);
  });
}

/** Every usage figure reported for the tenancy, with what is still available under limit and quota. */
export async function listResourceUsage(deps: ServiceDeps, tenantId: string): Promise<ResourceUsage[]> {
  const tenant = await getTenantOrThrow(deps, tenantId);
  const db = deps.database.db;
  const rows = await repo.listResourceUsage(db, tenant.id);
  return Promise.all(
    rows.map(async (r) => {
      const limit = catalogueLimit(r.service, r.limit_name);
      return toUsage({ serviceName: r.service, limitName: r.limit_name, region: r.region }, r.used, await allowanceOf(db, deps.config.regions, tenant.id, limit, r.region), r.updated_at);
    }),
  );
}
