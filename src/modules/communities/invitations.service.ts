import { inTransaction } from '../../platform/db/transaction.js';
import type { Trx } from '../../platform/db/index.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { forbidden } from '../../platform/errors.js';
import { newGuid } from '../../platform/ids.js';
import { enqueueMail } from '../../platform/mail/mail.jobs.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import { renderMail, type MailTemplate } from '../../platform/mail/templates.js';
import { SYSTEM, type Principal } from '../../platform/principal.js';
import { skipCursorsOf } from '../../platform/skip-cursors.js';
import { recordChange } from '../audit/audit.service.js';
import { getTenantOrThrow } from '../tenants/tenants.service.js';
import { invitationCapWait } from '../tenants/invitation-cap.js';
import * as repo from './communities.repo.js';
import { CommunityErrors } from './communities.errors.js';
import {
  COMMUNITY_INVITATION,
  COMMUNITY_INVITATION_ACCEPTED,
  COMMUNITY_INVITATION_CONFIRMED,
  COMMUNITY_INVITATION_RESENT,
} from './communities.mail.js';
import { CommunityAccessRights as R, INVITATION_ACTIONS, type InvitationAction, type InvitationState } from './communities.schemas.js';
import {
  accessCommunity,
  isTenantCommunityAdmin,
  principalEmail,
  requireRight,
  tenantOf,
  trusteeOf,
  type Paging,
} from './communities.service.js';

export interface Invitation {
  id: string;
  issued: number;
  expires: number;
  accepted: number | null;
  state: InvitationState;
  issuingTenantId: string;
  invitedTenantId: string | null;
  communityId: string;
  communityName: string;
  recipient: string;
  acceptedUserEmail: string | null;
  acceptedTenantName: string | null;
}

export interface InvitationDetails {
  id: string;
  communityId: string;
  communityName: string;
  state: InvitationState;
  contactEmail: string | null;
  issuingTenantName: string;
  expires: number;
  tenantAlreadyMemberOfCommunity: boolean;
}

/** Outbox job that materializes an invitation's expiry at its stored expiry time (see communities.jobs.ts). */
export const EXPIRE_COMMUNITY_INVITATION = 'community.invitation.expire';

function scheduleExpiry(trx: Trx, now: number, row: repo.InvitationRow) {
  return enqueue(trx, now, { type: EXPIRE_COMMUNITY_INVITATION, payload: { invitationId: row.id }, runAt: row.expires_at });
}

/**
 * Stores InvitationExpired once a pending invitation's expiry has passed. Reads already show it
 * (effectiveState); this makes the stored state agree. Idempotent: a renewed (Resend) or acted-on
 * invitation does not match the compare-and-set, so a stale job changes nothing.
 */
export async function expireInvitation(deps: ServiceDeps, invitationId: string): Promise<boolean> {
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const won = await repo.transitionInvitation(trx, invitationId, { states: ['InvitationCreated'], expiredAt: now }, { state: 'InvitationExpired', updated_at: now });
    if (!won) return false;
    await recordChange(trx, SYSTEM, now, {
      tenantId: won.issuing_tenant_id,
      action: 'community.invitation.expire',
      resourceType: 'CommunityInvitation',
      resourceId: won.id,
      before: { state: 'InvitationCreated' },
      after: { state: won.state, expires: new Date(won.expires_at).toISOString() },
    });
    return true;
  });
}

/** Expiry is stored; a pending invitation past it reads as InvitationExpired everywhere (§3). */
export function effectiveState(row: repo.InvitationRow, now: number): InvitationState {
  if (row.state === 'InvitationCreated' && row.expires_at <= now) return 'InvitationExpired';
  return row.state as InvitationState;
}

function toInvitation(row: repo.InvitationRow, communityName: string, now: number): Invitation {
  return {
    id: row.id,
    issued: row.issued_at,
    expires: row.expires_at,
    accepted: row.accepted_at,
    state: effectiveState(row, now),
    issuingTenantId: row.issuing_tenant_id,
    invitedTenantId: row.invited_tenant_id,
    communityId: row.community_id,
    communityName,
    recipient: row.recipient,
    acceptedUserEmail: row.accepted_user_email,
    acceptedTenantName: row.accepted_tenant_name,
  };
}

