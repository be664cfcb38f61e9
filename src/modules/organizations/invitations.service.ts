import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import { newOcid } from '../../platform/ids.js';
import type { PageCursor } from '../../platform/paging.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { findTenantByOcid, type Tenant } from '../tenants/tenants.service.js';
import { invitationCapWait } from '../tenants/invitation-cap.js';
import { createWorkRequest } from '../work-requests/work-requests.service.js';
import { chooseInvitationRules } from '../governance/invitation-rules.js';
import { applyTagRules } from '../governance/tag-rules.js';
import * as repo from './invitations.repo.js';
import { assertMaySend, canBeInvited, canInvite } from './membership.js';
import { actingTenancy, checkIfMatch, etagOf, iso, json, requireOwnCompartment, type Paged } from './organizations.access.js';
import { etagMismatch, incorrectState, invalidParameter, limitExceeded, orgNotFound, ruleConflict, tooManyInvitations } from './organizations.errors.js';
import { countActiveChildren, findMembership, findOrganizationOfParent } from './organizations.repo.js';

/** The sweep job that writes down an invitation's expiry when its time comes. */
export const EXPIRE_INVITATION = 'organizations.invitation.expire';
const DAY_MS = 24 * 60 * 60 * 1000;
const GOVERNANCE_REQUEST_TTL_MS = 14 * DAY_MS;

/** An invitation about governance only: to an existing child, it asks the child to opt in. */
export const isGovernanceOnly = (subjects: string[]) => subjects.includes('GOVERNANCE') && !subjects.includes('LINK');

type Tags = Record<string, string>;
type DefinedTags = Record<string, Record<string, unknown>>;

export interface InvitationFeature {
  name: string;
  recipientInvitationId?: string;
  status: string;
}

export interface SenderInvitation {
  id: string;
  compartmentId: string;
  subjects: string[];
  recipientInvitationId?: string;
  recipientTenancyId: string;
  lifecycleState: string;
  status: string;
  displayName: string;
  timeCreated: string;
  timeUpdated: string;
  recipientEmailAddress?: string;
  invitationFeatures?: InvitationFeature[];
  freeformTags: Tags;
  definedTags: DefinedTags;
  systemTags: DefinedTags;
  etag: string;
}

export interface RecipientInvitation {
  id: string;
  compartmentId: string;
  subjects: string[];
  senderInvitationId: string;
  senderTenancyId: string;
  lifecycleState: string;
  status: string;
  displayName: string;
  timeCreated: string;
  timeUpdated: string;
  recipientEmailAddress?: string;
  features?: string[];
  freeformTags: Tags;
  definedTags: DefinedTags;
  systemTags: DefinedTags;
  etag: string;
}

/** Expiry is computed from the stored expiry time at read time, before the sweep writes it down. */
function effective(row: { status: string; lifecycle_state: string; expires_at: number }, now: number) {
  return row.status === 'PENDING' && row.expires_at <= now
    ? { status: 'EXPIRED', lifecycleState: 'INACTIVE' }
    : { status: row.status, lifecycleState: row.lifecycle_state };
}

export function toSenderInvitation(row: repo.SenderInvitationRow, now: number): SenderInvitation {
  const state = effective(row, now);
  const features = json<string[]>(row.features);
  return {
    id: row.id,
    compartmentId: row.compartment_id,
    subjects: json(row.subjects),
    ...(row.recipient_invitation_id ? { recipientInvitationId: row.recipient_invitation_id } : {}),
    recipientTenancyId: row.recipient_tenancy_id,
    ...state,
    displayName: row.display_name,
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.updated_at),
    ...(row.recipient_email ? { recipientEmailAddress: row.recipient_email } : {}),
    ...(features.length
      ? {
          invitationFeatures: features.map((name) => ({
            name,
            ...(row.recipient_invitation_id ? { recipientInvitationId: row.recipient_invitation_id } : {}),
            status: state.status,
          })),
        }
      : {}),
    freeformTags: json(row.freeform_tags),
    definedTags: json(row.defined_tags),
    systemTags: {},
    etag: etagOf(row.id, row.version),
  };
}

export function toRecipientInvitation(row: repo.RecipientInvitationRow, now: number): RecipientInvitation {
  const features = json<string[]>(row.features);
  return {
    id: row.id,
    compartmentId: row.compartment_id,
    subjects: json(row.subjects),
    senderInvitationId: row.sender_invitation_id,
    senderTenancyId: row.sender_tenancy_id,
    ...effective(row, now),
    displayName: row.display_name,
    timeCreated: iso(row.created_at),
    timeUpdated: iso(row.updated_at),
    ...(row.recipient_email ? { recipientEmailAddress: row.recipient_email } : {}),
    ...(features.length ? { features } : {}),
    freeformTags: json(row.freeform_tags),
    definedTags: json(row.defined_tags),
    systemTags: {},
    etag: etagOf(row.id, row.version),
  };
}

