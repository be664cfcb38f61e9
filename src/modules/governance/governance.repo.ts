import type { Executor, Trx } from '../../platform/db/index.js';
import type { GovInclusionCriteriaTable, GovInvitationRulesTable, GovRulesTable, GovTenancyAttachmentsTable, GovWorkRequestsTable, ResourceUsageTable } from '../../platform/db/schema.js';

export type RuleRow = GovRulesTable;
export type CriterionRow = GovInclusionCriteriaTable;
export type AttachmentRow = GovTenancyAttachmentsTable;
export type WorkRequestRow = GovWorkRequestsTable;

type Order = 'asc' | 'desc';

// Governance rules

export async function insertRule(trx: Trx, row: RuleRow): Promise<void> {
  await trx.insertInto('gov_rules').values(row).execute();
}

export function findRule(db: Executor, id: string): Promise<RuleRow | undefined> {
  return db.selectFrom('gov_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listRules(
  db: Executor,
  tenantId: string,
  q: { id?: string; lifecycleState?: string; displayName?: string; type?: string; sortBy: 'created_at' | 'display_name'; order: Order; offset: number; limit: number },
): Promise<RuleRow[]> {
  let query = db.selectFrom('gov_rules').selectAll().where('tenant_id', '=', tenantId);
  if (q.id) query = query.where('id', '=', q.id);
  if (q.lifecycleState) query = query.where('lifecycle_state', '=', q.lifecycleState);
  if (q.displayName) query = query.where('display_name', '=', q.displayName);
  if (q.type) query = query.where('type', '=', q.type);
  return query.orderBy(q.sortBy, q.order).orderBy('id', q.order).limit(q.limit + 1).offset(q.offset).execute();
}

/** Compare-and-set on the row version: undefined when someone else changed it meanwhile. */
export function updateRule(trx: Trx, id: string, version: number, changes: Partial<RuleRow>): Promise<RuleRow | undefined> {
  return trx
    .updateTable('gov_rules')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('lifecycle_state', '=', 'ACTIVE')
    .returningAll()
    .executeTakeFirst();
}

export function findRulesByIds(db: Executor, ids: readonly string[]): Promise<RuleRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('gov_rules').selectAll().where('id', 'in', ids).execute();
}

// Inclusion criteria

export async function insertCriterion(trx: Trx, row: CriterionRow): Promise<void> {
  await trx.insertInto('gov_inclusion_criteria').values(row).execute();
}