const consoleLink = (deps: ServiceDeps, path: string) => `${deps.config.publicUrl}/console/${path}`;

async function queueMail(trx: Trx, deps: ServiceDeps, now: number, to: string | null, template: MailTemplate, values: Record<string, string>) {
  if (to) await enqueueMail(trx, now, to, renderMail(template, values));
}

/** The skip/count list of a community's invitations sent by one tenant (see SkipCursors). */
const invitationListOf = (communityId: string, issuingTenantId: string) => `community-invitations:${communityId}:${issuingTenantId}`;

export async function listInvitations(deps: ServiceDeps, actor: Principal, communityId: string, paging: Paging): Promise<Invitation[]> {
  const access = await accessCommunity(deps, actor, communityId);
  requireRight(access, R.ViewCommunityDetails, 'list the invitations of this community');
  const now = deps.clock.now();
  const list = invitationListOf(communityId, access.membership.tenant_id);
  const rows = await skipCursorsOf(deps.database).page(
    list,
    paging.skip,
    paging.count,
    now,
    (start, limit) => repo.listInvitationsOfCommunity(deps.database.db, communityId, access.membership.tenant_id, start, limit),
    (row) => ({ key: row.created_at, id: row.id }),
  );
  return rows.map((r) => toInvitation(r, access.community.name, now));
}

export async function getInvitation(deps: ServiceDeps, actor: Principal, communityId: string, invitationId: string): Promise<Invitation> {
  const access = await accessCommunity(deps, actor, communityId);
  requireRight(access, R.ViewCommunityDetails, 'read the invitations of this community');
  const row = await repo.findInvitationById(deps.database.db, invitationId);
  if (!row || row.community_id !== communityId || row.issuing_tenant_id !== access.membership.tenant_id) {
    throw CommunityErrors.invitationNotFound(invitationId);
  }
  return toInvitation(row, access.community.name, deps.clock.now());
}

/** Owner-only: invites by email; the daily cap (TENANTRY_INVITATIONS_PER_DAY) counts per issuing tenant, across both dialects. */
export async function createInvitation(deps: ServiceDeps, actor: Principal, communityId: string, input: { recipient: string }): Promise<Invitation> {
  const access = await accessCommunity(deps, actor, communityId);
  requireRight(access, R.ManageTenants, 'invite tenants');
  const tenant = await getTenantOrThrow(deps, access.membership.tenant_id);
  const inviterEmail = (await principalEmail(deps.database.db, actor)) ?? access.membership.contact_email;
  const recipient = input.recipient.trim().toLowerCase();
  const cap = deps.config.invitationsPerDay;
  const row = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const wait = await invitationCapWait(trx, cap, tenant.id, now);
    if (wait !== null) throw CommunityErrors.invitationsRateLimited(cap, wait);
    const invitation: repo.InvitationRow = {
      id: newGuid(now),
      community_id: communityId,
      issuing_tenant_id: tenant.id,
      recipient,
      inviter_email: inviterEmail,
      state: 'InvitationCreated',
      issued_at: now,
      expires_at: now + deps.config.communityInvitationTtlMs,
      accepted_at: null,
      invited_tenant_id: null,
      accepted_user_email: null,
      accepted_tenant_name: null,
      accepted_by: null,
      contact_email: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    await repo.insertInvitation(trx, invitation);
    await scheduleExpiry(trx, now, invitation);
    await recordChange(trx, actor, now, {
      tenantId: tenant.id,
      action: 'community.invitation.create',
      resourceType: 'CommunityInvitation',
      resourceId: invitation.id,
      after: { communityId, recipient, state: invitation.state, expires: new Date(invitation.expires_at).toISOString() },
    });
    await queueMail(trx, deps, now, recipient, COMMUNITY_INVITATION, {
      tenantName: tenant.name,
      communityName: access.community.name,
      invitationId: invitation.id,
      expires: new Date(invitation.expires_at).toISOString(),
      link: consoleLink(deps, `community-invitations/${invitation.id}`),
    });
    return invitation;
  });
  deps.wakeWorker();
  return toInvitation(row, access.community.name, deps.clock.now());
}