export interface CreateSenderInvitationInput {
  compartmentId: string;
  recipientTenancyId: string;
  recipientEmailAddress?: string;
  displayName?: string;
  subjects?: string[];
  features?: string[];
  freeformTags?: Tags;
  definedTags?: DefinedTags;
  /** Governance hook (issue 6): rules to attach when the child joins governance. */
  governanceRuleIds?: string[];
}

/**
 * Sends an invitation (asynchronous): the invitation is CREATING until its work request has created
 * the recipient's mirror invitation and queued the email to recipientEmailAddress.
 */
export async function createSenderInvitation(
  deps: ServiceDeps,
  actor: Principal,
  input: CreateSenderInvitationInput,
): Promise<{ invitation: SenderInvitation; workRequestId: string }> {
  const { config } = deps;
  const sender = await actingTenancy(deps, actor, 'manage', 'organizations-sender-invitation');
  requireOwnCompartment(sender, input.compartmentId);
  if (!canInvite(sender)) {
    throw ruleConflict(`a ${sender.subscriptionType} tenancy cannot send organization invitations; upgrade its subscription first`);
  }
  const realm = input.recipientTenancyId.split('.')[2];
  if (!input.recipientTenancyId.startsWith('ocid1.tenancy.')) throw invalidParameter('recipientTenancyId must be a tenancy OCID');
  if (realm !== config.realm) throw invalidParameter(`the recipient must be in the same realm (${config.realm}) as the sender`);
  const recipient = await findTenantByOcid(deps, input.recipientTenancyId);
  if (!recipient) throw orgNotFound('tenancy', input.recipientTenancyId);
  if (recipient.id === sender.id) throw ruleConflict('a tenancy cannot invite itself');
  if (!canBeInvited(recipient)) {
    throw ruleConflict(`tenancy ${recipient.ocid} has a ${recipient.subscriptionType} subscription and cannot be invited until it upgrades`);
  }
  const subjects = [...new Set(input.subjects?.length ? input.subjects : ['LINK'])];
  const result = await inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      await assertMaySend(trx, sender);
      const org = await findOrganizationOfParent(trx, sender.id);
      const membership = await findMembership(trx, recipient.id);
      // A parent may ask its own child to opt in to governance (§7.8): an invitation whose only
      // subject is GOVERNANCE, accepted by the child; it lives 14 days at most.
      const governanceRequest = membership !== undefined && isGovernanceOnly(subjects) && membership.organization_id === org?.id && membership.role === 'CHILD';
      if (membership && !governanceRequest) throw ruleConflict(`tenancy ${recipient.ocid} already belongs to an organization`);
      if (membership?.governance_status === 'OPTED_IN') throw ruleConflict(`tenancy ${recipient.ocid} is already opted in to governance`);
      const wait = await invitationCapWait(trx, config.invitationsPerDay, sender.id, now);
      if (wait !== null) throw tooManyInvitations(config.invitationsPerDay, wait);
      await repo.expireDueForPair(trx, sender.id, recipient.id, now);
      const children = org ? await countActiveChildren(trx, org.id) : 0;
      if (!governanceRequest && children + (await repo.countPendingInvitations(trx, sender.id, now, config.organizationChildLimit)) >= config.organizationChildLimit) {
        throw limitExceeded(`this organization has reached its limit of ${config.organizationChildLimit} child tenancies (joined and invited)`);
      }
      const row: repo.SenderInvitationRow = {
        id: newOcid('senderinvitation', config.realm),
        tenant_id: sender.id,
        compartment_id: sender.ocid,
        recipient_tenant_id: recipient.id,
        recipient_tenancy_id: recipient.ocid,
        recipient_invitation_id: null,
        recipient_email: input.recipientEmailAddress ?? null,
        display_name: input.displayName ?? `Invitation from ${sender.name}`,
        subjects: JSON.stringify(subjects),
        features: JSON.stringify(input.features ?? []),
        freeform_tags: JSON.stringify(input.freeformTags ?? {}),
        defined_tags: JSON.stringify(input.definedTags ?? {}),
        lifecycle_state: 'CREATING',
        status: 'PENDING',
        expires_at: now + (governanceRequest ? Math.min(config.organizationInvitationTtlMs, GOVERNANCE_REQUEST_TTL_MS) : config.organizationInvitationTtlMs),
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await repo.insertSenderInvitation(trx, row);
      // Governance hook (issue 6): the invitation's governance step.
      await chooseInvitationRules(trx, now, { senderTenantId: sender.id, senderInvitationId: row.id, subjects, governanceRuleIds: input.governanceRuleIds ?? [] });
      const workRequestId = await createWorkRequest(trx, now, {
        realm: config.realm,
        tenantId: sender.id,
        compartmentId: sender.ocid,
        operationType: 'CREATE_SENDER_INVITATION',
        resources: [senderResource(row.id, 'IN_PROGRESS')],
        payload: { actor, senderInvitationId: row.id },
      });
      await enqueue(trx, now, { type: EXPIRE_INVITATION, payload: { senderInvitationId: row.id }, runAt: row.expires_at });
      const invitation = toSenderInvitation(row, now);
      await recordChange(trx, actor, now, { tenantId: sender.id, action: 'sender-invitation.create', resourceType: 'SenderInvitation', resourceId: row.id, after: invitation });
      return { invitation, workRequestId };
    },
    {
      ux_org_sender_invitations_tenant_id_recipient_tenant_id: () =>
        ruleConflict(`a pending invitation to tenancy ${recipient.ocid} already exists; cancel it or wait for an answer`),
    },
  );
  deps.wakeWorker();
  return result;
}

