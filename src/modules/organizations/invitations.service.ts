import type { Trx } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { newOcid } from '../../platform/ids.js';
import { enqueueMail } from '../../platform/mail/mail.jobs.js';
import { renderMail } from '../../platform/mail/templates.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { findTenantByOcid, getTenantOrThrow, type Tenant } from '../tenants/tenants.service.js';
import { createWorkRequest, type WorkRequestStep } from '../work-requests/work-requests.service.js';
import * as repo from './invitations.repo.js';
import { addChild, assertMaySend, canBeInvited, canInvite } from './membership.js';
import { actingTenancy, checkIfMatch, etagOf, iso, json, paged, requireOwnCompartment, type Paged } from './organizations.access.js';
import { incorrectState, invalidParameter, limitExceeded, orgNotFound, ruleConflict, tooManyInvitations } from './organizations.errors.js';
import { ORGANIZATION_INVITATION } from './organizations.mail.js';
import { countActiveChildren, findMembership, findOrganizationOfParent } from './organizations.repo.js';

export const EXPIRE_INVITATION = 'organizations.invitation.expire';
const DAY_MS = 24 * 60 * 60 * 1000;

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
      if (await findMembership(trx, recipient.id)) throw ruleConflict(`tenancy ${recipient.ocid} already belongs to an organization`);
      if (config.invitationsPerDay > 0 && (await repo.countInvitationsSince(trx, sender.id, now - DAY_MS)) >= config.invitationsPerDay) {
        throw tooManyInvitations(config.invitationsPerDay);
      }
      await repo.expireDueForPair(trx, sender.id, recipient.id, now);
      const org = await findOrganizationOfParent(trx, sender.id);
      const children = org ? await countActiveChildren(trx, org.id) : 0;
      if (children + (await repo.countPendingInvitations(trx, sender.id, now)) >= config.organizationChildLimit) {
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
        expires_at: now + config.organizationInvitationTtlMs,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await repo.insertSenderInvitation(trx, row);
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

const senderResource = (id: string, actionType: 'IN_PROGRESS' | 'CREATED' | 'UPDATED') => ({
  entityType: 'SenderInvitation',
  actionType,
  identifier: id,
  entityUri: `/20230401/senderInvitations/${id}`,
});
const recipientResource = (id: string, actionType: 'IN_PROGRESS' | 'CREATED' | 'UPDATED') => ({
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
  offset: number;
  limit: number;
  sortBy: 'timeCreated' | 'displayName';
  sortOrder?: 'ASC' | 'DESC';
}

export async function listSenderInvitations(deps: ServiceDeps, actor: Principal, q: ListQuery): Promise<Paged<SenderInvitation>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-sender-invitation');
  requireOwnCompartment(tenant, q.compartmentId);
  const now = deps.clock.now();
  const sortOrder = q.sortOrder ?? (q.sortBy === 'displayName' ? 'ASC' : 'DESC');
  const rows = await repo.listSenderInvitations(
    deps.database.db,
    { tenantId: tenant.id, now, otherTenancyId: q.otherTenancyId, lifecycleState: q.lifecycleState, status: q.status, displayName: q.displayName },
    { offset: q.offset, limit: q.limit, sortBy: q.sortBy, sortOrder },
  );
  return paged(rows, q.offset, q.limit, (r) => toSenderInvitation(r, now));
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
    if (!next) throw incorrectState('the invitation changed while it was being updated; read it again');
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
    const claimed = await repo.updateSenderInvitation(trx, row.id, row.version, { lifecycle_state: 'UPDATING', updated_at: now }, { status: 'PENDING', lifecycleState: 'ACTIVE' });
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

export async function listRecipientInvitations(deps: ServiceDeps, actor: Principal, q: ListQuery): Promise<Paged<RecipientInvitation>> {
  const tenant = await actingTenancy(deps, actor, 'inspect', 'organizations-recipient-invitation');
  requireOwnCompartment(tenant, q.compartmentId);
  const now = deps.clock.now();
  const rows = await repo.listRecipientInvitations(
    deps.database.db,
    { tenantId: tenant.id, now, otherTenancyId: q.otherTenancyId, lifecycleState: q.lifecycleState, status: q.status },
    { offset: q.offset, limit: q.limit, sortBy: 'timeCreated', sortOrder: 'DESC' },
  );
  return paged(rows, q.offset, q.limit, (r) => toRecipientInvitation(r, now));
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
    const next = await repo.updateRecipientInvitation(trx, row.id, row.version, { ...tagChanges(input), updated_at: now });
    if (!next) throw incorrectState('the invitation changed while it was being updated; read it again');
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
    if (await findMembership(trx, recipient.id)) throw ruleConflict('this tenancy already belongs to an organization');
    const senderMembership = await findMembership(trx, sent.tenant_id);
    if (senderMembership?.role === 'CHILD') throw ruleConflict('the sender has become a child tenancy and cannot take children');
    const claimed = await repo.updateSenderInvitation(trx, sent.id, sent.version, { lifecycle_state: 'UPDATING', updated_at: now }, { status: 'PENDING', lifecycleState: 'ACTIVE' });
    const mine = claimed && (await repo.updateRecipientInvitation(trx, row.id, row.version, { lifecycle_state: 'UPDATING', updated_at: now }, { status: 'PENDING', lifecycleState: 'ACTIVE' }));
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
    const next = await repo.updateRecipientInvitation(trx, row.id, row.version, { status: 'IGNORED', lifecycle_state: 'INACTIVE', updated_at: now }, { status: 'PENDING', lifecycleState: 'ACTIVE' });
    if (!next) throw ruleConflict('the invitation was answered or changed meanwhile; read it again');
    await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'recipient-invitation.ignore', resourceType: 'RecipientInvitation', resourceId: row.id, after: { status: 'IGNORED' } });
    return next;
  });
  return toRecipientInvitation(updated, deps.clock.now());
}

