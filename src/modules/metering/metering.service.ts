import type { Trx } from '../../platform/db/index.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { invalid, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { authorize } from '../identity/identity.service.js';
import { childrenOf, subscriptionMappingHistory } from '../organizations/governance-membership.js';
import { findTenantsByOcids, getTenantOrThrow, type Tenant } from '../tenants/tenants.service.js';
import * as repo from './metering.repo.js';

// Metering: usage records are attributed to the subscription the tenancy was mapped to at the time
// of use (its own before joining; the organization's default from acceptance on, after
// TENANTRY_METERING_START_DELAY; its own again after a mapping back) and priced with the rate card
// that subscription had at that time. The report speaks the OCI Usage API's
// RequestSummarizedUsages (/20200107/usage) for the oci-usageapi client.

interface RateItem {
  service: string;
  unit: string;
  unitPrice: number;
  currency: string;
}

/** Keeps the rate card's history (called in setRateCard's transaction). */
export async function recordRateCardVersion(trx: Trx, subscriptionId: string, items: RateItem[], now: number): Promise<void> {
  await repo.insertRateCardVersion(trx, subscriptionId, now, JSON.stringify(items));
}

export interface SummarizedUsagesQuery {
  tenantId: string;
  timeUsageStarted: string;
  timeUsageEnded: string;
  granularity: 'HOURLY' | 'DAILY' | 'MONTHLY' | 'TOTAL';
  queryType?: string;
  groupBy?: string[];
}

export interface UsageSummary {
  tenantId?: string;
  tenantName?: string;
  service?: string;
  subscriptionId?: string;
  timeUsageStarted: string;
  timeUsageEnded: string;
  computedQuantity: number;
  computedAmount?: number;
  unit?: string;
  currency?: string;
}

const GROUPS = ['tenantId', 'tenantName', 'service', 'subscriptionId', 'unit'] as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function bucketOf(time: number, granularity: SummarizedUsagesQuery['granularity'], from: number, until: number): [number, number] {
  switch (granularity) {
    case 'HOURLY':
      return [time - (time % HOUR), time - (time % HOUR) + HOUR];
    case 'DAILY':
      return [time - (time % DAY), time - (time % DAY) + DAY];
    case 'MONTHLY': {
      const d = new Date(time);
      return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)];
    }
    case 'TOTAL':
      return [from, until];
  }
}

function checkWindow(q: SummarizedUsagesQuery): { from: number; until: number } {
  const from = Date.parse(q.timeUsageStarted);
  const until = Date.parse(q.timeUsageEnded);
  if (Number.isNaN(from) || Number.isNaN(until) || from >= until) throw invalid('INVALID_PARAMETER', 'timeUsageStarted must be a time before timeUsageEnded');
  const aligned = (t: number) =>
    q.granularity === 'HOURLY' ? t % HOUR === 0 : q.granularity === 'MONTHLY' ? t % DAY === 0 && new Date(t).getUTCDate() === 1 : q.granularity === 'DAILY' ? t % DAY === 0 : true;
  if (!aligned(from) || !aligned(until)) {
    throw invalid('INVALID_PARAMETER', `for ${q.granularity} the window starts and ends on ${q.granularity === 'MONTHLY' ? 'the first day of a month' : q.granularity === 'DAILY' ? 'a UTC midnight' : 'a whole hour'}`);
  }
  return { from, until };
}

/**
 * RequestSummarizedUsages: a tenancy reads its own usage; a parent also its children's. USAGE and
 * COST both report computedQuantity; COST adds computedAmount and currency.
 */