export async function deleteInvitation(deps: ServiceDeps, actor: Principal, communityId: string, invitationId: string): Promise<void> {
  const access = await accessCommunity(deps, actor, communityId);
  requireRight(access, R.ManageTenants, 'delete invitations');
  const row = await repo.findInvitationById(deps.database.db, invitationId);
  if (!row || row.community_id !== communityId) throw CommunityErrors.invitationNotFound(invitationId);
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    if (!(await repo.softDeleteInvitation(trx, invitationId, now))) throw CommunityErrors.invitationNotFound(invitationId);
    await recordChange(trx, actor, now, {
      tenantId: row.issuing_tenant_id,
      action: 'community.invitation.delete',
      resourceType: 'CommunityInvitation',
      resourceId: invitationId,
      before: { state: effectiveState(row, now), recipient: row.recipient },
    });
  });
  skipCursorsOf(deps.database).forget(invitationListOf(row.community_id, row.issuing_tenant_id));
}

/** What the invitee sees from the email link, before deciding (I5). */
export async function getInvitationDetails(deps: ServiceDeps, actor: Principal, invitationId: string): Promise<InvitationDetails> {
  const tenantId = tenantOf(actor);
  const db = deps.database.db;
  const row = await repo.findInvitationById(db, invitationId);
  // Once a tenant accepted it, the invitation is that tenant's and the issuer's: to others it does not exist.
  const boundElsewhere = row?.invited_tenant_id && row.invited_tenant_id !== tenantId && row.issuing_tenant_id !== tenantId;
  if (!row || boundElsewhere) throw CommunityErrors.invitationNotFound(invitationId);
  if (!(await isTenantCommunityAdmin(deps, actor))) {
    throw forbidden('COMMUNITY_ACCESS_DENIED', 'reading an invitation needs the TenantAdministrator or CommunityAdministrator role');
  }
  const [community, owner, membership] = await Promise.all([
    repo.findCommunityById(db, row.community_id),
    repo.findCommunityTenant(db, row.community_id, row.issuing_tenant_id),
    repo.findCommunityTenant(db, row.community_id, tenantId),
  ]);
  if (!community) throw CommunityErrors.invitationNotFound(invitationId);
  const issuing = await getTenantOrThrow(deps, row.issuing_tenant_id);
  return {
    id: row.id,
    communityId: community.id,
    communityName: community.name,
    state: effectiveState(row, deps.clock.now()),
    contactEmail: owner?.contact_email ?? null,
    issuingTenantName: issuing.name,
    expires: row.expires_at,
    tenantAlreadyMemberOfCommunity: membership !== undefined,
  };
}

/** Accepted invitations of the caller's tenant that await the owner's confirmation (I7). */
export async function listPendingConfirmations(deps: ServiceDeps, actor: Principal, tenantId: string, paging: Paging): Promise<Invitation[]> {
  if (tenantOf(actor) !== tenantId) throw forbidden('COMMUNITY_ACCESS_DENIED', 'you may list the invitations of your own tenant only');
  if (!(await isTenantCommunityAdmin(deps, actor))) {
    throw forbidden('COMMUNITY_ACCESS_DENIED', 'listing invitations needs the TenantAdministrator or CommunityAdministrator role');
  }
  const db = deps.database.db;
  const rows = await repo.listAcceptedInvitationsOfTenant(db, tenantId, paging.skip, paging.count);
  const now = deps.clock.now();
  return Promise.all(
    rows.map(async (r) => toInvitation(r, (await repo.findCommunityById(db, r.community_id))?.name ?? '', now)),
  );
}

/** Names (any case) or the declared order 0..3 of ProcessInvitationAction. */
export function parseAction(value: unknown): InvitationAction | undefined {
  if (typeof value === 'number') return INVITATION_ACTIONS[value];
  if (typeof value !== 'string') return undefined;
  return INVITATION_ACTIONS.find((a) => a.toLowerCase() === value.trim().toLowerCase());
}

export interface ProcessResult {
  invitation: Invitation;
  /** 202 when a notification was queued along with the change (Resend), else 200. */
  status: 200 | 202;
}

