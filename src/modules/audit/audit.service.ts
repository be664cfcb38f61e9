import type { Executor, Trx } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';
import { newGuid } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import { insertAuditEvent, listAuditEvents, type AuditEventRow } from './audit.repo.js';

export interface AuditChange {
  /** The tenant that owns the changed resource (null for service-wide resources). */
  tenantId: string | null;
  action: string;
  resourceType: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEvent {
  id: string;
  time: string;
  tenantId: string | null;
  actor: { type: string; id: string | null; tenantId: string | null };
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
}

/** Records one state change; call it inside the transaction that makes the change. */
export async function recordChange(trx: Trx, actor: Principal, now: number, change: AuditChange): Promise<void> {
  await insertAuditEvent(trx, {
    id: newGuid(now),
    time: now,
    tenant_id: change.tenantId,
    actor_type: actor.type,
    actor_id: actor.id,
    actor_tenant_id: actor.tenantId,
    action: change.action,
    resource_type: change.resourceType,
    resource_id: change.resourceId,
    before: change.before === undefined ? null : JSON.stringify(change.before),
    after: change.after === undefined ? null : JSON.stringify(change.after),
  });
}

const PAGE_SIZE = 100;

/** Newest first; `page` is the opaque token a previous page returned as nextPage. */
export async function listAudit(
  db: Executor,
  query: { tenantId?: string; resourceId?: string; page?: string },
): Promise<{ items: AuditEvent[]; nextPage: string | null }> {
  let beforeId: string | undefined;
  if (query.page) {
    beforeId = Buffer.from(query.page, 'base64url').toString('utf8');
    if (!/^[0-9a-f-]{36}$/.test(beforeId)) throw invalid('INVALID_PAGE', 'page is not a token returned by a previous call');
  }
  const rows = await listAuditEvents(db, { ...query, beforeId, limit: PAGE_SIZE + 1 });
  const items = rows.slice(0, PAGE_SIZE).map(toAuditEvent);
  const nextPage = rows.length > PAGE_SIZE ? Buffer.from(items[items.length - 1].id).toString('base64url') : null;
  return { items, nextPage };
}

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    time: new Date(row.time).toISOString(),
    tenantId: row.tenant_id,
    actor: { type: row.actor_type, id: row.actor_id, tenantId: row.actor_tenant_id },
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  };
}
