import { sql } from 'kysely';
import type { Executor, Trx } from '../../platform/db/index.js';
import type { SdsEventsTable, SdsStreamsTable, SdsTypesTable } from '../../platform/db/schema.js';

export type TypeRow = SdsTypesTable;
export type StreamRow = SdsStreamsTable;
export type EventRow = SdsEventsTable;

interface Scope {
  tenantId: string;
  namespaceId: string;
}

/** Every SDS table is keyed by tenant and namespace first: the one filter every query starts with. */
const inScope = (s: Scope) => <Q extends { where(...args: any[]): Q }>(qb: Q): Q => qb.where('tenant_id', '=', s.tenantId).where('namespace_id', '=', s.namespaceId);

export function findType(db: Executor, s: Scope, id: string): Promise<TypeRow | undefined> {
  return db
    .selectFrom('sds_types')
    .selectAll()
    .$call(inScope(s))
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listTypes(db: Executor, s: Scope, skip: number, count: number): Promise<TypeRow[]> {
  return db
    .selectFrom('sds_types')
    .selectAll()
    .$call(inScope(s))
    .orderBy('id')
    .offset(skip)
    .limit(count)
    .execute();
}

export async function insertType(trx: Trx, row: TypeRow): Promise<void> {
  await trx.insertInto('sds_types').values(row).execute();
}

export async function countStreamsOfType(db: Executor, s: Scope, typeId: string): Promise<number> {
  const row = await db
    .selectFrom('sds_streams')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .$call(inScope(s))
    .where('type_id', '=', typeId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteType(trx: Trx, s: Scope, id: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('sds_types')
    .$call(inScope(s))
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function findStream(db: Executor, s: Scope, id: string): Promise<StreamRow | undefined> {
  return db
    .selectFrom('sds_streams')
    .selectAll()
    .$call(inScope(s))
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Streams whose id, name or description contains `text` (case-insensitive), in id order. */
export function searchStreams(db: Executor, s: Scope, text: string | undefined): Promise<StreamRow[]> {
  let query = db.selectFrom('sds_streams').selectAll().$call(inScope(s));
  if (text) {
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // An explicit ESCAPE: SQLite has no default escape character for LIKE, PostgreSQL has "\\".
    query = query.where(
      sql<boolean>`(lower(id) like ${pattern} escape '\\' or lower(name) like ${pattern} escape '\\' or lower(description) like ${pattern} escape '\\')`,
    );
  }
  return query.orderBy('id').execute();
}

export async function insertStream(trx: Trx, row: StreamRow): Promise<void> {
  await trx.insertInto('sds_streams').values(row).execute();
}

export async function updateStreamAcl(trx: Trx, s: Scope, id: string, acl: string): Promise<boolean> {
  const result = await trx
    .updateTable('sds_streams')
    .set({ acl })
    .$call(inScope(s))
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes a stream and its events (the foreign key cascades on both engines). */
export async function deleteStream(trx: Trx, s: Scope, id: string): Promise<boolean> {
  await trx.deleteFrom('sds_events').$call(inScope(s)).where('stream_id', '=', id).execute();
  const result = await trx
    .deleteFrom('sds_streams')
    .$call(inScope(s))
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Inserts events; with `replace` an event at an existing index overwrites it. */
export async function writeEvents(trx: Trx, rows: EventRow[], replace: boolean): Promise<void> {
  // Chunks keep every statement under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await trx
      .insertInto('sds_events')
      .values(chunk)
      .$if(replace, (q) => q.onConflict((oc) => oc.columns(['tenant_id', 'namespace_id', 'stream_id', 'key']).doUpdateSet((eb) => ({ event: eb.ref('excluded.event') }))))
      .execute();
  }
}

/** The events with start ≤ key ≤ end, in index order: one range scan of the primary key. */
export function readWindow(db: Executor, s: Scope, streamId: string, start: string, end: string, limit: number): Promise<Pick<EventRow, 'event'>[]> {
  return db
    .selectFrom('sds_events')
    .select('event')
    .$call(inScope(s))
    .where('stream_id', '=', streamId)
    .where('key', '>=', start)
    .where('key', '<=', end)
    .orderBy('key')
    .limit(limit)
    .execute();
}

export function readEdge(db: Executor, s: Scope, streamId: string, edge: 'first' | 'last'): Promise<Pick<EventRow, 'event'> | undefined> {
  return db
    .selectFrom('sds_events')
    .select('event')
    .$call(inScope(s))
    .where('stream_id', '=', streamId)
    .orderBy('key', edge === 'first' ? 'asc' : 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function deleteWindow(trx: Trx, s: Scope, streamId: string, start: string, end: string): Promise<number> {
  const result = await trx
    .deleteFrom('sds_events')
    .$call(inScope(s))
    .where('stream_id', '=', streamId)
    .where('key', '>=', start)
    .where('key', '<=', end)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
