import type { Executor } from '../db/index.js';

export async function findDelivery(db: Executor, jobId: string) {
  return db.selectFrom('mail_deliveries').selectAll().where('job_id', '=', jobId).executeTakeFirst();
}

/** Records several deliveries in one statement (a row already there stays). */
export async function insertDeliveries(db: Executor, rows: ReadonlyArray<{ jobId: string; messageId: string; recipient: string; now: number }>) {
  if (rows.length === 0) return;
  await db
    .insertInto('mail_deliveries')
    .values(rows.map((r) => ({ job_id: r.jobId, message_id: r.messageId, recipient: r.recipient, delivered_at: r.now })))
    .onConflict((oc) => oc.column('job_id').doNothing())
    .execute();
}

export async function deleteDeliveriesBefore(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('mail_deliveries').where('delivered_at', '<', before).execute();
}
