import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { findTenantsByOcids, getTenantOrThrow, insertTenant, listTenants, prepareTenant, type Tenant } from '../tenants/tenants.service.js';
import { createWorkRequest, type WorkRequestResource, type WorkRequestStep } from '../work-requests/work-requests.service.js';
import { addChild, canCreateChildren, type GovernanceStatus } from './membership.js';
import { actingTenancy, checkIfMatch, etagOf, iso, paged, requireOwnCompartment, type Paged } from './organizations.access.js';
import { incorrectState, invalidParameter, orgNotFound, ruleConflict } from './organizations.errors.js';
import * as repo from './organizations.repo.js';

const RESTORE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export interface Organization {
  id: string;
  displayName: string;
  compartmentId: string;
  parentName: string;
  defaultUcmSubscriptionId: string;
  lifecycleState: string;
  timeCreated: string;
  timeUpdated: string;
  systemTags: Record<string, never>;
  etag: string;
}

export interface OrganizationTenancy {
  tenancyId: string;
  name?: string;
  lifecycleState: string;
  role: string;
  timeJoined: string;
  timeLeft?: string;
  isApprovedForTransfer: boolean;
  governanceStatus: string;
  etag: string;
}

function toOrganization(row: repo.OrganizationRow, parentName: string): Organization {
  return {
    id: row.id,
    displayName: row.display_name,
    compartmentId: row.compartment_id,
    parentName,
    defaultUcmSubscriptionId: row.default_subscription_id,
    lifecycleState: row.lifecycle_state,
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.updated_at),
    systemTags: {},
    etag: etagOf(row.id, row.version),
  };
}

export function toOrganizationTenancy(row: repo.OrgTenancyRow, name: string | undefined): OrganizationTenancy {
  return {
    tenancyId: row.tenancy_id,
    ...(name !== undefined ? { name } : {}),
    lifecycleState: row.lifecycle_state,
    role: row.role,
    timeJoined: iso(row.joined_at),
    ...(row.left_at !== null ? { timeLeft: iso(row.left_at) } : {}),
    isApprovedForTransfer: row.approved_for_transfer === 1,
    governanceStatus: row.governance_status,
    etag: etagOf(row.id, row.version),
  };
}

/** The organization the caller belongs to (as parent or current child), or undefined. */
async function organizationOf(deps: ServiceDeps, tenant: Tenant): Promise<repo.OrganizationRow | undefined> {
  const membership = await repo.findMembership(deps.database.db, tenant.id);
  return membership ? repo.findOrganization(deps.database.db, membership.organization_id) : repo.findOrganizationOfParent(deps.database.db, tenant.id);
}

/** An organization the caller is a member of; any other reads as not found. */
async function visibleOrganization(deps: ServiceDeps, tenant: Tenant, id: string): Promise<repo.OrganizationRow> {
  const org = await organizationOf(deps, tenant);
  if (!org || org.id !== id) throw orgNotFound('organization', id);
  return org;
}

export async function listOrganizations(deps: ServiceDeps, actor: Principal, q: { compartmentId?: string; offset: number; limit: number }): Promise<Paged<Organization>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-entity');
  requireOwnCompartment(tenant, q.compartmentId);
  const org = await organizationOf(deps, tenant);
  const rows = org ? [org] : [];
  const parents = await namesOf(deps, rows.map((r) => r.compartment_id));
  return paged(rows.slice(q.offset), q.offset, q.limit, (r) => toOrganization(r, parents.get(r.compartment_id) ?? ''));
}

export async function getOrganization(deps: ServiceDeps, actor: Principal, id: string): Promise<Organization> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-entity');
  const org = await visibleOrganization(deps, tenant, id);
  const parent = await getTenantOrThrow(deps, org.tenant_id);
  return toOrganization(org, parent.name);
}

async function namesOf(deps: ServiceDeps, ocids: string[]): Promise<Map<string, string>> {
  const tenants = await findTenantsByOcids(deps, [...new Set(ocids)]);
  return new Map(tenants.map((t) => [t.ocid, t.name]));
}

