import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { findTenantsByOcids, getSubscriptionOrThrow } from '../tenants/tenants.service.js';
import { recordRateCardVersion } from '../metering/metering.service.js';
import * as repo from './subscriptions.repo.js';

export interface RateCardItem {
  service: string;
  unit: string;
  unitPrice: number;
  currency: string;
}

export interface UsageRecordInput {
  id: string;
  tenancyId: string;
  service: string;
  resource: string;
  quantity: number;
  unit: string;
  time: string;
}

export async function setRateCard(
  deps: ServiceDeps,
  actor: Principal,
  subscriptionId: string,
  items: RateCardItem[],
): Promise<{ subscriptionId: string; items: RateCardItem[] }> {
  const subscription = await getSubscriptionOrThrow(deps, subscriptionId);
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const before = await repo.findRateCard(trx, subscriptionId);
    await repo.upsertRateCard(trx, subscriptionId, JSON.stringify(items), now);
    // Metering hook (issue 6): usage is priced with the card in force at the time of use.
    await recordRateCardVersion(trx, subscriptionId, items, now);
    await recordChange(trx, actor, now, {
      tenantId: subscription.tenantId,
      action: 'ratecard.set',
      resourceType: 'RateCard',
      resourceId: subscriptionId,
      before: before ? { items: JSON.parse(before.items) } : undefined,
      after: { items },
    });
    return { subscriptionId, items };
  });
}

/**
 * Stores usage records, idempotently per record id. A batch that names an unknown tenancy is
 * refused whole, so a caller never has to work out which half was kept.
 */
export async function recordUsage(deps: ServiceDeps, actor: Principal, records: UsageRecordInput[]): Promise<{ accepted: number }> {
  const ids = new Set<string>();
  for (const r of records) {
    if (ids.has(r.id)) throw invalid('DUPLICATE_RECORD_ID', `record id ${r.id} appears twice in the batch`);
    ids.add(r.id);
  }
  const ocids = [...new Set(records.map((r) => r.tenancyId))];
  const tenants = await findTenantsByOcids(deps, ocids);
  const byOcid = new Map(tenants.map((t) => [t.ocid, t]));
  const unknown = ocids.filter((o) => !byOcid.has(o));
  if (unknown.length) throw invalid('UNKNOWN_TENANCY', `no tenancy ${unknown.join(', ')}; the batch was not stored`);
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const rows = records.map((r) => ({
      id: r.id,
      tenant_id: byOcid.get(r.tenancyId)!.id,
      tenancy_ocid: r.tenancyId,
      service: r.service,
      resource: r.resource,
      quantity: r.quantity,
      unit: r.unit,
      time: Date.parse(r.time),
      created_at: now,
    }));
    const accepted = await repo.insertNewUsageRecords(trx, rows);
    if (accepted > 0) {
      await recordChange(trx, actor, now, {
        tenantId: null,
        action: 'usage.record',
        resourceType: 'UsageBatch',
        resourceId: records[0].id,
        after: { received: records.length, accepted },
      });
    }
    return { accepted };
  });
}
