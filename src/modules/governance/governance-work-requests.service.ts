import { createHash } from 'node:crypto';
import type { Trx } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { newOcid } from '../../platform/ids.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import type { Principal } from '../../platform/principal.js';
import { authorize } from '../identity/identity.service.js';
import type { Verb } from '../identity/policies.js';
import { getTenantOrThrow, type Tenant } from '../tenants/tenants.service.js';
import { etagMismatch, govConflict, govNotFound, missingParameter } from './governance.errors.js';
import * as repo from './governance.repo.js';

// The Governance Rules API's own work requests (OCID kind governanceruleworkrequest). A change to a
// rule or criterion commits with its work request already finished: the change is the transaction.
// Applying a rule to child tenancies is the asynchronous part: the work request stays ACCEPTED
// until the outbox job APPLY_GOVERNANCE finishes it (see attachments.service.ts).

/** The outbox job that applies attachments and finishes their work request. */
export const APPLY_GOVERNANCE = 'governance.apply';

export type ActionType = 'CREATED' | 'UPDATED' | 'DELETED' | 'IN_PROGRESS' | 'RELATED' | 'FAILED';

export interface WorkRequestResource {
  entityType: string;
  actionType: ActionType;
  identifier: string;
  entityUri?: string;
}

export interface WorkRequest {
  id: string;
  operationType: string;
  status: string;
  compartmentId: string;
  resources: WorkRequestResource[];
  percentComplete: number;
  timeAccepted: string;
  timeStarted?: string;
  timeFinished?: string;
}

export interface LogEntry {
  message: string;
  timestamp: string;
}

export interface Paged<T> {
  items: T[];
  next?: number;
}

export const iso = (ms: number) => new Date(ms).toISOString();
const isoOrUndefined = (ms: number | null) => (ms === null ? undefined : iso(ms));

export function paged<R, T>(rows: R[], offset: number, limit: number, map: (row: R) => T): Paged<T> {
  return { items: rows.slice(0, limit).map(map), next: rows.length > limit ? offset + limit : undefined };
}

/** Etags are opaque: a hash of the resource id and its row version. */
export const etagOf = (id: string, version: number) => createHash('sha256').update(`gov:${id}:${version}`).digest('hex').slice(0, 16);

export function checkIfMatch(ifMatch: string | undefined, id: string, version: number): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(id, version)) throw etagMismatch();
}

/** The caller's tenancy and its IAM permission on a governance resource type (reference §8). */
export async function actingTenancy(deps: ServiceDeps, actor: Principal, verb: Verb, resourceType = 'organizations-governance-rules'): Promise<Tenant> {
  if (!actor.tenantId) throw govNotFound('tenancy', 'of this caller');
  const tenant = await getTenantOrThrow(deps, actor.tenantId);
  await authorize(deps, actor, { verb, resourceType, variables: { 'target.tenant.id': tenant.ocid } });
  return tenant;
}

export function requireOwnCompartment(tenant: Tenant, compartmentId: string | undefined): void {
  if (!compartmentId) throw missingParameter('compartmentId');
  if (compartmentId !== tenant.ocid) throw govNotFound('compartment', compartmentId);
}

export function toWorkRequest(row: repo.WorkRequestRow): WorkRequest {
  return {
    id: row.id,
    operationType: row.operation_type,
    status: row.status,
    compartmentId: row.compartment_id,
    resources: JSON.parse(row.resources),
    percentComplete: row.percent_complete,
    timeAccepted: iso(row.accepted_at),
    timeStarted: isoOrUndefined(row.started_at),
    timeFinished: isoOrUndefined(row.finished_at),
  };
}

/**
 * Records a work request in the caller's transaction. `finished` records a change that is complete
 * when the transaction commits; otherwise the work request waits for its APPLY_GOVERNANCE job.
 */
export async function recordWorkRequest(
  trx: Trx,
  now: number,
  tenant: Tenant,
  input: { operationType: string; resources: WorkRequestResource[]; finished: boolean; payload?: unknown; log: string },
): Promise<string> {
  const id = newOcid('governanceruleworkrequest', tenant.realm);
  const timestamp = iso(now);
  await repo.insertWorkRequest(trx, {
    id,
    tenant_id: tenant.id,
    compartment_id: tenant.ocid,
    operation_type: input.operationType,
    status: input.finished ? 'SUCCEEDED' : 'ACCEPTED',
    resources: JSON.stringify(input.resources),
    payload: JSON.stringify(input.payload ?? {}),
    percent_complete: input.finished ? 100 : 0,
    errors: '[]',
    logs: JSON.stringify([{ message: input.log, timestamp }]),
    accepted_at: now,
    started_at: input.finished ? now : null,
    finished_at: input.finished ? now : null,
  });
  if (!input.finished) await enqueue(trx, now, { type: APPLY_GOVERNANCE, payload: { workRequestId: id } });
  return id;
}