export const senderResource = (id: string, actionType: 'IN_PROGRESS' | 'CREATED' | 'UPDATED') => ({
  entityType: 'SenderInvitation',
  actionType,
  identifier: id,
  entityUri: `/20230401/senderInvitations/${id}`,
});
export const recipientResource = (id: string, actionType: 'IN_PROGRESS' | 'CREATED' | 'UPDATED') => ({
  entityType: 'RecipientInvitation',
  actionType,
  identifier: id,
  entityUri: `/20230401/recipientInvitations/${id}`,
});

async function ownSenderInvitation(deps: ServiceDeps, tenant: Tenant, id: string): Promise<repo.SenderInvitationRow> {
  const row = await repo.findSenderInvitation(deps.database.db, id);
  if (!row || row.tenant_id !== tenant.id) throw orgNotFound('sender invitation', id);
  return row;
}

async function ownRecipientInvitation(deps: ServiceDeps, tenant: Tenant, id: string): Promise<repo.RecipientInvitationRow> {
  const row = await repo.findRecipientInvitation(deps.database.db, id);
  if (!row || row.tenant_id !== tenant.id) throw orgNotFound('recipient invitation', id);
  return row;
}

export async function getSenderInvitation(deps: ServiceDeps, actor: Principal, id: string): Promise<SenderInvitation> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-sender-invitation');
  return toSenderInvitation(await ownSenderInvitation(deps, tenant, id), deps.clock.now());
}

export interface ListQuery {
  compartmentId?: string;
  otherTenancyId?: string;
  lifecycleState?: string;
  status?: string;
  displayName?: string;
  page: PageCursor;
  limit: number;
  sortBy: 'timeCreated' | 'displayName';
  sortOrder?: 'ASC' | 'DESC';
}

/**
 * The repo page for a list query; a keyset cursor made for another order is refused. The next
 * page starts after the last row returned (see PageCursor).
 */
function keysetPage(q: ListQuery, sortBy: ListQuery['sortBy'], sortOrder: 'ASC' | 'DESC'): repo.Page {
  const sort = `${sortBy}:${sortOrder}`;
  if ('after' in q.page && q.page.after.sort !== sort) throw invalid('INVALID_PAGE', 'page was returned for another sortBy or sortOrder');
  return { start: 'after' in q.page ? { after: q.page.after } : q.page, limit: q.limit, sortBy, sortOrder };
}

function keysetPaged<R extends { id: string; created_at: number; display_name: string }, T>(rows: R[], page: repo.Page, map: (row: R) => T): Paged<T, PageCursor> {
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  if (rows.length <= page.limit || !last) return { items: items.map(map) };
  const key = page.sortBy === 'displayName' ? last.display_name : last.created_at;
  return { items: items.map(map), next: { after: { sort: `${page.sortBy}:${page.sortOrder}`, key, id: last.id } } };
}

