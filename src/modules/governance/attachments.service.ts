import type { Executor, Trx } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { newOcid } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import { SYSTEM } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { childrenOf, membershipOf, type GovernedTenancy } from '../organizations/governance-membership.js';
import type { Tenant } from '../tenants/tenants.service.js';
import { govConflict, govNotFound, missingParameter } from './governance.errors.js';
import type { Template } from './governance.schemas.js';
import {
  actingTenancy,
  checkIfMatch,
  etagOf,
  failureOf,
  iso,
  paged,
  recordWorkRequest,
  requireOwnCompartment,
  type LogEntry,
  type Paged,
  type WorkRequestResource,
} from './governance-work-requests.service.js';
import * as repo from './governance.repo.js';

// Tenancy attachments: one per governance rule and child tenancy it applies to. They are made
// CREATING by the change that asks for them and applied by the APPLY_GOVERNANCE job, which makes
// each ACTIVE when the child is an active, OPTED_IN member of the rule's organization, and
// NEEDS_ATTENTION otherwise (retryTenancyAttachment applies it again). A child that opts out later
// keeps its ACTIVE row but the rule is no longer in force: reads show NEEDS_ATTENTION, and the
// child's enforced rules leave it out, until it opts in again.

export interface TenancyAttachment {
  id: string;
  compartmentId: string;
  governanceRuleId: string;
  tenancyId: string;
  lifecycleState: string;
  timeCreated: string;
  timeUpdated: string;
  timeLastAttempted?: string;
  etag: string;
}

export interface EnforcedGovernanceRule {
  id: string;
  compartmentId: string;
  governanceRuleDisplayName: string;
  type: string;
  template: Template;
  lifecycleState: string;
  timeCreated: string;
  timeUpdated: string;
}

/** Rules reach only active, opted-in members of the rule owner's organization (reference §7.8). */
export const isGoverned = (m: GovernedTenancy | undefined, organizationId: string): m is GovernedTenancy =>
  m !== undefined && m.organizationId === organizationId && m.role === 'CHILD' && m.active && m.governanceStatus === 'OPTED_IN';

function effectiveState(row: repo.AttachmentRow, member: GovernedTenancy | undefined): string {
  return row.lifecycle_state === 'ACTIVE' && !isGoverned(member, row.organization_id) ? 'NEEDS_ATTENTION' : row.lifecycle_state;
}

function toAttachment(row: repo.AttachmentRow, member: GovernedTenancy | undefined): TenancyAttachment {
  return {
    id: row.id,
    compartmentId: row.compartment_id,
    governanceRuleId: row.governance_rule_id,
    tenancyId: row.tenancy_id,
    lifecycleState: effectiveState(row, member),
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.updated_at),
    timeLastAttempted: row.last_attempted_at === null ? undefined : iso(row.last_attempted_at),
    etag: etagOf(row.id, row.version),
  };
}

export const attachmentResource = (id: string, actionType: WorkRequestResource['actionType']): WorkRequestResource => ({
  entityType: 'TenancyAttachment',
  actionType,
  identifier: id,
  entityUri: `/20220504/tenancyAttachments/${id}`,
});

/**
 * Makes an attachment of `rule` for each child that has no live one yet; returns their ids. They are
 * CREATING (for the APPLY_GOVERNANCE job) unless the caller applies them in its own transaction.
 */
export async function planAttachments(
  trx: Trx,
  now: number,
  parent: Tenant,
  rule: repo.RuleRow,
  organizationId: string,
  children: GovernedTenancy[],
  state: 'CREATING' | 'ACTIVE' = 'CREATING',
): Promise<string[]> {
  const ids: string[] = [];
  for (const child of children) {
    if (await repo.findLiveAttachment(trx, rule.id, child.tenancyId)) continue;
    const id = newOcid('tenancyattachment', parent.realm);
    await repo.insertAttachment(trx, {
      id,
      tenant_id: parent.id,
      compartment_id: parent.ocid,
      governance_rule_id: rule.id,
      organization_id: organizationId,
      child_tenant_id: child.tenantId,
      tenancy_id: child.tenancyId,
      enforced_rule_id: newOcid('enforcedgovernancerule', parent.realm),
      lifecycle_state: state,
      version: 1,
      created_at: now,
      updated_at: now,
      last_attempted_at: state === 'ACTIVE' ? now : null,
    });
    ids.push(id);
  }
  return ids;
}

/** Ends the live attachments of a rule (all of them, or those of the listed tenancies). */
export async function detach(trx: Trx, now: number, ruleId: string, tenancyIds?: readonly string[]): Promise<string[]> {
  const ended: string[] = [];
  for (const row of await repo.liveAttachmentsOfRule(trx, ruleId)) {
    if (tenancyIds && !tenancyIds.includes(row.tenancy_id)) continue;
    if (await repo.updateAttachment(trx, row.id, row.version, { lifecycle_state: 'DELETED', updated_at: now })) ended.push(row.id);
  }
  return ended;
}