// Work request steps

interface SendContext {
  actor: Principal;
  invitation: repo.SenderInvitationRow;
  sender: Tenant;
  recipient: Tenant;
}

export function sendInvitationStep(deps: ServiceDeps): WorkRequestStep<SendContext> {
  return {
    async load(payload: { actor: Principal; senderInvitationId: string }) {
      const invitation = await repo.findSenderInvitation(deps.database.db, payload.senderInvitationId);
      if (!invitation) throw new Error(`sender invitation ${payload.senderInvitationId} is gone`);
      const [sender, recipient] = await Promise.all([getTenantOrThrow(deps, invitation.tenant_id), getTenantOrThrow(deps, invitation.recipient_tenant_id)]);
      return { actor: payload.actor, invitation, sender, recipient };
    },
    async perform(trx, now, { actor, invitation, sender, recipient }) {
      const ri: repo.RecipientInvitationRow = {
        id: newOcid('recipientinvitation', deps.config.realm),
        tenant_id: recipient.id,
        compartment_id: recipient.ocid,
        sender_invitation_id: invitation.id,
        sender_tenant_id: sender.id,
        sender_tenancy_id: sender.ocid,
        recipient_email: invitation.recipient_email,
        display_name: invitation.display_name,
        subjects: invitation.subjects,
        features: invitation.features,
        freeform_tags: '{}',
        defined_tags: '{}',
        lifecycle_state: 'ACTIVE',
        status: 'PENDING',
        expires_at: invitation.expires_at,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await repo.insertRecipientInvitation(trx, ri);
      const active = await repo.updateSenderInvitation(
        trx,
        invitation.id,
        invitation.version,
        { lifecycle_state: 'ACTIVE', recipient_invitation_id: ri.id, updated_at: now },
        { lifecycleState: 'CREATING' },
      );
      if (!active) throw new Error(`sender invitation ${invitation.id} changed while it was being sent`);
      if (invitation.recipient_email) {
        await enqueueMail(
          trx,
          now,
          invitation.recipient_email,
          renderMail(ORGANIZATION_INVITATION, {
            senderName: sender.name,
            senderTenancyId: sender.ocid,
            recipientName: recipient.name,
            displayName: invitation.display_name,
            recipientInvitationId: ri.id,
            senderInvitationId: invitation.id,
            expiresAt: iso(invitation.expires_at),
            consoleUrl: `${deps.config.publicUrl}/console/organizations/recipient-invitations/${encodeURIComponent(ri.id)}`,
          }),
        );
      }
      await recordChange(trx, actor, now, {
        tenantId: recipient.id,
        action: 'recipient-invitation.create',
        resourceType: 'RecipientInvitation',
        resourceId: ri.id,
        after: toRecipientInvitation(ri, now),
      });
      return {
        resources: [senderResource(invitation.id, 'CREATED'), recipientResource(ri.id, 'CREATED')],
        log: `recipient invitation ${ri.id} created${invitation.recipient_email ? ' and the email queued' : ''}`,
      };
    },
    async onFailure(trx, now, { invitation }) {
      await repo.updateSenderInvitation(trx, invitation.id, invitation.version, { lifecycle_state: 'FAILED', status: 'FAILED', updated_at: now });
    },
  };
}

interface CancelContext {
  actor: Principal;
  invitation: repo.SenderInvitationRow;
  mirror?: repo.RecipientInvitationRow;
}

export function cancelInvitationStep(deps: ServiceDeps): WorkRequestStep<CancelContext> {
  return {
    async load(payload: { actor: Principal; senderInvitationId: string }) {
      const invitation = await repo.findSenderInvitation(deps.database.db, payload.senderInvitationId);
      if (!invitation) throw new Error(`sender invitation ${payload.senderInvitationId} is gone`);
      const mirror = await repo.findRecipientInvitationBySender(deps.database.db, invitation.id);
      return { actor: payload.actor, invitation, mirror };
    },
    async perform(trx, now, { actor, invitation, mirror }) {
      const done = await repo.updateSenderInvitation(trx, invitation.id, invitation.version, { status: 'CANCELED', lifecycle_state: 'INACTIVE', updated_at: now }, { lifecycleState: 'UPDATING' });
      if (!done) throw new Error(`sender invitation ${invitation.id} changed while it was being canceled`);
      if (mirror) await repo.updateRecipientInvitation(trx, mirror.id, mirror.version, { status: 'CANCELED', lifecycle_state: 'INACTIVE', updated_at: now }, { status: 'PENDING' });
      await recordChange(trx, actor, now, { tenantId: invitation.tenant_id, action: 'sender-invitation.canceled', resourceType: 'SenderInvitation', resourceId: invitation.id, after: { status: 'CANCELED' } });
      return { resources: [senderResource(invitation.id, 'UPDATED')], log: 'invitation canceled' };
    },
  };
}

interface AcceptContext {
  actor: Principal;
  mine: repo.RecipientInvitationRow;
  sent: repo.SenderInvitationRow;
  sender: Tenant;
  recipient: Tenant;
}

export function acceptInvitationStep(deps: ServiceDeps): WorkRequestStep<AcceptContext> {
  return {
    async load(payload: { actor: Principal; recipientInvitationId: string }) {
      const mine = await repo.findRecipientInvitation(deps.database.db, payload.recipientInvitationId);
      const sent = mine && (await repo.findSenderInvitation(deps.database.db, mine.sender_invitation_id));
      if (!mine || !sent) throw new Error(`recipient invitation ${payload.recipientInvitationId} is gone`);
      const [sender, recipient] = await Promise.all([getTenantOrThrow(deps, sent.tenant_id), getTenantOrThrow(deps, mine.tenant_id)]);
      return { actor: payload.actor, mine, sent, sender, recipient };
    },
    async perform(trx, now, { actor, mine, sent, sender, recipient }) {
      const subjects = json<string[]>(mine.subjects);
      const { linkIds } = await addChild(trx, now, actor, {
        parent: sender,
        child: recipient,
        origin: 'INVITED',
        governanceStatus: subjects.includes('GOVERNANCE') ? 'OPTED_IN' : 'OPTED_OUT',
        features: json<string[]>(mine.features),
        childLimit: deps.config.organizationChildLimit,
      });
      await closeBoth(trx, now, mine, sent, 'ACCEPTED', 'INACTIVE');
      return {
        resources: [
          recipientResource(mine.id, 'UPDATED'),
          senderResource(sent.id, 'UPDATED'),
          ...linkIds.map((id) => ({ entityType: 'Link', actionType: 'CREATED' as const, identifier: id, entityUri: `/20230401/links/${id}` })),
        ],
        log: `tenancy ${recipient.ocid} joined the organization of ${sender.ocid}`,
      };
    },
    async onFailure(trx, now, { mine, sent }) {
      await closeBoth(trx, now, mine, sent, 'FAILED', 'FAILED');
    },
  };
}

async function closeBoth(trx: Trx, now: number, mine: repo.RecipientInvitationRow, sent: repo.SenderInvitationRow, status: string, lifecycle: string) {
  const a = await repo.updateRecipientInvitation(trx, mine.id, mine.version, { status, lifecycle_state: lifecycle, updated_at: now }, { lifecycleState: 'UPDATING' });
  const b = await repo.updateSenderInvitation(trx, sent.id, sent.version, { status, lifecycle_state: lifecycle, updated_at: now }, { lifecycleState: 'UPDATING' });
  if (!a || !b) throw new Error(`invitation ${mine.id} changed while its acceptance ran`);
}

/** The sweep: writes down EXPIRED once an invitation's stored expiry time has passed. */
export async function expireInvitation(deps: ServiceDeps, senderInvitationId: string): Promise<void> {
  await inTransaction(deps.database, (trx) => repo.expireSenderInvitation(trx, senderInvitationId, deps.clock.now()));
}
