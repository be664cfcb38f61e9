import type { Executor } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { getTenantOrThrow } from '../tenants/tenants.service.js';
import { enforcedRulesOf } from './attachments.service.js';
import { regionNotAllowed } from './governance.errors.js';
import type { Template } from './governance.schemas.js';
import * as repo from './governance.repo.js';

// A tenancy's region subscriptions: its home region and the regions it added. ALLOWED_REGIONS rules
// in force on a child restrict the regions it may add; subscriptions it already has stay (§7.8).

export interface RegionSubscription {
  region: string;
  isHomeRegion: boolean;
  status: 'READY';
  timeCreated?: string;
}

/**
 * The regions the governance rules in force on the tenancy allow, or undefined when none restricts
 * it. Each ALLOWED_REGIONS rule is a restriction of its own, so a region must be allowed by all.
 */
export async function allowedRegionsOf(db: Executor, tenantId: string): Promise<string[] | undefined> {
  const rules = await enforcedRulesOf(db, tenantId, 'ALLOWED_REGIONS');
  if (rules.length === 0) return undefined;
  const lists = rules.map((r) => (JSON.parse(r.rule_template) as Extract<Template, { type: 'ALLOWED_REGIONS' }>).regions);
  return lists.reduce((acc, list) => acc.filter((region) => list.includes(region))).sort();
}

export async function listRegionSubscriptions(deps: ServiceDeps, tenantId: string): Promise<RegionSubscription[]> {
  const tenant = await getTenantOrThrow(deps, tenantId);
  const rows = await repo.listRegionSubscriptions(deps.database.db, tenant.id);
  return [
    { region: tenant.homeRegion, isHomeRegion: true, status: 'READY' },
    ...rows.filter((r) => r.region !== tenant.homeRegion).map((r) => ({ region: r.region, isHomeRegion: false, status: 'READY' as const, timeCreated: new Date(r.created_at).toISOString() })),
  ];
}

/**
 * Subscribes a tenancy to one more region. Refused for a region this service does not know, and for
 * one the ALLOWED_REGIONS rules in force on the tenancy leave out. Subscribing again is a no-op.
 */
export async function addRegionSubscription(deps: ServiceDeps, actor: Principal, tenantId: string, region: string): Promise<{ subscription: RegionSubscription; created: boolean }> {
  const tenant = await getTenantOrThrow(deps, tenantId);
  if (!deps.config.regions.includes(region)) throw invalid('UNKNOWN_REGION', `unknown region ${region}; known regions: ${deps.config.regions.join(', ')}`);
  if (region === tenant.homeRegion) return { subscription: { region, isHomeRegion: true, status: 'READY' }, created: false };
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const existing = (await repo.listRegionSubscriptions(trx, tenant.id)).find((r) => r.region === region);
    if (existing) return { subscription: { region, isHomeRegion: false, status: 'READY' as const, timeCreated: new Date(existing.created_at).toISOString() }, created: false };
    // Checked in the transaction that subscribes, against the rules in force when it runs.
    const allowed = await allowedRegionsOf(trx, tenant.id);
    if (allowed && !allowed.includes(region)) throw regionNotAllowed(region, allowed);
    const created = await repo.insertRegionSubscription(trx, tenant.id, region, now);
    if (created) await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'tenant.region.subscribe', resourceType: 'RegionSubscription', resourceId: `${tenant.ocid}/${region}`, after: { region } });
    return { subscription: { region, isHomeRegion: false, status: 'READY' as const, timeCreated: new Date(now).toISOString() }, created };
  });
}