export async function requestSummarizedUsages(deps: ServiceDeps, actor: Principal, q: SummarizedUsagesQuery): Promise<{ groupBy: string[]; items: UsageSummary[] }> {
  if (!actor.tenantId) throw notFound('USAGE_NOT_FOUND', 'no tenancy');
  const caller = await getTenantOrThrow(deps, actor.tenantId);
  await authorize(deps, actor, { verb: 'read', resourceType: 'usage-report', variables: { 'target.tenant.id': caller.ocid } });
  if (q.tenantId !== caller.ocid) throw notFound('USAGE_NOT_FOUND', `no tenancy ${q.tenantId} visible to this tenancy`);
  const groupBy = (q.groupBy ?? []).filter((g): g is (typeof GROUPS)[number] => (GROUPS as readonly string[]).includes(g));
  const unknownGroup = (q.groupBy ?? []).find((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknownGroup) throw invalid('INVALID_PARAMETER', `groupBy ${unknownGroup} is not supported; use ${GROUPS.join(', ')}`);
  const { from, until } = checkWindow(q);
  const db = deps.database.db;

  const { children } = await childrenOf(db, caller.id);
  const others = await findTenantsByOcids(deps, children.map((c) => c.tenancyId));
  const tenants = new Map<string, Tenant>([[caller.id, caller], ...others.map((t) => [t.id, t] as [string, Tenant])]);
  const ids = [...tenants.keys()];
  const [records, mappings] = await Promise.all([repo.usageRecords(db, ids, from, until), subscriptionMappingHistory(db, ids)]);

  const delay = deps.config.meteringStartDelayMs;
  const subscriptionAt = (tenantId: string, time: number): string => {
    let chosen: { start: number; subscriptionId: string } | undefined;
    for (const m of mappings) {
      if (m.tenantId !== tenantId) continue;
      const start = m.from + (m.isExplicit ? 0 : delay);
      if (start <= time && (m.until === null || time < m.until) && (!chosen || start >= chosen.start)) chosen = { start, subscriptionId: m.subscriptionId };
    }
    return chosen?.subscriptionId ?? tenants.get(tenantId)!.subscriptionId;
  };

  const attributed = records.map((r) => ({ ...r, subscriptionId: subscriptionAt(r.tenant_id, r.time) }));
  const versions = await repo.rateCardVersions(db, [...new Set(attributed.map((r) => r.subscriptionId))]);
  const priceAt = (subscriptionId: string, service: string, unit: string, time: number): RateItem | undefined => {
    // The card in force at the time of use; usage older than the first card is priced with the first
    // (a subscription's first card is its price list from the start, not a price change).
    let card: RateItem[] | undefined;
    for (const v of versions) {
      if (v.subscription_id !== subscriptionId) continue;
      if (v.effective_from <= time || card === undefined) card = JSON.parse(v.items) as RateItem[];
      if (v.effective_from > time) break;
    }
    return card?.find((i) => i.service === service && i.unit === unit) ?? card?.find((i) => i.service === service);
  };

  const cost = q.queryType === 'COST';
  const groups = new Map<string, UsageSummary & { units: Set<string>; currencies: Set<string> }>();
  for (const r of attributed) {
    const [start, end] = bucketOf(r.time, q.granularity, from, until);
    const tenant = tenants.get(r.tenant_id)!;
    const values: Record<(typeof GROUPS)[number], string> = { tenantId: tenant.ocid, tenantName: tenant.name, service: r.service, subscriptionId: r.subscriptionId, unit: r.unit };
    const key = [start, ...groupBy.map((g) => values[g])].join('\u0000');
    let item = groups.get(key);
    if (!item) {
      item = { timeUsageStarted: new Date(start).toISOString(), timeUsageEnded: new Date(end).toISOString(), computedQuantity: 0, units: new Set(), currencies: new Set() };
      for (const g of groupBy) item[g] = values[g];
      if (cost) item.computedAmount = 0;
      groups.set(key, item);
    }
    item.computedQuantity += r.quantity;
    item.units.add(r.unit);
    if (cost) {
      const rate = priceAt(r.subscriptionId, r.service, r.unit, r.time);
      item.computedAmount! += rate ? r.quantity * rate.unitPrice : 0;
      if (rate) item.currencies.add(rate.currency);
    }
  }
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  const items = [...groups.values()]
    .map(({ units, currencies, ...item }) => ({
      ...item,
      computedQuantity: round(item.computedQuantity),
      ...(item.computedAmount !== undefined ? { computedAmount: round(item.computedAmount) } : {}),
      ...(units.size === 1 ? { unit: [...units][0] } : {}),
      ...(currencies.size === 1 ? { currency: [...currencies][0] } : {}),
    }))
    .sort((a, b) => a.timeUsageStarted.localeCompare(b.timeUsageStarted));
  return { groupBy, items };
}
