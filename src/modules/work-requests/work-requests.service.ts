import type { Trx } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newOcid } from '../../platform/ids.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import type { Principal } from '../../platform/principal.js';
import { authorize } from '../identity/identity.service.js';
import { getTenantOrThrow } from '../tenants/tenants.service.js';
import * as repo from './work-requests.repo.js';

/** The outbox job that runs one work request; its handler dispatches on the operation type. */
export const RUN_WORK_REQUEST = 'work-request.run';
const MAX_STEP_ATTEMPTS = 5;

export interface WorkRequestResource {
  entityType: string;
  actionType: 'CREATED' | 'UPDATED' | 'DELETED' | 'IN_PROGRESS' | 'RELATED';
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

export interface WorkRequestError {
  code: string;
  message: string;
  timestamp: string;
}

export interface WorkRequestLogEntry {
  message: string;
  timestamp: string;
}

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

export function toWorkRequest(row: repo.WorkRequestRow): WorkRequest {
  return {
    id: row.id,
    operationType: row.operation_type,
    status: row.status,
    compartmentId: row.compartment_id,
    resources: JSON.parse(row.resources),
    percentComplete: row.percent_complete,
    timeAccepted: new Date(row.accepted_at).toISOString(),
    timeStarted: iso(row.started_at),
    timeFinished: iso(row.finished_at),
  };
}

/**
 * Records an ACCEPTED work request and queues the job that runs it, in the caller's transaction:
 * the request exists exactly when the state change that asked for it committed.
 */
export async function createWorkRequest(
  trx: Trx,
  now: number,
  input: { realm: string; tenantId: string; compartmentId: string; operationType: string; resources: WorkRequestResource[]; payload: unknown },
): Promise<string> {
  const id = newOcid('organizationsworkrequest', input.realm);
  await repo.insertWorkRequest(trx, {
    id,
    tenant_id: input.tenantId,
    compartment_id: input.compartmentId,
    operation_type: input.operationType,
    status: 'ACCEPTED',
    resources: JSON.stringify(input.resources),
    payload: JSON.stringify(input.payload),
    percent_complete: 0,
    errors: '[]',
    logs: JSON.stringify([{ message: `${input.operationType} accepted`, timestamp: new Date(now).toISOString() }]),
    accepted_at: now,
    started_at: null,
    finished_at: null,
  });
  await enqueue(trx, now, { type: RUN_WORK_REQUEST, payload: { workRequestId: id } });
  return id;
}

export interface StepOutcome {
  /** The resources with their final action types. */
  resources: WorkRequestResource[];
  log: string;
}

export interface WorkRequestStep<C = any> {
  /**
   * Reads what the step needs before its transaction opens (services that read through the
   * database handle must not run inside it: on SQLite they would wait for the open transaction).
   */
  load(payload: any, workRequestId: string): Promise<C>;
  /** Does the work in the transaction that also finishes the work request. */
  perform(trx: Trx, now: number, context: C): Promise<StepOutcome>;
  /** Marks the domain objects failed when perform refused with an AppError (same transaction as FAILED). */
  onFailure?(trx: Trx, now: number, context: C, error: AppError): Promise<void>;
}

/**
 * Runs one work request to its end. Idempotent on the work request: the finishing update is guarded
 * (ACCEPTED/IN_PROGRESS → terminal), and the domain change commits with it or not at all, so a
 * redelivered job finds it finished and does nothing. A business-rule refusal (AppError) finishes it
 * FAILED with the error listed; anything else is thrown so the worker retries.
 */
export async function runWorkRequest(
  deps: ServiceDeps,
  workRequestId: string,
  stepFor: (operationType: string) => WorkRequestStep | undefined,
  errorCode: (error: AppError) => string,
  attempt = 1,
): Promise<void> {
  const row = await repo.findWorkRequest(deps.database.db, workRequestId);
  if (!row || row.finished_at !== null) return;
  const step = stepFor(row.operation_type);
  if (!step) throw new Error(`no step for work request operation ${row.operation_type}`);
  await repo.startWorkRequest(deps.database.db, workRequestId, deps.clock.now());
  const logs = JSON.parse(row.logs) as WorkRequestLogEntry[];
  let context: unknown;
  try {
    context = await step.load(JSON.parse(row.payload), workRequestId);
    await inTransaction(deps.database, async (trx) => {
      const now = deps.clock.now();
      const outcome = await step.perform(trx, now, context);
      const finished = await repo.finishWorkRequest(trx, workRequestId, {
        status: 'SUCCEEDED',
        resources: JSON.stringify(outcome.resources),
        errors: '[]',
        logs: JSON.stringify([...logs, { message: outcome.log, timestamp: new Date(now).toISOString() }]),
        finished_at: now,
      });
      if (!finished) throw new AlreadyFinished();
    });
  } catch (error) {
    if (error instanceof AlreadyFinished) return;
    // An unexpected error is retried by the worker; after a few attempts the work request is
    // finished FAILED, so a waiting client is not left polling a request that never ends.
    if (!(error instanceof AppError) && attempt < MAX_STEP_ATTEMPTS) throw error;
    if (!(error instanceof AppError)) deps.log.error({ err: error, workRequestId }, 'work request failed for good');
    const failure = error instanceof AppError ? error : new AppError('internal', 'INTERNAL_ERROR', 'The work request could not be completed.');
    await inTransaction(deps.database, async (trx) => {
      const now = deps.clock.now();
      const timestamp = new Date(now).toISOString();
      const finished = await repo.finishWorkRequest(trx, workRequestId, {
        status: 'FAILED',
        resources: row.resources,
        errors: JSON.stringify([{ code: failure.kind === 'internal' ? 'InternalServerError' : errorCode(failure), message: failure.message, timestamp }]),
        logs: JSON.stringify([...logs, { message: `failed: ${failure.message}`, timestamp }]),
        finished_at: now,
      });
      if (finished && context !== undefined) {
        try {
          await step.onFailure?.(trx, now, context, failure);
        } catch (cleanup) {
          deps.log.warn({ err: cleanup, workRequestId }, 'could not mark the resources of a failed work request');
        }
      }
    });
  }
  deps.wakeWorker();
}

class AlreadyFinished extends Error {}

// Reads: a work request belongs to the tenancy that asked for it; any other reads as not found.
// Reading one needs the permission on the resource type it works on (reference §8), so a group
// allowed to accept invitations can follow its acceptance without wider rights.

const RESOURCE_TYPES: Record<string, string> = {
  CREATE_SENDER_INVITATION: 'organizations-sender-invitation',
  CANCEL_SENDER_INVITATION: 'organizations-sender-invitation',
  ACCEPT_RECIPIENT_INVITATION: 'organizations-recipient-invitation',
  TERMINATE_LINK: 'organizations-link',
  ASSIGN_DEFAULT_SUBSCRIPTION: 'organizations-entity',
};
const resourceTypeOf = (operationType: string) => RESOURCE_TYPES[operationType] ?? 'organizations-tenancy';

async function callerTenant(deps: ServiceDeps, actor: Principal) {
  if (!actor.tenantId) throw notFound('WORK_REQUEST_NOT_FOUND', 'no tenancy');
  return getTenantOrThrow(deps, actor.tenantId);
}

async function mayRead(deps: ServiceDeps, actor: Principal, tenantOcid: string, verb: 'inspect' | 'read', operationType: string): Promise<boolean> {
  try {
    await authorize(deps, actor, { verb, resourceType: resourceTypeOf(operationType), variables: { 'target.tenant.id': tenantOcid } });
    return true;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'forbidden') return false;
    throw error;
  }
}

