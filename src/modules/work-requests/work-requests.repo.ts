import type { Executor, Trx } from '../../platform/db/index.js';
import type { OrgWorkRequestsTable } from '../../platform/db/schema.js';

export type WorkRequestRow = OrgWorkRequestsTable;

export async function insertWorkRequest(trx: Trx, row: WorkRequestRow): Promise<void> {
  await trx.insertInto('org_work_requests').values(row).execute();
}

export function findWorkRequest(db: Executor, id: string): Promise<WorkRequestRow | undefined> {
  return db.selectFrom('org_work_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listWorkRequests(db: Executor, tenantId: string, offset: number, limit: number, sortOrder: 'ASC' | 'DESC'): Promise<WorkRequestRow[]> {
  const order = sortOrder === 'ASC' ? 'asc' : 'desc';
  return db
    .selectFrom('org_work_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('accepted_at', order)
    .orderBy('id', order)
    .limit(limit + 1)
    .offset(offset)
    .execute();
}

/** ACCEPTED → IN_PROGRESS; false when another run already took it further. */
export async function startWorkRequest(db: Executor, id: string, now: number): Promise<boolean> {
  const row = await db
    .updateTable('org_work_requests')
    .set({ status: 'IN_PROGRESS', started_at: now, percent_complete: 50 })
    .where('id', '=', id)
    .where('status', '=', 'ACCEPTED')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** IN_PROGRESS → SUCCEEDED | FAILED, once: zero rows means another run finished it. */
export function finishWorkRequest(
  trx: Trx,
  id: string,
  changes: Pick<WorkRequestRow, 'status' | 'resources' | 'errors' | 'logs' | 'finished_at'>,
): Promise<WorkRequestRow | undefined> {
  return trx
    .updateTable('org_work_requests')
    .set({ ...changes, percent_complete: 100 })
    .where('id', '=', id)
    .where('status', 'in', ['ACCEPTED', 'IN_PROGRESS'])
    .returningAll()
    .executeTakeFirst();
}