export async function listSenderInvitations(deps: ServiceDeps, actor: Principal, q: ListQuery): Promise<Paged<SenderInvitation, PageCursor>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-sender-invitation');
  requireOwnCompartment(tenant, q.compartmentId);
  const now = deps.clock.now();
  const page = keysetPage(q, q.sortBy, q.sortOrder ?? (q.sortBy === 'displayName' ? 'ASC' : 'DESC'));
  const rows = await repo.listSenderInvitations(
    deps.database.db,
    { tenantId: tenant.id, now, otherTenancyId: q.otherTenancyId, lifecycleState: q.lifecycleState, status: q.status, displayName: q.displayName },
    page,
  );
  return keysetPaged(rows, page, (r) => toSenderInvitation(r, now));
}

export interface UpdateInvitationInput {
  displayName?: string;
  freeformTags?: Tags;
  definedTags?: DefinedTags;
}

export async function updateSenderInvitation(
  deps: ServiceDeps,
  actor: Principal,
  id: string,
  ifMatch: string | undefined,
  input: UpdateInvitationInput,
): Promise<SenderInvitation> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-sender-invitation');
  const row = await ownSenderInvitation(deps, tenant, id);
  checkIfMatch(ifMatch, row.id, row.version);
  const updated = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const next = await repo.updateSenderInvitation(trx, row.id, row.version, { ...tagChanges(input), updated_at: now });
    if (!next) throw ifMatch ? etagMismatch() : incorrectState('the invitation changed while it was being updated; read it again');
    await recordChange(trx, actor, now, {
      tenantId: tenant.id,
      action: 'sender-invitation.update',
      resourceType: 'SenderInvitation',
      resourceId: row.id,
      before: toSenderInvitation(row, now),
      after: toSenderInvitation(next, now),
    });
    return next;
  });
  return toSenderInvitation(updated, deps.clock.now());
}

function tagChanges(input: UpdateInvitationInput) {
  return {
    ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
    ...(input.freeformTags !== undefined ? { freeform_tags: JSON.stringify(input.freeformTags) } : {}),
    ...(input.definedTags !== undefined ? { defined_tags: JSON.stringify(input.definedTags) } : {}),
  };
}

/** Refuses an answer to an invitation that is closed (permanent) or busy (transient). */
function assertOpen(row: { status: string; lifecycle_state: string; expires_at: number }, now: number): void {
  const state = effective(row, now);
  if (state.status !== 'PENDING') throw ruleConflict(`the invitation is ${state.status} and can no longer change`);
  if (state.lifecycleState !== 'ACTIVE') throw incorrectState(`the invitation is ${state.lifecycleState}; try again when its work request has finished`);
}

/** Revokes a pending invitation (asynchronous, sender only). */
export async function cancelSenderInvitation(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-sender-invitation');
  const row = await ownSenderInvitation(deps, tenant, id);
  checkIfMatch(ifMatch, row.id, row.version);
  assertOpen(row, deps.clock.now());
  const result = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const claimed = await repo.transitionSenderInvitation(trx, row.id, { lifecycle_state: 'UPDATING', updated_at: now }, { status: 'PENDING', lifecycleState: 'ACTIVE' });
    if (!claimed) throw ruleConflict('the invitation was answered or changed meanwhile; read it again');
    const workRequestId = await createWorkRequest(trx, now, {
      realm: deps.config.realm,
      tenantId: tenant.id,
      compartmentId: tenant.ocid,
      operationType: 'CANCEL_SENDER_INVITATION',
      resources: [senderResource(row.id, 'IN_PROGRESS')],
      payload: { actor, senderInvitationId: row.id },
    });
    await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'sender-invitation.cancel', resourceType: 'SenderInvitation', resourceId: row.id, after: { workRequestId } });
    return { workRequestId };
  });
  deps.wakeWorker();
  return result;
}

export async function getRecipientInvitation(deps: ServiceDeps, actor: Principal, id: string): Promise<RecipientInvitation> {
  const tenant = await actingTenancy(deps, actor, 'read', 'organizations-recipient-invitation');
  return toRecipientInvitation(await ownRecipientInvitation(deps, tenant, id), deps.clock.now());
}

export async function listRecipientInvitations(deps: ServiceDeps, actor: Principal, q: ListQuery): Promise<Paged<RecipientInvitation, PageCursor>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-recipient-invitation');
  requireOwnCompartment(tenant, q.compartmentId);
  const now = deps.clock.now();
  const page = keysetPage(q, 'timeCreated', 'DESC');
  const rows = await repo.listRecipientInvitations(
    deps.database.db,
    { tenantId: tenant.id, now, otherTenancyId: q.otherTenancyId, lifecycleState: q.lifecycleState, status: q.status },
    page,
  );
  return keysetPaged(rows, page, (r) => toRecipientInvitation(r, now));
}