async function ownWorkRequest(deps: ServiceDeps, actor: Principal, id: string): Promise<repo.WorkRequestRow> {
  const tenant = await callerTenant(deps, actor);
  const row = await repo.findWorkRequest(deps.database.db, id);
  if (!row || row.tenant_id !== tenant.id || !(await mayRead(deps, actor, tenant.ocid, 'read', row.operation_type))) {
    throw notFound('WORK_REQUEST_NOT_FOUND', `no work request ${id} visible to this tenancy`);
  }
  return row;
}

export async function getWorkRequest(deps: ServiceDeps, actor: Principal, id: string): Promise<WorkRequest> {
  return toWorkRequest(await ownWorkRequest(deps, actor, id));
}

export async function listWorkRequests(
  deps: ServiceDeps,
  actor: Principal,
  q: { compartmentId?: string; offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' },
): Promise<{ items: WorkRequest[]; next?: number }> {
  const tenant = await callerTenant(deps, actor);
  if (!q.compartmentId) throw invalid('MISSING_PARAMETER', 'compartmentId is required');
  if (q.compartmentId !== tenant.ocid) throw notFound('WORK_REQUEST_NOT_FOUND', `no compartment ${q.compartmentId} visible to this tenancy`);
  const rows = await repo.listWorkRequests(deps.database.db, tenant.id, q.offset, q.limit, q.sortOrder ?? 'DESC');
  const allowed = new Map<string, boolean>();
  for (const type of new Set(rows.map((r) => r.operation_type))) allowed.set(type, await mayRead(deps, actor, tenant.ocid, 'inspect', type));
  const page = rows.slice(0, q.limit);
  return { items: page.filter((r) => allowed.get(r.operation_type)).map(toWorkRequest), next: rows.length > q.limit ? q.offset + q.limit : undefined };
}

function sliceEntries<T extends { timestamp: string }>(entries: T[], q: { offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' }) {
  const ordered = q.sortOrder === 'DESC' ? [...entries].reverse() : entries;
  const items = ordered.slice(q.offset, q.offset + q.limit);
  return { items, next: ordered.length > q.offset + q.limit ? q.offset + q.limit : undefined };
}

export async function listWorkRequestErrors(deps: ServiceDeps, actor: Principal, id: string, q: { offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' }) {
  const row = await ownWorkRequest(deps, actor, id);
  return sliceEntries(JSON.parse(row.errors) as WorkRequestError[], q);
}

export async function listWorkRequestLogs(deps: ServiceDeps, actor: Principal, id: string, q: { offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' }) {
  const row = await ownWorkRequest(deps, actor, id);
  return sliceEntries(JSON.parse(row.logs) as WorkRequestLogEntry[], q);
}
