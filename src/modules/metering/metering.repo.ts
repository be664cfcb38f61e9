import type { Executor, Trx } from '../../platform/db/index.js';

export async function insertRateCardVersion(trx: Trx, subscriptionId: string, effectiveFrom: number, items: string): Promise<void> {
  await trx
    .insertInto('rate_card_versions')
    .values({ subscription_id: subscriptionId, effective_from: effectiveFrom, items })
    .onConflict((oc) => oc.columns(['subscription_id', 'effective_from']).doUpdateSet({ items }))
    .execute();
}

export function rateCardVersions(db: Executor, subscriptionIds: readonly string[]) {
  if (subscriptionIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('rate_card_versions').selectAll().where('subscription_id', 'in', subscriptionIds).orderBy('effective_from', 'asc').execute();
}

export function usageRecords(db: Executor, tenantIds: readonly string[], from: number, until: number) {
  if (tenantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('usage_records')
    .select(['tenant_id', 'service', 'resource', 'quantity', 'unit', 'time'])
    .where('tenant_id', 'in', tenantIds)
    .where('time', '>=', from)
    .where('time', '<', until)
    .execute();
}