/** The parent sees every tenancy of its organization; a child sees the parent and itself. */
export async function listOrganizationTenancies(
  deps: ServiceDeps,
  actor: Principal,
  organizationId: string,
  q: { offset: number; limit: number },
): Promise<Paged<OrganizationTenancy>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-tenancy');
  const org = await visibleOrganization(deps, tenant, organizationId);
  let rows = await repo.listOrgTenancies(deps.database.db, org.id, 0, 10_000);
  if (org.tenant_id !== tenant.id) rows = rows.filter((r) => r.role === 'PARENT' || r.tenant_id === tenant.id);
  const names = await namesOf(deps, rows.map((r) => r.tenancy_id));
  return paged(rows.slice(q.offset, q.offset + q.limit + 1), q.offset, q.limit, (r) => toOrganizationTenancy(r, names.get(r.tenancy_id)));
}

async function visibleTenancy(deps: ServiceDeps, tenant: Tenant, org: repo.OrganizationRow, tenancyId: string): Promise<repo.OrgTenancyRow> {
  const row = await repo.findOrgTenancy(deps.database.db, org.id, tenancyId);
  if (!row || (org.tenant_id !== tenant.id && row.role !== 'PARENT' && row.tenant_id !== tenant.id)) throw orgNotFound('organization tenancy', tenancyId);
  return row;
}

export async function getOrganizationTenancy(deps: ServiceDeps, actor: Principal, organizationId: string, tenancyId: string): Promise<OrganizationTenancy> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-tenancy');
  const org = await visibleOrganization(deps, tenant, organizationId);
  const row = await visibleTenancy(deps, tenant, org, tenancyId);
  const names = await namesOf(deps, [row.tenancy_id]);
  return toOrganizationTenancy(row, names.get(row.tenancy_id));
}

/** The caller's own organization as its parent; anything else is not found. */
async function ownOrganization(deps: ServiceDeps, tenant: Tenant, id?: string): Promise<repo.OrganizationRow> {
  const org = await repo.findOrganizationOfParent(deps.database.db, tenant.id);
  if (!org || (id !== undefined && org.id !== id)) throw orgNotFound('organization', id ?? tenant.ocid);
  return org;
}

/** A child of the caller's organization (deleted ones included). */
async function childOf(deps: ServiceDeps, org: repo.OrganizationRow, tenancyId: string): Promise<repo.OrgTenancyRow> {
  const row = await repo.findOrgTenancy(deps.database.db, org.id, tenancyId);
  if (!row) throw orgNotFound('organization tenancy', tenancyId);
  return row;
}

const tenancyResource = (id: string, actionType: WorkRequestResource['actionType']): WorkRequestResource => ({
  entityType: 'OrganizationTenancy',
  actionType,
  identifier: id,
});

interface Payload {
  actor: Principal;
  [key: string]: unknown;
}

async function startWork(
  deps: ServiceDeps,
  actor: Principal,
  tenant: Tenant,
  operationType: string,
  resources: WorkRequestResource[],
  payload: Omit<Payload, 'actor'>,
): Promise<{ workRequestId: string }> {
  const workRequestId = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const id = await createWorkRequest(trx, now, {
      realm: deps.config.realm,
      tenantId: tenant.id,
      compartmentId: tenant.ocid,
      operationType,
      resources,
      payload: { ...payload, actor },
    });
    await recordChange(trx, actor, now, { tenantId: tenant.id, action: `work-request.${operationType.toLowerCase()}`, resourceType: 'WorkRequest', resourceId: id, after: { resources } });
    return id;
  });
  deps.wakeWorker();
  return { workRequestId };
}

