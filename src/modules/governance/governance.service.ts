import type { Trx } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { newOcid } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { childrenOf, membershipOf } from '../organizations/governance-membership.js';
import type { Tenant } from '../tenants/tenants.service.js';
import { attachmentResource, detach, isGoverned, planAttachments } from './attachments.service.js';
import { govConflict, govNotFound, invalidTemplate, missingParameter } from './governance.errors.js';
import type { CreateGovernanceRuleDetails, CreateInclusionCriterionDetails, Template, UpdateGovernanceRuleDetails } from './governance.schemas.js';
import {
  actingTenancy,
  checkIfMatch,
  etagOf,
  iso,
  paged,
  recordWorkRequest,
  requireOwnCompartment,
  type Paged,
  type WorkRequestResource,
} from './governance-work-requests.service.js';
import * as repo from './governance.repo.js';
import { validateTemplate } from './templates.js';

// Governance rules and their inclusion criteria (reference §5): a parent tenancy writes rules in its
// root compartment and says which children they reach (one tenancy, or ALL opted-in children).

export interface GovernanceRule {
  id: string;
  compartmentId: string;
  displayName: string;
  description?: string;
  type: string;
  creationOption: string;
  template: Template;
  relatedResourceId?: string;
  timeCreated: string;
  timeUpdated: string;
  lifecycleState: string;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
  systemTags: Record<string, Record<string, unknown>>;
  etag: string;
}

export interface InclusionCriterion {
  id: string;
  governanceRuleId: string;
  type: string;
  association?: { type: 'TENANCY'; tenancyId: string };
  lifecycleState: string;
  timeCreated: string;
  timeUpdated: string;
  etag: string;
}

function toRule(row: repo.RuleRow): GovernanceRule {
  return {
    id: row.id,
    compartmentId: row.compartment_id,
    displayName: row.display_name,
    description: row.description ?? undefined,
    type: row.type,
    creationOption: row.creation_option,
    template: JSON.parse(row.template) as Template,
    relatedResourceId: row.related_resource_id ?? undefined,
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.updated_at),
    lifecycleState: row.lifecycle_state,
    freeformTags: JSON.parse(row.freeform_tags),
    definedTags: JSON.parse(row.defined_tags),
    systemTags: {},
    etag: etagOf(row.id, row.version),
  };
}

function toCriterion(row: repo.CriterionRow): InclusionCriterion {
  return {
    id: row.id,
    governanceRuleId: row.governance_rule_id,
    type: row.type,
    association: row.type === 'TENANCY' ? { type: 'TENANCY', tenancyId: row.target } : undefined,
    lifecycleState: row.lifecycle_state,
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.updated_at),
    etag: etagOf(row.id, row.version),
  };
}

const ruleResource = (id: string, actionType: WorkRequestResource['actionType']): WorkRequestResource => ({
  entityType: 'GovernanceRule',
  actionType,
  identifier: id,
  entityUri: `/20220504/governanceRules/${id}`,
});
const criterionResource = (id: string, actionType: WorkRequestResource['actionType']): WorkRequestResource => ({
  entityType: 'InclusionCriterion',
  actionType,
  identifier: id,
  entityUri: `/20220504/inclusionCriteria/${id}`,
});

/** A child governs nothing: only a parent or a tenancy outside any organization writes rules. */
async function assertMayGovern(deps: ServiceDeps, tenant: Tenant): Promise<void> {
  const membership = await membershipOf(deps.database.db, tenant.id);
  if (membership?.role === 'CHILD') throw govConflict('a child tenancy cannot create governance rules; its parent governs it');
}

async function ownRule(deps: ServiceDeps, actor: Principal, id: string, verb: 'read' | 'manage') {
  const tenant = await actingTenancy(deps, actor, verb);
  const row = await repo.findRule(deps.database.db, id);
  if (!row || row.tenant_id !== tenant.id) throw govNotFound('governance rule', id);
  return { tenant, row };
}

