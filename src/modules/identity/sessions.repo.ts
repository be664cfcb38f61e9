import type { Executor, Trx } from '../../platform/db/index.js';
import type { ConsoleSessionsTable } from '../../platform/db/schema.js';

export type ConsoleSessionRow = ConsoleSessionsTable;

export async function insertSession(trx: Trx, row: ConsoleSessionRow): Promise<void> {
  await trx.insertInto('console_sessions').values(row).execute();
}

export function findLiveSession(db: Executor, idHash: string, now: number): Promise<ConsoleSessionRow | undefined> {
  return db.selectFrom('console_sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
}

/** Deletes one session; returns whether it existed. */
export async function deleteSession(trx: Trx, idHash: string): Promise<ConsoleSessionRow | undefined> {
  return trx.deleteFrom('console_sessions').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
}

export async function deleteExpiredSessionsOfUser(trx: Trx, userId: string, now: number): Promise<void> {
  await trx.deleteFrom('console_sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
}

export async function deleteExpiredSessions(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute();
}
