import type { Executor, Trx } from '../../platform/db/index.js';
import type { UsageRecordsTable } from '../../platform/db/schema.js';

export type UsageRecordRow = UsageRecordsTable;

export async function upsertRateCard(trx: Trx, subscriptionId: string, items: string, now: number): Promise<void> {
  await trx
    .insertInto('rate_cards')
    .values({ subscription_id: subscriptionId, items, updated_at: now })
    .onConflict((oc) => oc.column('subscription_id').doUpdateSet({ items, updated_at: now }))
    .execute();
}

export function findRateCard(db: Executor, subscriptionId: string) {
  return db.selectFrom('rate_cards').selectAll().where('subscription_id', '=', subscriptionId).executeTakeFirst();
}

/** Inserts the records whose id is new; returns how many were. */
export async function insertNewUsageRecords(trx: Trx, rows: UsageRecordRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await trx
    .insertInto('usage_records')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}