export async function createGovernanceRule(
  deps: ServiceDeps,
  actor: Principal,
  input: CreateGovernanceRuleDetails,
): Promise<{ rule: GovernanceRule; workRequestId: string }> {
  const tenant = await actingTenancy(deps, actor, 'manage');
  requireOwnCompartment(tenant, input.compartmentId);
  await assertMayGovern(deps, tenant);
  let template = input.template;
  if (input.creationOption === 'CLONE' || (!template && input.relatedResourceId)) {
    if (!input.relatedResourceId) throw missingParameter('relatedResourceId (the rule to clone)');
    const source = await repo.findRule(deps.database.db, input.relatedResourceId);
    if (!source || source.tenant_id !== tenant.id || source.lifecycle_state !== 'ACTIVE') throw govNotFound('governance rule', input.relatedResourceId);
    if (source.type !== input.type) throw invalidTemplate(`the rule to clone is a ${source.type} rule, not ${input.type}`);
    template ??= JSON.parse(source.template) as Template;
  }
  if (!template) throw missingParameter('template (or relatedResourceId with creationOption CLONE)');
  const checked = validateTemplate(input.type, template, deps.config.regions);
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const row: repo.RuleRow = {
      id: newOcid('governancerule', tenant.realm),
      tenant_id: tenant.id,
      compartment_id: tenant.ocid,
      display_name: input.displayName,
      description: input.description ?? null,
      type: input.type,
      creation_option: input.creationOption,
      template: JSON.stringify(checked),
      related_resource_id: input.relatedResourceId ?? null,
      freeform_tags: JSON.stringify(input.freeformTags ?? {}),
      defined_tags: JSON.stringify(input.definedTags ?? {}),
      lifecycle_state: 'ACTIVE',
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await repo.insertRule(trx, row);
    await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'governance.rule.create', resourceType: 'GovernanceRule', resourceId: row.id, after: { type: row.type, displayName: row.display_name, template: checked } });
    const workRequestId = await recordWorkRequest(trx, now, tenant, {
      operationType: 'CREATE_GOVERNANCE_RULE',
      resources: [ruleResource(row.id, 'CREATED')],
      finished: true,
      log: `governance rule ${row.id} created`,
    });
    return { rule: toRule(row), workRequestId };
  });
}

export async function getGovernanceRule(deps: ServiceDeps, actor: Principal, id: string): Promise<GovernanceRule> {
  return toRule((await ownRule(deps, actor, id, 'read')).row);
}

export async function listGovernanceRules(
  deps: ServiceDeps,
  actor: Principal,
  q: { compartmentId?: string; governanceRuleId?: string; lifecycleState?: string; displayName?: string; governanceRuleType?: string; offset: number; limit: number; sortOrder?: 'ASC' | 'DESC'; sortBy?: string },
): Promise<Paged<GovernanceRule>> {
  const tenant = await actingTenancy(deps, actor, 'inspect');
  if (!q.compartmentId && !q.governanceRuleId) throw missingParameter('compartmentId or governanceRuleId');
  if (q.compartmentId) requireOwnCompartment(tenant, q.compartmentId);
  const rows = await repo.listRules(deps.database.db, tenant.id, {
    id: q.governanceRuleId,
    lifecycleState: q.lifecycleState,
    displayName: q.displayName,
    type: q.governanceRuleType,
    sortBy: q.sortBy === 'displayName' ? 'display_name' : 'created_at',
    order: q.sortOrder === 'ASC' ? 'asc' : 'desc',
    offset: q.offset,
    limit: q.limit,
  });
  return paged(rows, q.offset, q.limit, toRule);
}

/** Updates a rule; attached children see the new template at once (their enforced rule reads it). */
export async function updateGovernanceRule(
  deps: ServiceDeps,
  actor: Principal,
  id: string,
  input: UpdateGovernanceRuleDetails,
  ifMatch?: string,
): Promise<{ workRequestId: string }> {
  const { tenant, row } = await ownRule(deps, actor, id, 'manage');
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.lifecycle_state !== 'ACTIVE') throw govConflict(`governance rule ${id} is deleted`);
  const template = input.template ? validateTemplate(row.type, input.template, deps.config.regions) : undefined;
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const next = await repo.updateRule(trx, row.id, row.version, {
      ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(template ? { template: JSON.stringify(template) } : {}),
      ...(input.relatedResourceId !== undefined ? { related_resource_id: input.relatedResourceId } : {}),
      ...(input.freeformTags !== undefined ? { freeform_tags: JSON.stringify(input.freeformTags) } : {}),
      ...(input.definedTags !== undefined ? { defined_tags: JSON.stringify(input.definedTags) } : {}),
      updated_at: now,
    });
    if (!next) throw govConflict(`governance rule ${id} changed meanwhile; read it again`);
    await recordChange(trx, actor, now, {
      tenantId: tenant.id,
      action: 'governance.rule.update',
      resourceType: 'GovernanceRule',
      resourceId: id,
      before: { displayName: row.display_name, template: JSON.parse(row.template) },
      after: { displayName: next.display_name, template: JSON.parse(next.template) },
    });
    const attached = await repo.liveAttachmentsOfRule(trx, id);
    const workRequestId = await recordWorkRequest(trx, now, tenant, {
      operationType: 'UPDATE_GOVERNANCE_RULE',
      resources: [ruleResource(id, 'UPDATED'), ...attached.map((a) => attachmentResource(a.id, 'RELATED'))],
      finished: true,
      log: `governance rule ${id} updated`,
    });
    return { workRequestId };
  });
}