/**
 * The APPLY_GOVERNANCE job: applies the work request's attachments and finishes it, in one
 * transaction. Idempotent: a finished work request is left alone, and the finishing update is
 * guarded, so a redelivered job changes nothing.
 */
export async function applyGovernance(deps: ServiceDeps, workRequestId: string): Promise<void> {
  const row = await repo.findWorkRequest(deps.database.db, workRequestId);
  if (!row || row.finished_at !== null) return;
  await repo.startWorkRequest(deps.database.db, workRequestId, deps.clock.now());
  const { attachmentIds = [], actor = SYSTEM } = JSON.parse(row.payload) as { attachmentIds?: string[]; actor?: Principal };
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const timestamp = iso(now);
    const resources: WorkRequestResource[] = [];
    const errors: Array<{ code: string; message: string; timestamp: string }> = [];
    const logs = JSON.parse(row.logs) as LogEntry[];
    for (const id of attachmentIds) {
      const attachment = await repo.findAttachment(trx, id);
      if (!attachment || attachment.lifecycle_state === 'DELETED') continue;
      const member = await membershipOf(trx, attachment.child_tenant_id);
      const ok = isGoverned(member, attachment.organization_id);
      const next = await repo.updateAttachment(trx, attachment.id, attachment.version, {
        lifecycle_state: ok ? 'ACTIVE' : 'NEEDS_ATTENTION',
        updated_at: now,
        last_attempted_at: now,
      });
      if (!next) throw new Error(`tenancy attachment ${id} changed while it was applied`);
      resources.push(attachmentResource(id, ok ? (attachment.lifecycle_state === 'CREATING' ? 'CREATED' : 'UPDATED') : 'FAILED'));
      if (ok) {
        logs.push({ message: `governance rule ${attachment.governance_rule_id} applied to tenancy ${attachment.tenancy_id}`, timestamp });
      } else {
        errors.push({
          code: 'Conflict',
          message: `tenancy ${attachment.tenancy_id} is not an active child opted in to the governance of this organization; the attachment needs attention`,
          timestamp,
        });
      }
      await recordChange(trx, actor, now, {
        tenantId: attachment.tenant_id,
        action: 'governance.attachment.apply',
        resourceType: 'TenancyAttachment',
        resourceId: attachment.id,
        before: { lifecycleState: attachment.lifecycle_state },
        after: { lifecycleState: next.lifecycle_state, tenancyId: attachment.tenancy_id },
      });
    }
    const finished = await repo.finishWorkRequest(trx, workRequestId, {
      status: errors.length === 0 ? 'SUCCEEDED' : 'FAILED',
      resources: JSON.stringify([...(JSON.parse(row.resources) as WorkRequestResource[]).filter((r) => r.entityType !== 'TenancyAttachment'), ...resources]),
      errors: JSON.stringify(errors),
      logs: JSON.stringify([...logs, { message: errors.length === 0 ? 'finished' : `finished with ${errors.length} attachment(s) needing attention`, timestamp }]),
      finished_at: now,
    });
    if (!finished) throw new AlreadyFinished();
  }).catch((error) => {
    if (error instanceof AlreadyFinished) return;
    deps.log.warn({ err: failureOf(error), workRequestId }, 'applying governance failed; the job is retried');
    throw error;
  });
  deps.wakeWorker();
}

class AlreadyFinished extends Error {}

// Reads and retry (the parent's view)

async function ownAttachment(deps: ServiceDeps, actor: Principal, id: string, verb: 'read' | 'manage') {
  const tenant = await actingTenancy(deps, actor, verb);
  const row = await repo.findAttachment(deps.database.db, id);
  if (!row || row.tenant_id !== tenant.id) throw govNotFound('tenancy attachment', id);
  return { tenant, row };
}

export async function getTenancyAttachment(deps: ServiceDeps, actor: Principal, id: string): Promise<TenancyAttachment> {
  const { row } = await ownAttachment(deps, actor, id, 'read');
  return toAttachment(row, await membershipOf(deps.database.db, row.child_tenant_id));
}