/** Changes the organization's default subscription (asynchronous: ASSIGN_DEFAULT_SUBSCRIPTION). */
export async function updateOrganization(
  deps: ServiceDeps,
  actor: Principal,
  id: string,
  ifMatch: string | undefined,
  input: { defaultUcmSubscriptionId: string },
): Promise<{ workRequestId: string }> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-entity');
  const org = await ownOrganization(deps, tenant, id);
  checkIfMatch(ifMatch, org.id, org.version);
  const subscriptions = await repo.listSubscriptionsOfTenant(deps.database.db, tenant.id);
  if (!subscriptions.some((s) => s.id === input.defaultUcmSubscriptionId)) {
    throw invalidParameter(`defaultUcmSubscriptionId ${input.defaultUcmSubscriptionId} is not a subscription of the parent tenancy`);
  }
  return startWork(deps, actor, tenant, 'ASSIGN_DEFAULT_SUBSCRIPTION', [{ entityType: 'Organization', actionType: 'IN_PROGRESS', identifier: org.id }], {
    organizationId: org.id,
    subscriptionId: input.defaultUcmSubscriptionId,
  });
}

/** Opts a tenancy in to governance: the tenancy itself, or the parent for itself (§7.8). */
export async function addGovernance(deps: ServiceDeps, actor: Principal, organizationId: string, tenancyId: string, ifMatch?: string) {
  return changeGovernance(deps, actor, organizationId, tenancyId, ifMatch, 'OPTED_IN');
}

/** Opts a tenancy out: the parent for itself or a child; a child cannot opt itself out (§7.8). */
export async function removeGovernance(deps: ServiceDeps, actor: Principal, organizationId: string, tenancyId: string, ifMatch?: string) {
  return changeGovernance(deps, actor, organizationId, tenancyId, ifMatch, 'OPTED_OUT');
}

async function changeGovernance(
  deps: ServiceDeps,
  actor: Principal,
  organizationId: string,
  tenancyId: string,
  ifMatch: string | undefined,
  to: GovernanceStatus,
): Promise<{ workRequestId: string }> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-tenancy');
  const org = await visibleOrganization(deps, tenant, organizationId);
  const row = await visibleTenancy(deps, tenant, org, tenancyId);
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.left_at !== null) throw ruleConflict(`tenancy ${tenancyId} is no longer in the organization`);
  const isParentCaller = org.tenant_id === tenant.id;
  const self = row.tenant_id === tenant.id;
  if (to === 'OPTED_IN' && !self) throw ruleConflict('only the tenancy itself can opt in to governance; invite it with the GOVERNANCE subject');
  if (to === 'OPTED_OUT' && !isParentCaller) throw ruleConflict('a child tenancy cannot opt itself out of governance; ask the parent');
  return startWork(deps, actor, tenant, to === 'OPTED_IN' ? 'SELF_OPT_IN' : 'SELF_OPT_OUT', [tenancyResource(tenancyId, 'IN_PROGRESS')], {
    organizationTenancyRowId: row.id,
    governanceStatus: to,
  });
}

/** Terminates a created child (asynchronous); invited children leave through deleteLink (§7.9). */
export async function deleteOrganizationTenancy(deps: ServiceDeps, actor: Principal, tenancyId: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-tenancy');
  const org = await ownOrganization(deps, tenant);
  const row = await childOf(deps, org, tenancyId);
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.role === 'PARENT') throw ruleConflict('the parent tenancy of an organization cannot be deleted');
  if (row.origin !== 'CREATED') throw ruleConflict('only child tenancies created by the parent can be deleted; remove an invited child with deleteLink');
  if (row.lifecycle_state !== 'ACTIVE') throw ruleConflict(`tenancy ${tenancyId} is ${row.lifecycle_state}`);
  return startWork(deps, actor, tenant, 'SOFT_TERMINATE_TENANCY', [tenancyResource(tenancyId, 'IN_PROGRESS')], { organizationTenancyRowId: row.id, action: 'delete' });
}