/** Deletes a rule with its criteria and attachments: it stops applying to every child at once. */
export async function deleteGovernanceRule(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const { tenant, row } = await ownRule(deps, actor, id, 'manage');
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.lifecycle_state !== 'ACTIVE') throw govConflict(`governance rule ${id} is already deleted`);
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const deleted = await repo.updateRule(trx, row.id, row.version, { lifecycle_state: 'DELETED', updated_at: now });
    if (!deleted) throw govConflict(`governance rule ${id} changed meanwhile; read it again`);
    await repo.deleteCriteriaOfRule(trx, id, now);
    const ended = await detach(trx, now, id);
    await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'governance.rule.delete', resourceType: 'GovernanceRule', resourceId: id, before: { lifecycleState: 'ACTIVE' }, after: { lifecycleState: 'DELETED', detached: ended } });
    const workRequestId = await recordWorkRequest(trx, now, tenant, {
      operationType: 'DELETE_GOVERNANCE_RULE',
      resources: [ruleResource(id, 'DELETED'), ...ended.map((a) => attachmentResource(a, 'DELETED'))],
      finished: true,
      log: `governance rule ${id} deleted with ${ended.length} attachment(s)`,
    });
    return { workRequestId };
  });
}

/** The children a criterion reaches now: the named one, or every governed child for ALL. */
async function targetsOf(trx: Trx, parent: Tenant, type: string, tenancyId: string | undefined) {
  const { organizationId, children } = await childrenOf(trx, parent.id);
  const governed = children.filter((c) => organizationId !== undefined && isGoverned(c, organizationId));
  if (type === 'ALL') return { organizationId, targets: governed };
  const child = children.find((c) => c.tenancyId === tenancyId);
  if (!child || !organizationId) throw govNotFound('child tenancy', tenancyId ?? '');
  // Rules can only be attached to OPTED_IN tenancies (reference §7.8).
  if (!isGoverned(child, organizationId)) {
    throw govConflict(`tenancy ${tenancyId} has not opted in to the governance of this organization; ask it to join governance first`);
  }
  return { organizationId, targets: [child] };
}

export async function createInclusionCriterion(
  deps: ServiceDeps,
  actor: Principal,
  input: CreateInclusionCriterionDetails,
): Promise<{ criterion: InclusionCriterion; workRequestId: string }> {
  const { tenant, row: rule } = await ownRule(deps, actor, input.governanceRuleId, 'manage');
  if (rule.lifecycle_state !== 'ACTIVE') throw govConflict(`governance rule ${rule.id} is deleted`);
  if (input.type === 'TENANCY' && !input.association?.tenancyId) throw missingParameter('association.tenancyId');
  const target = input.type === 'ALL' ? 'ALL' : input.association!.tenancyId;
  return inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const { organizationId, targets } = await targetsOf(trx, tenant, input.type, target);
      const row: repo.CriterionRow = {
        id: newOcid('inclusioncriterion', tenant.realm),
        tenant_id: tenant.id,
        governance_rule_id: rule.id,
        type: input.type,
        target,
        lifecycle_state: 'ACTIVE',
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await repo.insertCriterion(trx, row);
      const attachmentIds = organizationId ? await planAttachments(trx, now, tenant, rule, organizationId, targets) : [];
      await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'governance.criterion.create', resourceType: 'InclusionCriterion', resourceId: row.id, after: { governanceRuleId: rule.id, type: row.type, target, attachments: attachmentIds } });
      const workRequestId = await recordWorkRequest(trx, now, tenant, {
        operationType: 'CREATE_INCLUSION_CRITERIA',
        resources: [criterionResource(row.id, 'CREATED'), ...attachmentIds.map((a) => attachmentResource(a, 'IN_PROGRESS'))],
        finished: attachmentIds.length === 0,
        payload: { attachmentIds, actor },
        log: `inclusion criterion ${row.id} created; ${attachmentIds.length} tenancy attachment(s) to apply`,
      });
      return { criterion: toCriterion(row), workRequestId };
    },
    { ux_gov_inclusion_criteria_governance_rule_id_target: () => govConflict(`governance rule ${rule.id} already has an inclusion criterion for ${target}`) },
  );
}

async function ownCriterion(deps: ServiceDeps, actor: Principal, id: string, verb: 'read' | 'manage') {
  const tenant = await actingTenancy(deps, actor, verb);
  const row = await repo.findCriterion(deps.database.db, id);
  if (!row || row.tenant_id !== tenant.id) throw govNotFound('inclusion criterion', id);
  return { tenant, row };
}