export async function listTenancyAttachments(
  deps: ServiceDeps,
  actor: Principal,
  q: { compartmentId?: string; tenancyAttachmentId?: string; governanceRuleId?: string; lifecycleState?: string; childTenancyId?: string; offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' },
): Promise<Paged<TenancyAttachment>> {
  const tenant = await actingTenancy(deps, actor, 'inspect');
  if (!q.compartmentId && !q.governanceRuleId && !q.tenancyAttachmentId) {
    throw missingParameter('one of compartmentId, governanceRuleId or tenancyAttachmentId');
  }
  if (q.compartmentId) requireOwnCompartment(tenant, q.compartmentId);
  const { children } = await childrenOf(deps.database.db, tenant.id);
  const byTenancy = new Map(children.map((c) => [c.tenancyId, c]));
  const rows = await repo.listAttachments(deps.database.db, tenant.id, {
    id: q.tenancyAttachmentId,
    ruleId: q.governanceRuleId,
    childTenancyId: q.childTenancyId,
    order: q.sortOrder === 'ASC' ? 'asc' : 'desc',
    offset: q.offset,
    limit: q.limit,
  });
  const items = rows.map((r) => toAttachment(r, byTenancy.get(r.tenancy_id)));
  // The state filter sees what the caller sees (an opted-out child's attachment needs attention).
  const filtered = q.lifecycleState ? items.filter((a) => a.lifecycleState === q.lifecycleState) : items;
  return { items: filtered.slice(0, q.limit), next: rows.length > q.limit ? q.offset + q.limit : undefined };
}

/** Applies one attachment again (after the child opted in again, or after a failure). */
export async function retryTenancyAttachment(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const { tenant, row } = await ownAttachment(deps, actor, id, 'manage');
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.lifecycle_state === 'DELETED') throw govConflict(`tenancy attachment ${id} is deleted`);
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const updating = await repo.updateAttachment(trx, row.id, row.version, { lifecycle_state: 'UPDATING', updated_at: now });
    if (!updating) throw govConflict(`tenancy attachment ${id} changed meanwhile; read it again`);
    const workRequestId = await recordWorkRequest(trx, now, tenant, {
      operationType: 'RETRY_TENANCY_ATTACHMENT',
      resources: [attachmentResource(id, 'IN_PROGRESS')],
      finished: false,
      payload: { attachmentIds: [id], actor },
      log: `retry of tenancy attachment ${id} accepted`,
    });
    return { workRequestId };
  });
}

// The child's view: the rules its organization enforces on it

function toEnforced(row: Awaited<ReturnType<typeof repo.activeAttachmentsOfChild>>[number], state = 'ACTIVE'): EnforcedGovernanceRule {
  return {
    id: row.enforced_rule_id,
    compartmentId: row.tenancy_id,
    governanceRuleDisplayName: row.rule_display_name,
    type: row.rule_type,
    template: JSON.parse(row.rule_template) as Template,
    lifecycleState: state,
    timeCreated: iso(row.created_at),
    timeUpdated: iso(Math.max(row.updated_at, row.rule_updated_at)),
  };
}

/** The rules in force on a tenancy: its ACTIVE attachments while it is a governed child. */
export async function enforcedRulesOf(db: Executor, tenantId: string, type?: string) {
  const member = await membershipOf(db, tenantId);
  const rows = await repo.activeAttachmentsOfChild(db, tenantId, type);
  return rows.filter((r) => isGoverned(member, r.organization_id));
}

export async function listEnforcedGovernanceRules(
  deps: ServiceDeps,
  actor: Principal,
  q: { compartmentId?: string; enforcedGovernanceRuleId?: string; governanceRuleType?: string; displayName?: string; offset: number; limit: number; sortOrder?: 'ASC' | 'DESC'; sortBy?: string },
): Promise<Paged<EnforcedGovernanceRule>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-enforced-governance-rules');
  requireOwnCompartment(tenant, q.compartmentId);
  let items = (await enforcedRulesOf(deps.database.db, tenant.id, q.governanceRuleType)).map((r) => toEnforced(r));
  if (q.enforcedGovernanceRuleId) items = items.filter((e) => e.id === q.enforcedGovernanceRuleId);
  if (q.displayName) items = items.filter((e) => e.governanceRuleDisplayName === q.displayName);
  if (q.sortBy === 'displayName') items.sort((a, b) => a.governanceRuleDisplayName.localeCompare(b.governanceRuleDisplayName));
  if (q.sortOrder === 'DESC') items.reverse();
  const rows = items.slice(q.offset, q.offset + q.limit + 1);
  return paged(rows, q.offset, q.limit, (x) => x);
}

export async function getEnforcedGovernanceRule(deps: ServiceDeps, actor: Principal, id: string): Promise<EnforcedGovernanceRule & { etag: string }> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-enforced-governance-rules');
  const row = await repo.findAttachmentByEnforcedId(deps.database.db, id);
  if (!row || row.child_tenant_id !== tenant.id) throw govNotFound('enforced governance rule', id);
  const inForce = (await enforcedRulesOf(deps.database.db, tenant.id)).some((r) => r.id === row.id);
  // A rule no longer in force (detached, deleted, or the child opted out) reads DELETED.
  return { ...toEnforced(row, inForce ? 'ACTIVE' : 'DELETED'), etag: etagOf(row.id, row.version) };
}