/**
 * The invitation state machine of §3 (I6). Checks run in the documented order: invitation exists
 * (404) → Action known (400) → Accept by a tenant already in the community (400) → actor (403) →
 * state (400). Each change is one compare-and-set, so of racing requests exactly one wins; the
 * others see the state it left and get 400.
 */
export async function processInvitation(
  deps: ServiceDeps,
  actor: Principal,
  invitationId: string,
  input: { action: unknown; contactEmail?: string | null },
): Promise<ProcessResult> {
  const tenantId = tenantOf(actor);
  const db = deps.database.db;
  const row = await repo.findInvitationById(db, invitationId);
  if (!row) throw CommunityErrors.invitationNotFound(invitationId);
  const action = parseAction(input.action);
  if (!action) throw CommunityErrors.unknownAction(input.action);
  const community = await repo.findCommunityById(db, row.community_id);
  if (!community) throw CommunityErrors.invitationNotFound(invitationId);
  const callerMembership = await repo.findCommunityTenant(db, community.id, tenantId);
  if (action === 'Accept' && callerMembership) throw CommunityErrors.alreadyMember();

  const state = effectiveState(row, deps.clock.now());
  const allowedFrom: Record<InvitationAction, InvitationState[]> = {
    Accept: ['InvitationCreated'],
    Decline: ['InvitationCreated', 'InvitationAccepted'],
    Confirm: ['InvitationAccepted'],
    Resend: ['InvitationCreated', 'InvitationExpired'],
  };

  if (action === 'Confirm' || action === 'Resend') {
    const access = callerMembership && tenantId === row.issuing_tenant_id ? await accessCommunity(deps, actor, community.id) : undefined;
    if (!access) throw CommunityErrors.ownerOnly(`${action.toLowerCase()} invitations`);
    requireRight(access, R.ManageTenants, `${action.toLowerCase()} invitations`);
  } else {
    // Anyone outside the community may accept; once accepted, only that tenant may decline (cancel).
    const isInvitee = action === 'Accept' || (row.invited_tenant_id ? row.invited_tenant_id === tenantId : tenantId !== row.issuing_tenant_id);
    if (!isInvitee) throw forbidden('COMMUNITY_ACCESS_DENIED', `only the invited tenant may ${action.toLowerCase()} this invitation`);
    if (!(await isTenantCommunityAdmin(deps, actor))) {
      throw forbidden('COMMUNITY_ACCESS_DENIED', `${action === 'Accept' ? 'accepting' : 'declining'} an invitation needs the TenantAdministrator or CommunityAdministrator role`);
    }
  }
  if (!allowedFrom[action].includes(state)) throw CommunityErrors.invalidTransition(action, state);

  const issuing = await getTenantOrThrow(deps, row.issuing_tenant_id);
  // Reads through the transaction that lost: on SQLite the database's one connection is held by
  // it, so reading through `db` here would wait for ourselves forever.
  const lost = async (trx: Trx) => {
    const current = await repo.findInvitationById(trx, invitationId);
    if (!current) return CommunityErrors.invitationNotFound(invitationId);
    return CommunityErrors.invalidTransition(action, effectiveState(current, deps.clock.now()));
  };
  const audit = (trx: Trx, now: number, updated: repo.InvitationRow) =>
    recordChange(trx, actor, now, {
      tenantId: row.issuing_tenant_id,
      action: `community.invitation.${action.toLowerCase()}`,
      resourceType: 'CommunityInvitation',
      resourceId: invitationId,
      before: { state },
      after: { state: updated.state, invitedTenantId: updated.invited_tenant_id, expires: new Date(updated.expires_at).toISOString() },
    });

  let updated: repo.InvitationRow;
  switch (action) {
    case 'Accept': {
      const tenant = await getTenantOrThrow(deps, tenantId);
      const email = await principalEmail(db, actor);
      updated = await inTransaction(deps.database, async (trx) => {
        const now = deps.clock.now();
        const won = await repo.transitionInvitation(
          trx,
          invitationId,
          { states: ['InvitationCreated'], notExpiredAt: now },
          {
            state: 'InvitationAccepted',
            invited_tenant_id: tenantId,
            accepted_at: now,
            accepted_user_email: email,
            accepted_tenant_name: tenant.name,
            accepted_by: JSON.stringify(trusteeOf(actor)),
            contact_email: input.contactEmail ?? email,
            updated_at: now,
          },
        );
        if (!won) throw await lost(trx);
        await audit(trx, now, won);
        await queueMail(trx, deps, now, won.inviter_email, COMMUNITY_INVITATION_ACCEPTED, {
          acceptedTenantName: tenant.name,
          acceptedTenantId: tenant.id,
          acceptedBy: email ?? `client ${actor.id}`,
          communityName: community.name,
          invitationId,
          link: consoleLink(deps, `communities/${community.id}/invitations/${invitationId}`),
        });
        return won;
      });
      break;
    }
    case 'Decline': {
      updated = await inTransaction(deps.database, async (trx) => {
        const now = deps.clock.now();
        // Guarded on the state this caller was checked against: a tenant that may decline a
        // pending invitation must not, by racing, decline another tenant's acceptance.
        const guard =
          state === 'InvitationCreated'
            ? { states: ['InvitationCreated'], notExpiredAt: now }
            : { states: ['InvitationAccepted'], invitedTenantId: tenantId };
        const won = await repo.transitionInvitation(trx, invitationId, guard, { state: 'InvitationDeclined', updated_at: now });
        if (!won) throw await lost(trx);
        await audit(trx, now, won);
        return won;
      });
      break;
    }
    case 'Confirm': {
      const joining = row.invited_tenant_id!;
      if (await repo.findCommunityTenant(db, community.id, joining)) throw CommunityErrors.alreadyMember();
      updated = await inTransaction(
        deps.database,
        async (trx) => {
          const now = deps.clock.now();
          const won = await repo.transitionInvitation(trx, invitationId, { states: ['InvitationAccepted'] }, { state: 'InvitationCompleted', updated_at: now });
          if (!won) throw await lost(trx);
          await repo.insertCommunityTenant(trx, {
            community_id: community.id,
            tenant_id: joining,
            is_owner: 0,
            status: 'Active',
            preferred_region_id: null,
            contact_email: won.contact_email,
            community_alias: null,
            access_control: null,
            owner_trustee: won.accepted_by,
            joined_at: now,
            updated_at: now,
          });
          await audit(trx, now, won);
          await recordChange(trx, actor, now, {
            tenantId: joining,
            action: 'community.tenant.join',
            resourceType: 'CommunityTenant',
            resourceId: `${community.id}/${joining}`,
            after: { communityId: community.id, tenantId: joining, status: 'Active', invitationId },
          });
          await queueMail(trx, deps, now, won.contact_email ?? won.accepted_user_email, COMMUNITY_INVITATION_CONFIRMED, {
            tenantName: issuing.name,
            joinedTenantName: won.accepted_tenant_name ?? joining,
            communityName: community.name,
            invitationId,
            link: consoleLink(deps, `communities/${community.id}`),
          });
          return won;
        },
        { community_tenants_pkey: () => CommunityErrors.alreadyMember() },
      );
      break;
    }
    case 'Resend': {
      updated = await inTransaction(deps.database, async (trx) => {
        const now = deps.clock.now();
        const won = await repo.transitionInvitation(
          trx,
          invitationId,
          { states: ['InvitationCreated', 'InvitationExpired'] },
          { state: 'InvitationCreated', issued_at: now, expires_at: now + deps.config.communityInvitationTtlMs, updated_at: now },
        );
        if (!won) throw await lost(trx);
        await audit(trx, now, won);
        await scheduleExpiry(trx, now, won);
        await queueMail(trx, deps, now, won.recipient, COMMUNITY_INVITATION_RESENT, {
          tenantName: issuing.name,
          communityName: community.name,
          invitationId,
          expires: new Date(won.expires_at).toISOString(),
          link: consoleLink(deps, `community-invitations/${invitationId}`),
        });
        return won;
      });
      break;
    }
  }
  deps.wakeWorker();
  return { invitation: toInvitation(updated, community.name, deps.clock.now()), status: action === 'Resend' ? 202 : 200 };
}