export async function getInclusionCriterion(deps: ServiceDeps, actor: Principal, id: string): Promise<InclusionCriterion> {
  return toCriterion((await ownCriterion(deps, actor, id, 'read')).row);
}

export async function listInclusionCriteria(
  deps: ServiceDeps,
  actor: Principal,
  q: { governanceRuleId?: string; inclusionCriterionId?: string; lifecycleState?: string; offset: number; limit: number; sortOrder?: 'ASC' | 'DESC' },
): Promise<Paged<InclusionCriterion>> {
  if (!q.governanceRuleId) throw missingParameter('governanceRuleId');
  await ownRule(deps, actor, q.governanceRuleId, 'read');
  const rows = await repo.listCriteria(deps.database.db, q.governanceRuleId, {
    id: q.inclusionCriterionId,
    lifecycleState: q.lifecycleState,
    order: q.sortOrder === 'ASC' ? 'asc' : 'desc',
    offset: q.offset,
    limit: q.limit,
  });
  return paged(rows, q.offset, q.limit, toCriterion);
}

/** Deletes a criterion; children no other live criterion of the rule reaches are detached. */
export async function deleteInclusionCriterion(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const { tenant, row } = await ownCriterion(deps, actor, id, 'manage');
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.lifecycle_state !== 'ACTIVE') throw govConflict(`inclusion criterion ${id} is already deleted`);
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    if (!(await repo.deleteCriterion(trx, id, row.version, now))) throw govConflict(`inclusion criterion ${id} changed meanwhile; read it again`);
    const remaining = await repo.activeCriteriaOfRule(trx, row.governance_rule_id);
    const attached = await repo.liveAttachmentsOfRule(trx, row.governance_rule_id);
    const stillCovered = (tenancyId: string) => remaining.some((c) => c.target === 'ALL' || c.target === tenancyId);
    const ended = await detach(trx, now, row.governance_rule_id, attached.map((a) => a.tenancy_id).filter((t) => !stillCovered(t)));
    await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'governance.criterion.delete', resourceType: 'InclusionCriterion', resourceId: id, before: { lifecycleState: 'ACTIVE' }, after: { lifecycleState: 'DELETED', detached: ended } });
    const workRequestId = await recordWorkRequest(trx, now, tenant, {
      operationType: 'DELETE_INCLUSION_CRITERIA',
      resources: [criterionResource(id, 'DELETED'), ...ended.map((a) => attachmentResource(a, 'DELETED'))],
      finished: true,
      log: `inclusion criterion ${id} deleted; ${ended.length} attachment(s) ended`,
    });
    return { workRequestId };
  });
}

/**
 * Applies a rule again: children its criteria reach now and that have no attachment yet get one
 * (an ALL rule reaches children that opted in since), and attachments needing attention are tried again.
 */
export async function retryGovernanceRule(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const { tenant, row: rule } = await ownRule(deps, actor, id, 'manage');
  checkIfMatch(ifMatch, rule.id, rule.version);
  if (rule.lifecycle_state !== 'ACTIVE') throw govConflict(`governance rule ${id} is deleted`);
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const { organizationId, children } = await childrenOf(trx, tenant.id);
    const criteria = await repo.activeCriteriaOfRule(trx, id);
    const reached = children.filter((c) => organizationId && isGoverned(c, organizationId) && criteria.some((k) => k.target === 'ALL' || k.target === c.tenancyId));
    const created = organizationId ? await planAttachments(trx, now, tenant, rule, organizationId, reached) : [];
    const again: string[] = [];
    for (const a of await repo.liveAttachmentsOfRule(trx, id)) {
      if (created.includes(a.id)) continue;
      const member = children.find((c) => c.tenancyId === a.tenancy_id);
      if (a.lifecycle_state === 'ACTIVE' && isGoverned(member, a.organization_id)) continue;
      if (await repo.updateAttachment(trx, a.id, a.version, { lifecycle_state: 'UPDATING', updated_at: now })) again.push(a.id);
    }
    const attachmentIds = [...created, ...again];
    const workRequestId = await recordWorkRequest(trx, now, tenant, {
      operationType: 'RETRY_GOVERNANCE_RULE',
      resources: [ruleResource(id, 'RELATED'), ...attachmentIds.map((a) => attachmentResource(a, 'IN_PROGRESS'))],
      finished: attachmentIds.length === 0,
      payload: { attachmentIds, actor },
      log: `retry of governance rule ${id}: ${created.length} new and ${again.length} repeated attachment(s)`,
    });
    return { workRequestId };
  });
}