/** Restores a deleted created child, once, within 30 days. */
export async function restoreOrganizationTenancy(deps: ServiceDeps, actor: Principal, tenancyId: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-tenancy');
  const org = await ownOrganization(deps, tenant);
  const row = await childOf(deps, org, tenancyId);
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.lifecycle_state !== 'DELETED' || row.left_at === null) throw ruleConflict(`tenancy ${tenancyId} is ${row.lifecycle_state}, not DELETED`);
  if (row.restored) throw ruleConflict('a tenancy can be restored only once');
  if (deps.clock.now() - row.left_at > RESTORE_WINDOW_MS) throw ruleConflict('a tenancy can be restored only within 30 days of its deletion');
  return startWork(deps, actor, tenant, 'RESTORE_TENANCY', [tenancyResource(tenancyId, 'IN_PROGRESS')], { organizationTenancyRowId: row.id, action: 'restore' });
}

/** Approves or withdraws approval of a created child's transfer (synchronous). */
export async function setApprovedForTransfer(
  deps: ServiceDeps,
  actor: Principal,
  tenancyId: string,
  compartmentId: string | undefined,
  ifMatch: string | undefined,
  approved: boolean,
): Promise<OrganizationTenancy> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-tenancy');
  requireOwnCompartment(tenant, compartmentId);
  const org = await ownOrganization(deps, tenant);
  const row = await childOf(deps, org, tenancyId);
  checkIfMatch(ifMatch, row.id, row.version);
  if (row.origin !== 'CREATED' || row.left_at !== null) throw ruleConflict('only an active child tenancy created by the parent can be transferred');
  const updated = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const next = await repo.updateOrgTenancy(trx, row.id, row.version, { approved_for_transfer: approved ? 1 : 0, updated_at: now });
    if (!next) throw incorrectState('the tenancy changed meanwhile; read it again');
    await recordChange(trx, actor, now, {
      tenantId: tenant.id,
      action: approved ? 'organization.tenancy.approve-transfer' : 'organization.tenancy.unapprove-transfer',
      resourceType: 'OrganizationTenancy',
      resourceId: tenancyId,
      after: { isApprovedForTransfer: approved },
    });
    return next;
  });
  const names = await namesOf(deps, [tenancyId]);
  return toOrganizationTenancy(updated, names.get(tenancyId));
}

export interface CreateChildTenancyInput {
  compartmentId: string;
  tenancyName: string;
  homeRegion: string;
  adminEmail: string;
  policyName?: string;
  governanceStatus?: GovernanceStatus;
  subscriptionId?: string;
  features?: string[];
}

/** Creates a new tenancy as a child (asynchronous: CREATE_CHILD_TENANCY). ANNUAL_COMMIT parents only. */
export async function createChildTenancy(deps: ServiceDeps, actor: Principal, input: CreateChildTenancyInput): Promise<{ workRequestId: string }> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-tenancy');
  requireOwnCompartment(tenant, input.compartmentId);
  if (!canCreateChildren(tenant)) throw ruleConflict(`a ${tenant.subscriptionType} tenancy cannot create child tenancies`);
  const membership = await repo.findMembership(deps.database.db, tenant.id);
  if (membership?.role === 'CHILD') throw ruleConflict('a child tenancy cannot create child tenancies');
  if (!/^[a-z][a-z0-9]{0,99}$/.test(input.tenancyName)) throw invalidParameter('tenancyName must be lower-case letters and digits, starting with a letter');
  if (!deps.config.regions.includes(input.homeRegion)) throw invalidParameter(`homeRegion must be one of ${deps.config.regions.join(', ')}`);
  if ((await listTenants(deps)).some((t) => t.name.toLowerCase() === input.tenancyName)) throw ruleConflict(`a tenancy named ${input.tenancyName} already exists`);
  if (input.subscriptionId && !(await repo.listSubscriptionsOfTenant(deps.database.db, tenant.id)).some((s) => s.id === input.subscriptionId)) {
    throw invalidParameter(`subscriptionId ${input.subscriptionId} is not a subscription of the parent tenancy`);
  }
  return startWork(deps, actor, tenant, 'CREATE_CHILD_TENANCY', [{ entityType: 'Tenancy', actionType: 'IN_PROGRESS', identifier: input.tenancyName }], { input });
}