async function ownWorkRequest(deps: ServiceDeps, actor: Principal, id: string, verb: Verb): Promise<repo.WorkRequestRow> {
  const tenant = await actingTenancy(deps, actor, verb);
  const row = await repo.findWorkRequest(deps.database.db, id);
  if (!row || row.tenant_id !== tenant.id) throw govNotFound('work request', id);
  return row;
}

export async function getWorkRequest(deps: ServiceDeps, actor: Principal, id: string): Promise<WorkRequest> {
  return toWorkRequest(await ownWorkRequest(deps, actor, id, 'read'));
}

export async function listWorkRequests(
  deps: ServiceDeps,
  actor: Principal,
  q: { compartmentId?: string; workRequestId?: string; status?: string; resourceId?: string; offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' },
): Promise<Paged<WorkRequest>> {
  const tenant = await actingTenancy(deps, actor, 'inspect');
  requireOwnCompartment(tenant, q.compartmentId);
  const rows = await repo.listWorkRequests(deps.database.db, tenant.id, {
    id: q.workRequestId,
    status: q.status,
    resourceId: q.resourceId,
    order: q.sortOrder === 'ASC' ? 'asc' : 'desc',
    offset: q.offset,
    limit: q.limit,
  });
  return paged(rows, q.offset, q.limit, toWorkRequest);
}

function sliceEntries<T>(entries: T[], q: { offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' }): Paged<T> {
  const ordered = q.sortOrder === 'DESC' ? [...entries].reverse() : entries;
  return { items: ordered.slice(q.offset, q.offset + q.limit), next: ordered.length > q.offset + q.limit ? q.offset + q.limit : undefined };
}

export async function listWorkRequestErrors(deps: ServiceDeps, actor: Principal, id: string, q: { offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' }) {
  const row = await ownWorkRequest(deps, actor, id, 'read');
  return sliceEntries(JSON.parse(row.errors) as Array<{ code: string; message: string; timestamp: string }>, q);
}

export async function listWorkRequestLogs(deps: ServiceDeps, actor: Principal, id: string, q: { offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' }) {
  const row = await ownWorkRequest(deps, actor, id, 'read');
  return sliceEntries(JSON.parse(row.logs) as LogEntry[], q);
}

/**
 * Cancels a work request that has not started. One that is running or finished is past cancelling
 * (409 Conflict): its change is committed or committing.
 */
export async function cancelWorkRequest(deps: ServiceDeps, actor: Principal, id: string): Promise<void> {
  const row = await ownWorkRequest(deps, actor, id, 'manage');
  const now = deps.clock.now();
  const cancelled = await inTransaction(deps.database, async (trx) => {
    if (row.status !== 'ACCEPTED') return undefined;
    const finished = await repo.finishWorkRequest(trx, id, {
      status: 'CANCELED',
      resources: row.resources,
      errors: row.errors,
      logs: JSON.stringify([...(JSON.parse(row.logs) as LogEntry[]), { message: 'canceled before it started', timestamp: iso(now) }]),
      finished_at: now,
    });
    // Attachments it would have applied wait for a retry instead.
    const { attachmentIds = [] } = JSON.parse(row.payload) as { attachmentIds?: string[] };
    for (const attachmentId of finished ? attachmentIds : []) {
      const attachment = await repo.findAttachment(trx, attachmentId);
      if (attachment && (attachment.lifecycle_state === 'CREATING' || attachment.lifecycle_state === 'UPDATING')) {
        await repo.updateAttachment(trx, attachment.id, attachment.version, { lifecycle_state: 'NEEDS_ATTENTION', updated_at: now });
      }
    }
    return finished;
  });
  if (!cancelled) throw govConflict(`work request ${id} is ${row.status} and can no longer be canceled`);
}

/** Wraps an unexpected failure of a step so the work request lists something useful. */
export const failureOf = (error: unknown) =>
  error instanceof AppError ? error : new AppError('internal', 'INTERNAL_ERROR', 'The work request could not be completed.');