export function findCriterion(db: Executor, id: string): Promise<CriterionRow | undefined> {
  return db.selectFrom('gov_inclusion_criteria').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCriteria(
  db: Executor,
  ruleId: string,
  q: { id?: string; lifecycleState?: string; order: Order; offset: number; limit: number },
): Promise<CriterionRow[]> {
  let query = db.selectFrom('gov_inclusion_criteria').selectAll().where('governance_rule_id', '=', ruleId);
  if (q.id) query = query.where('id', '=', q.id);
  if (q.lifecycleState) query = query.where('lifecycle_state', '=', q.lifecycleState);
  return query.orderBy('created_at', q.order).orderBy('id', q.order).limit(q.limit + 1).offset(q.offset).execute();
}

export function activeCriteriaOfRule(db: Executor, ruleId: string): Promise<CriterionRow[]> {
  return db.selectFrom('gov_inclusion_criteria').selectAll().where('governance_rule_id', '=', ruleId).where('lifecycle_state', '=', 'ACTIVE').execute();
}

/** Criteria of `tenantId`'s live rules that name `target` ('ALL' or a tenancy OCID). */
export function activeCriteriaNaming(db: Executor, tenantId: string, targets: readonly string[]): Promise<CriterionRow[]> {
  return db
    .selectFrom('gov_inclusion_criteria')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('target', 'in', targets)
    .where('lifecycle_state', '=', 'ACTIVE')
    .execute();
}

export function deleteCriterion(trx: Trx, id: string, version: number, now: number): Promise<CriterionRow | undefined> {
  return trx
    .updateTable('gov_inclusion_criteria')
    .set({ lifecycle_state: 'DELETED', version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('lifecycle_state', '=', 'ACTIVE')
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCriteriaOfRule(trx: Trx, ruleId: string, now: number): Promise<void> {
  await trx
    .updateTable('gov_inclusion_criteria')
    .set((eb) => ({ lifecycle_state: 'DELETED', updated_at: now, version: eb('version', '+', 1) }))
    .where('governance_rule_id', '=', ruleId)
    .where('lifecycle_state', '=', 'ACTIVE')
    .execute();
}

// Tenancy attachments

export async function insertAttachment(trx: Trx, row: AttachmentRow): Promise<void> {
  await trx.insertInto('gov_tenancy_attachments').values(row).execute();
}

export function findAttachment(db: Executor, id: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom('gov_tenancy_attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findLiveAttachment(db: Executor, ruleId: string, tenancyId: string): Promise<AttachmentRow | undefined> {
  return db
    .selectFrom('gov_tenancy_attachments')
    .selectAll()
    .where('governance_rule_id', '=', ruleId)
    .where('tenancy_id', '=', tenancyId)
    .where('lifecycle_state', '<>', 'DELETED')
    .executeTakeFirst();
}

export function liveAttachmentsOfRule(db: Executor, ruleId: string): Promise<AttachmentRow[]> {
  return db.selectFrom('gov_tenancy_attachments').selectAll().where('governance_rule_id', '=', ruleId).where('lifecycle_state', '<>', 'DELETED').execute();
}

export function listAttachments(
  db: Executor,
  tenantId: string,
  q: { id?: string; ruleId?: string; lifecycleState?: string; childTenancyId?: string; order: Order; offset: number; limit: number },
): Promise<AttachmentRow[]> {
  let query = db.selectFrom('gov_tenancy_attachments').selectAll().where('tenant_id', '=', tenantId);
  if (q.id) query = query.where('id', '=', q.id);
  if (q.ruleId) query = query.where('governance_rule_id', '=', q.ruleId);
  if (q.lifecycleState) query = query.where('lifecycle_state', '=', q.lifecycleState);
  if (q.childTenancyId) query = query.where('tenancy_id', '=', q.childTenancyId);
  return query.orderBy('created_at', q.order).orderBy('id', q.order).limit(q.limit + 1).offset(q.offset).execute();
}

/** The attachments in force on a child tenancy (ACTIVE), with their rules. */
export function activeAttachmentsOfChild(db: Executor, childTenantId: string, ruleType?: string) {
  let query = db
    .selectFrom('gov_tenancy_attachments as a')
    .innerJoin('gov_rules as r', 'r.id', 'a.governance_rule_id')
    .selectAll('a')
    .select(['r.display_name as rule_display_name', 'r.type as rule_type', 'r.template as rule_template', 'r.updated_at as rule_updated_at'])
    .where('a.child_tenant_id', '=', childTenantId)
    .where('a.lifecycle_state', '=', 'ACTIVE')
    .where('r.lifecycle_state', '=', 'ACTIVE');
  if (ruleType) query = query.where('r.type', '=', ruleType);
  return query.orderBy('a.created_at', 'asc').orderBy('a.id', 'asc').execute();
}

export function findAttachmentByEnforcedId(db: Executor, enforcedRuleId: string) {
  return db
    .selectFrom('gov_tenancy_attachments as a')
    .innerJoin('gov_rules as r', 'r.id', 'a.governance_rule_id')
    .selectAll('a')
    .select(['r.display_name as rule_display_name', 'r.type as rule_type', 'r.template as rule_template', 'r.updated_at as rule_updated_at'])
    .where('a.enforced_rule_id', '=', enforcedRuleId)
    .executeTakeFirst();
}

export function updateAttachment(trx: Trx, id: string, version: number, changes: Partial<AttachmentRow>): Promise<AttachmentRow | undefined> {
  return trx
    .updateTable('gov_tenancy_attachments')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

// Rules chosen on a sender invitation

export async function insertInvitationRules(trx: Trx, rows: GovInvitationRulesTable[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('gov_invitation_rules').values(rows).execute();
}

export function invitationRules(db: Executor, senderInvitationId: string): Promise<RuleRow[]> {
  return db
    .selectFrom('gov_invitation_rules as i')
    .innerJoin('gov_rules as r', 'r.id', 'i.governance_rule_id')
    .selectAll('r')
    .where('i.sender_invitation_id', '=', senderInvitationId)
    .orderBy('i.created_at', 'asc')
    .orderBy('r.id', 'asc')
    .execute();
}

/** The live rules of `tenantId` that have an ALL inclusion criterion. */
export function rulesForAll(db: Executor, tenantId: string): Promise<RuleRow[]> {
  return db
    .selectFrom('gov_rules as r')
    .innerJoin('gov_inclusion_criteria as c', 'c.governance_rule_id', 'r.id')
    .selectAll('r')
    .where('r.tenant_id', '=', tenantId)
    .where('r.lifecycle_state', '=', 'ACTIVE')
    .where('c.target', '=', 'ALL')
    .where('c.lifecycle_state', '=', 'ACTIVE')
    .execute();
}

export function findLiveCriterion(db: Executor, ruleId: string, target: string): Promise<CriterionRow | undefined> {
  return db
    .selectFrom('gov_inclusion_criteria')
    .selectAll()
    .where('governance_rule_id', '=', ruleId)
    .where('target', '=', target)
    .where('lifecycle_state', '=', 'ACTIVE')
    .executeTakeFirst();
}

// Work requests

export async function insertWorkRequest(trx: Trx, row: WorkRequestRow): Promise<void> {
  await trx.insertInto('gov_work_requests').values(row).execute();
}

export function findWorkRequest(db: Executor, id: string): Promise<WorkRequestRow | undefined> {
  return db.selectFrom('gov_work_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listWorkRequests(
  db: Executor,
  tenantId: string,
  q: { id?: string; status?: string; resourceId?: string; order: Order; offset: number; limit: number },
): Promise<WorkRequestRow[]> {
  let query = db.selectFrom('gov_work_requests').selectAll().where('tenant_id', '=', tenantId);
  if (q.id) query = query.where('id', '=', q.id);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.resourceId) query = query.where('resources', 'like', `%"${q.resourceId.replace(/[%_"\\]/g, '')}"%`);
  return query.orderBy('accepted_at', q.order).orderBy('id', q.order).limit(q.limit + 1).offset(q.offset).execute();
}

/** ACCEPTED → IN_PROGRESS; false when another run already took it. */
export async function startWorkRequest(db: Executor, id: string, now: number): Promise<boolean> {
  const row = await db
    .updateTable('gov_work_requests')
    .set({ status: 'IN_PROGRESS', started_at: now, percent_complete: 50 })
    .where('id', '=', id)
    .where('status', '=', 'ACCEPTED')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Finishes a running work request once: undefined when it had already finished. */
export function finishWorkRequest(
  trx: Trx,
  id: string,
  changes: Pick<WorkRequestRow, 'status' | 'resources' | 'errors' | 'logs' | 'finished_at'>,
): Promise<WorkRequestRow | undefined> {
  return trx
    .updateTable('gov_work_requests')
    .set({ ...changes, percent_complete: 100 })
    .where('id', '=', id)
    .where('status', 'in', ['ACCEPTED', 'IN_PROGRESS', 'CANCELING'])
    .returningAll()
    .executeTakeFirst();
}

// Region subscriptions

export function listRegionSubscriptions(db: Executor, tenantId: string): Promise<Array<{ region: string; created_at: number }>> {
  return db.selectFrom('region_subscriptions').select(['region', 'created_at']).where('tenant_id', '=', tenantId).orderBy('created_at', 'asc').orderBy('region', 'asc').execute();
}

/** Inserts the subscription unless it exists; true when it was new. */
export async function insertRegionSubscription(trx: Trx, tenantId: string, region: string, now: number): Promise<boolean> {
  const row = await trx
    .insertInto('region_subscriptions')
    .values({ tenant_id: tenantId, region, created_at: now })
    .onConflict((oc) => oc.columns(['tenant_id', 'region']).doNothing())
    .returning('region')
    .executeTakeFirst();
  return row !== undefined;
}

// Resource usage

export type ResourceUsageRow = ResourceUsageTable;

export function listResourceUsage(db: Executor, tenantId: string, filter: { service?: string; limitName?: string; region?: string } = {}): Promise<ResourceUsageRow[]> {
  let query = db.selectFrom('resource_usage').selectAll().where('tenant_id', '=', tenantId);
  if (filter.service) query = query.where('service', '=', filter.service);
  if (filter.limitName) query = query.where('limit_name', '=', filter.limitName);
  if (filter.region) query = query.where('region', '=', filter.region);
  return query.orderBy('service').orderBy('limit_name').orderBy('region').execute();
}

/** Sets one usage figure (absolute), creating it on first report. */
export async function upsertResourceUsage(trx: Trx, row: ResourceUsageRow): Promise<void> {
  await trx
    .insertInto('resource_usage')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'service', 'limit_name', 'region']).doUpdateSet({ used: row.used, updated_at: row.updated_at }))
    .execute();
}