// Work request steps

export function assignDefaultSubscriptionStep(deps: ServiceDeps): WorkRequestStep {
  return {
    async load(p: Payload & { organizationId: string; subscriptionId: string }) {
      const org = await repo.findOrganization(deps.database.db, p.organizationId);
      if (!org) throw new Error(`organization ${p.organizationId} is gone`);
      return { ...p, org };
    },
    async perform(trx, now, { actor, org: loaded, subscriptionId }) {
      // Re-read in the transaction: the version read before it may be stale by now.
      const org = (await repo.findOrganization(trx, loaded.id)) ?? loaded;
      const next = await repo.updateOrganization(trx, org.id, org.version, { default_subscription_id: subscriptionId, updated_at: now });
      if (!next) throw incorrectState('the organization changed meanwhile');
      await repo.moveImplicitMappings(trx, org.id, subscriptionId, now);
      await recordChange(trx, actor, now, { tenantId: org.tenant_id, action: 'organization.update', resourceType: 'Organization', resourceId: org.id, before: { defaultUcmSubscriptionId: org.default_subscription_id }, after: { defaultUcmSubscriptionId: subscriptionId } });
      return { resources: [{ entityType: 'Organization', actionType: 'UPDATED', identifier: org.id, entityUri: `/20230401/organizations/${org.id}` }], log: `default subscription is now ${subscriptionId}` };
    },
  };
}

async function loadTenancyRow(deps: ServiceDeps, id: string): Promise<repo.OrgTenancyRow> {
  const row = await repo.findOrgTenancyById(deps.database.db, id);
  if (!row) throw new Error(`organization tenancy ${id} is gone`);
  return row;
}

export function governanceStep(deps: ServiceDeps): WorkRequestStep {
  return {
    async load(p: Payload & { organizationTenancyRowId: string; governanceStatus: GovernanceStatus }) {
      return { ...p, row: await loadTenancyRow(deps, p.organizationTenancyRowId) };
    },
    async perform(trx, now, { actor, row: loaded, governanceStatus }) {
      const row = (await repo.findOrgTenancyById(trx, loaded.id)) ?? loaded;
      if (row.left_at !== null) throw ruleConflict(`tenancy ${row.tenancy_id} is no longer in the organization`);
      const next = await repo.updateOrgTenancy(trx, row.id, row.version, { governance_status: governanceStatus, updated_at: now });
      if (!next) throw incorrectState('the tenancy changed meanwhile');
      await recordChange(trx, actor, now, { tenantId: row.tenant_id, action: 'organization.tenancy.governance', resourceType: 'OrganizationTenancy', resourceId: row.tenancy_id, before: { governanceStatus: row.governance_status }, after: { governanceStatus } });
      return { resources: [tenancyResource(row.tenancy_id, 'UPDATED')], log: `governance status is now ${governanceStatus}` };
    },
  };
}

export function terminateTenancyStep(deps: ServiceDeps): WorkRequestStep {
  return {
    async load(p: Payload & { organizationTenancyRowId: string; action: 'delete' | 'restore' }) {
      return { ...p, row: await loadTenancyRow(deps, p.organizationTenancyRowId) };
    },
    async perform(trx, now, { actor, row: loaded, action }) {
      const row = (await repo.findOrgTenancyById(trx, loaded.id)) ?? loaded;
      const changes =
        action === 'delete'
          ? { lifecycle_state: 'DELETED', left_at: now, updated_at: now }
          : { lifecycle_state: 'ACTIVE', left_at: null, restored: 1, updated_at: now };
      const next = await repo.updateOrgTenancy(trx, row.id, row.version, changes, { lifecycleState: action === 'delete' ? 'ACTIVE' : 'DELETED' });
      if (!next) throw ruleConflict(`tenancy ${row.tenancy_id} changed meanwhile`);
      if (action === 'delete') await repo.setLinksOfChildState(trx, row.tenant_id, 'ACTIVE', 'TERMINATED', now);
      else await repo.setLinksOfChildState(trx, row.tenant_id, 'TERMINATED', 'ACTIVE', now);
      await recordChange(trx, actor, now, { tenantId: row.tenant_id, action: `organization.tenancy.${action}`, resourceType: 'OrganizationTenancy', resourceId: row.tenancy_id, after: { lifecycleState: next.lifecycle_state } });
      return { resources: [tenancyResource(row.tenancy_id, action === 'delete' ? 'DELETED' : 'UPDATED')], log: `tenancy ${row.tenancy_id} ${action === 'delete' ? 'deleted' : 'restored'}` };
    },
  };
}