export async function updateRecipientInvitation(
  deps: ServiceDeps,
  actor: Principal,
  id: string,
  ifMatch: string | undefined,
  input: UpdateInvitationInput,
): Promise<RecipientInvitation> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-recipient-invitation');
  const row = await ownRecipientInvitation(deps, tenant, id);
  checkIfMatch(ifMatch, row.id, row.version);
  const updated = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    // Governance hook (issue 6): TAG rules in force on this tenancy check its defined tags.
    const checked = input.definedTags === undefined ? input : { ...input, definedTags: await applyTagRules(trx, tenant.id, input.definedTags) };
    const next = await repo.updateRecipientInvitation(trx, row.id, row.version, { ...tagChanges(checked), updated_at: now });
    if (!next) throw ifMatch ? etagMismatch() : incorrectState('the invitation changed while it was being updated; read it again');
    await recordChange(trx, actor, now, {
      tenantId: tenant.id,
      action: 'recipient-invitation.update',
      resourceType: 'RecipientInvitation',
      resourceId: row.id,
      before: toRecipientInvitation(row, now),
      after: toRecipientInvitation(next, now),
    });
    return next;
  });
  return toRecipientInvitation(updated, deps.clock.now());
}

/**
 * Accepts (asynchronous). The sender invitation is claimed with a guarded update first, so of two
 * racing answers (accept/accept, accept/cancel) exactly one wins; the work request then joins the
 * recipient to the sender's organization.
 */
export async function acceptRecipientInvitation(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<{ workRequestId: string }> {
  const recipient = await actingTenancy(deps, actor, 'manage', 'organizations-recipient-invitation');
  const row = await ownRecipientInvitation(deps, recipient, id);
  checkIfMatch(ifMatch, row.id, row.version);
  assertOpen(row, deps.clock.now());
  const sent = await repo.findSenderInvitation(deps.database.db, row.sender_invitation_id);
  if (!sent) throw orgNotFound('recipient invitation', id);
  const result = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const membership = await findMembership(trx, recipient.id);
    if (membership && !(isGovernanceOnly(json(row.subjects)) && membership.organization_id === (await findOrganizationOfParent(trx, sent.tenant_id))?.id)) {
      throw ruleConflict('this tenancy already belongs to an organization');
    }
    const senderMembership = await findMembership(trx, sent.tenant_id);
    if (senderMembership?.role === 'CHILD') throw ruleConflict('the sender has become a child tenancy and cannot take children');
    const claimed = await repo.transitionSenderInvitation(trx, sent.id, { lifecycle_state: 'UPDATING', updated_at: now }, { status: 'PENDING', lifecycleState: 'ACTIVE' });
    const mine = claimed && (await repo.transitionRecipientInvitation(trx, row.id, { lifecycle_state: 'UPDATING', updated_at: now }, { status: 'PENDING', lifecycleState: 'ACTIVE' }));
    if (!mine) throw ruleConflict('the invitation was answered or changed meanwhile; read it again');
    const workRequestId = await createWorkRequest(trx, now, {
      realm: deps.config.realm,
      tenantId: recipient.id,
      compartmentId: recipient.ocid,
      operationType: 'ACCEPT_RECIPIENT_INVITATION',
      resources: [recipientResource(row.id, 'IN_PROGRESS')],
      payload: { actor, recipientInvitationId: row.id },
    });
    await recordChange(trx, actor, now, { tenantId: recipient.id, action: 'recipient-invitation.accept', resourceType: 'RecipientInvitation', resourceId: row.id, after: { workRequestId } });
    return { workRequestId };
  });
  deps.wakeWorker();
  return result;
}

/** Declines (console "Decline"): synchronous; the sender's side stays PENDING until it expires or is revoked. */
export async function ignoreRecipientInvitation(deps: ServiceDeps, actor: Principal, id: string, ifMatch?: string): Promise<RecipientInvitation> {
  const tenant = await actingTenancy(deps, actor, 'manage', 'organizations-recipient-invitation');
  const row = await ownRecipientInvitation(deps, tenant, id);
  checkIfMatch(ifMatch, row.id, row.version);
  assertOpen(row, deps.clock.now());
  const updated = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const next = await repo.transitionRecipientInvitation(trx, row.id, { status: 'IGNORED', lifecycle_state: 'INACTIVE', updated_at: now }, { status: 'PENDING', lifecycleState: 'ACTIVE' });
    if (!next) throw ruleConflict('the invitation was answered or changed meanwhile; read it again');
    await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'recipient-invitation.ignore', resourceType: 'RecipientInvitation', resourceId: row.id, after: { status: 'IGNORED' } });
    return next;
  });
  return toRecipientInvitation(updated, deps.clock.now());
}
