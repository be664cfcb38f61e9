import type { Executor } from '../db/index.js';

export async function findDelivery(db: Executor, jobId: string) {
  return db.selectFrom('mail_deliveries').selectAll().where('job_id', '=', jobId).executeTakeFirst();
}

export async function insertDelivery(db: Executor, jobId: string, messageId: string, recipient: string, now: number) {
  await db
    .insertInto('mail_deliveries')
    .values({ job_id: jobId, message_id: messageId, recipient, delivered_at: now })
    .onConflict((oc) => oc.column('job_id').doNothing())
    .execute();
}

export async function deleteDeliveriesBefore(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('mail_deliveries').where('delivered_at', '<', before).execute();
}