export function createChildTenancyStep(deps: ServiceDeps): WorkRequestStep {
  return {
    // The new tenancy is inserted in the step's transaction, with its link and the work request's
    // end: a refused link (say, the child limit) leaves no tenancy behind.
    async load(p: Payload & { input: CreateChildTenancyInput }) {
      const parent = await getTenantOrThrow(deps, p.actor.tenantId!);
      const prepared = await prepareTenant(deps, {
        name: p.input.tenancyName,
        adminEmail: p.input.adminEmail,
        homeRegion: p.input.homeRegion,
        subscriptionType: 'PAYG',
      });
      return { ...p, parent, prepared };
    },
    async perform(trx, now, { actor, parent, prepared, input }) {
      const child = await insertTenant(trx, deps, actor, now, prepared);
      const { linkIds } = await addChild(trx, now, actor, {
        parent,
        child,
        origin: 'CREATED',
        governanceStatus: input.governanceStatus ?? 'OPTED_IN',
        features: input.features ?? [],
        subscriptionId: input.subscriptionId,
        childLimit: deps.config.organizationChildLimit,
      });
      return {
        resources: [
          { entityType: 'Tenancy', actionType: 'CREATED', identifier: child.ocid },
          ...linkIds.map((id) => ({ entityType: 'Link', actionType: 'CREATED' as const, identifier: id, entityUri: `/20230401/links/${id}` })),
        ],
        log: `child tenancy ${child.ocid} created`,
      };
    },
  };
}


// Reads for other capabilities (governance rules, cost reporting): who belongs to which organization.

export interface Membership {
  organizationId: string;
  parentTenantId: string;
  tenantId: string;
  tenancyId: string;
  role: 'PARENT' | 'CHILD';
  governanceStatus: GovernanceStatus;
  lifecycleState: string;
  joinedAt: number;
}

function toMembership(row: repo.OrgTenancyRow, org: repo.OrganizationRow): Membership {
  return {
    organizationId: org.id,
    parentTenantId: org.tenant_id,
    tenantId: row.tenant_id,
    tenancyId: row.tenancy_id,
    role: row.role as Membership['role'],
    governanceStatus: row.governance_status as GovernanceStatus,
    lifecycleState: row.lifecycle_state,
    joinedAt: row.joined_at,
  };
}

/** The tenancy's current organization membership (as parent or child), if any. */
export async function findMembershipOf(deps: ServiceDeps, tenantId: string): Promise<Membership | undefined> {
  const row = await repo.findMembership(deps.database.db, tenantId);
  const org = row && (await repo.findOrganization(deps.database.db, row.organization_id));
  return row && org ? toMembership(row, org) : undefined;
}

/** The current members of the organization a parent tenancy leads (the parent first). */
export async function listMembersOfParent(deps: ServiceDeps, parentTenantId: string): Promise<Membership[]> {
  const org = await repo.findOrganizationOfParent(deps.database.db, parentTenantId);
  if (!org) return [];
  const rows = await repo.listOrgTenancies(deps.database.db, org.id, 0, 100_000);
  return rows.filter((r) => r.left_at === null).map((r) => toMembership(r, org));
}
