import type { Executor, Trx } from '../../platform/db/index.js';
import type { AuditEventsTable } from '../../platform/db/schema.js';

export type AuditEventRow = AuditEventsTable;

export async function insertAuditEvent(trx: Trx, row: AuditEventRow): Promise<void> {
  await trx.insertInto('audit_events').values(row).execute();
}

export interface AuditFilter {
  tenantId?: string;
  resourceId?: string;
  /** Only events with an id below this one (ids are time-ordered, so: older). */
  beforeId?: string;
  limit: number;
}

export async function listAuditEvents(db: Executor, filter: AuditFilter): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_events').selectAll();
  if (filter.tenantId) query = query.where('tenant_id', '=', filter.tenantId);
  if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}
