import type { Executor } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { forbidden, unauthenticated } from '../../platform/errors.js';
import { newGuid } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { AccessRights } from '../streams/access.js';
import { sharedStreamCounts, unshareTenant } from '../streams/sharing.service.js';
import { requireCollectionRight } from './collection-acl.service.js';
import { rolesOf, type Role } from '../identity/identity.service.js';
import { RoleScope } from '../identity/roles.js';
import * as repo from './communities.repo.js';
import { CommunityErrors } from './communities.errors.js';
import { CommunityAccessRights as R, type CommunityTenantStatus } from './communities.schemas.js';

/** Built-in role type of every community's member role. */
export const COMMUNITY_MEMBER_ROLE_TYPE_ID = '2dc742ab-39ea-4a1f-9b7e-1f3a7c8d0101';

/** Default community-admin grants (§1.5 convention): owner admins get all but Leave; member admins 1823. */
export const OWNER_ADMIN_RIGHTS = 2045;
export const MEMBER_ADMIN_RIGHTS = 1823;
const OWNER_ONLY_RIGHTS = R.EditCommunityProfile | R.DeleteCommunity | R.ManageTenants;
/** Tenant roles that hold community-admin permissions unless the tenant's ACL says otherwise. */
export const DEFAULT_ADMIN_ROLES = ['TenantAdministrator', 'CommunityAdministrator'] as const;

export interface Paging {
  skip: number;
  count: number;
}

export interface Trustee {
  type: 1 | 2 | 3;
  objectId: string;
  tenantId: string | null;
}

export interface AccessControlEntry {
  trustee: Trustee;
  accessType: 0 | 1;
  accessRights: number;
}

export interface CommunityTenant {
  id: string;
  name: string | null;
  status: CommunityTenantStatus;
  isOwner: boolean;
  userCount: number;
  clientCount: number;
  preferredRegionId: string | null;
  contactEmail: string | null;
  communityAlias: string | null;
}

export interface Community {
  id: string;
  memberRoleId: string;
  name: string;
  displayName: string;
  alias: string | null;
  description: string | null;
  tenants: CommunityTenant[];
  createdAt: number;
  preferredRegionId: string | null;
  roles: Role[];
  /** Streams the caller's tenant shares into the community, and all the caller can read there. */
  streamsContributed: number;
  totalStreamsContributed: number;
}

/** What the caller may do in one community, from its tenant's membership and its roles. */
export interface CommunityAccess {
  community: repo.CommunityRow;
  membership: repo.CommunityTenantRow;
  rights: number;
  isOwnerTenant: boolean;
  roleIds: string[];
}

export function tenantOf(actor: Principal): string {
  if (!actor.tenantId || !actor.id) throw unauthenticated();
  return actor.tenantId;
}

export function trusteeOf(actor: Principal): Trustee {
  return { type: actor.type === 'client' ? 2 : 1, objectId: actor.id ?? '', tenantId: actor.tenantId };
}

/** True when the caller holds a tenant role that may administer communities by default (TA, CA). */
export async function isTenantCommunityAdmin(deps: ServiceDeps, actor: Principal): Promise<boolean> {
  const roles = await rolesOf(deps, actor);
  return roles.some((r) => (DEFAULT_ADMIN_ROLES as readonly string[]).includes(r.name));
}

export function parseAcl(text: string | null): AccessControlEntry[] | null {
  return text === null ? null : (JSON.parse(text) as AccessControlEntry[]);
}

/** The rights a principal holding `roles` has in a community through its tenant's membership. */
export function rightsFor(roles: { id: string; name: string }[], community: repo.CommunityRow, membership: repo.CommunityTenantRow): number {
  let rights = roles.some((r) => r.id === community.member_role_id) ? R.ViewCommunityDetails : 0;
  const acl = parseAcl(membership.access_control);
  if (acl === null) {
    if (roles.some((r) => (DEFAULT_ADMIN_ROLES as readonly string[]).includes(r.name))) {
      rights |= membership.is_owner ? OWNER_ADMIN_RIGHTS : MEMBER_ADMIN_RIGHTS;
    }
  } else {
    const held = (e: AccessControlEntry) => e.trustee.type === 3 && roles.some((r) => r.id === e.trustee.objectId);
    const allowed = acl.filter((e) => e.accessType === 0 && held(e)).reduce((a, e) => a | e.accessRights, 0);
    const denied = acl.filter((e) => e.accessType === 1 && held(e)).reduce((a, e) => a | e.accessRights, 0);
    rights = (rights | allowed) & ~denied;
  }
  // The owner never leaves (rule 6); only the owner edits the profile, deletes, manages tenants (rule 3).
  return membership.is_owner ? rights & ~R.LeaveCommunity : rights & ~OWNER_ONLY_RIGHTS;
}

/** Unknown community → 404; the caller's tenant not in it → 403 (rules 19, 20). */
export async function accessCommunity(deps: ServiceDeps, actor: Principal, communityId: string): Promise<CommunityAccess> {
  const tenantId = tenantOf(actor);
  const db = deps.database.db;
  const community = await repo.findCommunityById(db, communityId);
  if (!community) throw CommunityErrors.communityNotFound(communityId);
  const membership = await repo.findCommunityTenant(db, communityId, tenantId);
  if (!membership) throw CommunityErrors.notAMember();
  const roles = await rolesOf(deps, actor);
  if (actor.type === 'user' && !roles.some((r) => r.id === community.member_role_id) && (await repo.holdsRoleThroughGroup(db, community.member_role_id, actor.id!))) {
    roles.push({ id: community.member_role_id, name: memberRoleName(community.name) });
  }
  return {
    community,
    membership,
    rights: rightsFor(roles, community, membership),
    isOwnerTenant: membership.is_owner === 1,
    roleIds: roles.map((r) => r.id),
  };
}

export function requireRight(access: CommunityAccess, right: number, what: string): void {
  if ((access.rights & right) !== right) {
    throw OWNER_ONLY_RIGHTS & right && !access.isOwnerTenant ? CommunityErrors.ownerOnly(what) : CommunityErrors.notAllowed(what);
  }
}

export const memberRoleName = (communityName: string) => `${communityName} Community Member`;

function toRole(row: repo.CommunityRow, roleRow: { id: string; name: string; description: string }): Role {
  return {
    id: roleRow.id,
    name: roleRow.name,
    description: roleRow.description,
    roleScope: RoleScope.Community,
    tenantId: null,
    communityId: row.id,
    roleTypeId: COMMUNITY_MEMBER_ROLE_TYPE_ID,
  };
}

/** A community as the caller's tenant sees it: its alias as DisplayName, its own alias only. */
export async function toCommunity(db: Executor, row: repo.CommunityRow, callerTenantId: string, resolveCompanyName = true): Promise<Community> {
  const [tenants, counts, roles] = await Promise.all([
    repo.listCommunityTenants(db, row.id),
    repo.countMembersByTenant(db, row.member_role_id),
    repo.listCommunityRoles(db, row.id, 0, 100),
  ]);
  const own = tenants.find((t) => t.tenant_id === callerTenantId);
  const alias = own?.community_alias ?? null;
  const streams = await sharedStreamCounts(db, row.id, tenants.map((t) => ({ id: t.tenant_id, status: t.status })), callerTenantId);
  return {
    id: row.id,
    memberRoleId: row.member_role_id,
    name: row.name,
    displayName: alias ?? row.name,
    alias,
    description: row.description,
    createdAt: row.created_at,
    preferredRegionId: row.preferred_region_id,
    tenants: tenants.map((t) => toCommunityTenant(t, counts, callerTenantId, resolveCompanyName)),
    roles: roles.map((r) => toRole(row, r)),
    streamsContributed: streams.own,
    totalStreamsContributed: streams.total,
  };
}

export function toCommunityTenant(
  t: repo.CommunityTenantView,
  counts: repo.MemberCounts[],
  callerTenantId: string,
  resolveCompanyName = true,
): CommunityTenant {
  const count = counts.find((c) => c.tenant_id === t.tenant_id);
  return {
    id: t.tenant_id,
    name: resolveCompanyName ? t.tenant_name : null,
    status: t.status as CommunityTenantStatus,
    isOwner: t.is_owner === 1,
    userCount: count?.users ?? 0,
    clientCount: count?.clients ?? 0,
    preferredRegionId: t.preferred_region_id,
    contactEmail: t.contact_email,
    // An alias is private to its tenant (rule 12).
    communityAlias: t.tenant_id === callerTenantId ? t.community_alias : null,
  };
}

export async function listCommunities(deps: ServiceDeps, actor: Principal, paging: Paging): Promise<Community[]> {
  const tenantId = tenantOf(actor);
  const rows = await repo.listCommunitiesOfTenant(deps.database.db, tenantId, paging.skip, paging.count);
  return Promise.all(rows.map((row) => toCommunity(deps.database.db, row, tenantId)));
}

/** The ids of the communities a tenant belongs to (its role listing includes their member roles). */
export function listCommunityIdsOfTenant(deps: ServiceDeps, tenantId: string): Promise<string[]> {
  return repo.listCommunityIdsOfTenant(deps.database.db, tenantId);
}

export interface CreateCommunityInput {
  name: string;
  description?: string | null;
  preferredRegionId?: string | null;
  contactEmail?: string | null;
}

async function emailOf(db: Executor, actor: Principal): Promise<string | null> {
  if (actor.type !== 'user' || !actor.id || !actor.tenantId) return null;
  return (await repo.findUserOfTenant(db, actor.tenantId, actor.id))?.email ?? null;
}
export { emailOf as principalEmail };

/**
 * Creates a community owned by the caller's tenant, its `<Name> Community Member` role, and gives
 * the creator that role (the creator is the one admin who is also a member, rule 5).
 */
export async function createCommunity(deps: ServiceDeps, actor: Principal, input: CreateCommunityInput): Promise<Community> {
  const tenantId = tenantOf(actor);
  await requireCollectionRight(deps, actor, AccessRights.Write, 'creating a community');
  const name = input.name.trim();
  const actorEmail = await emailOf(deps.database.db, actor);
  const row = await inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const community: repo.CommunityRow = {
        id: newGuid(now),
        owner_tenant_id: tenantId,
        name,
        name_key: name.toLowerCase(),
        description: input.description ?? null,
        preferred_region_id: input.preferredRegionId ?? null,
        member_role_id: newGuid(now),
        created_at: now,
        updated_at: now,
      };
      await repo.insertCommunity(trx, community);
      await repo.insertRole(trx, {
        id: community.member_role_id,
        tenant_id: tenantId,
        name: memberRoleName(name),
        description: `Members of the community ${name}: read what its tenants share.`,
        role_scope: RoleScope.Community,
        role_type_id: COMMUNITY_MEMBER_ROLE_TYPE_ID,
        community_id: community.id,
        created_at: now,
      });
      await repo.insertCommunityTenant(trx, {
        community_id: community.id,
        tenant_id: tenantId,
        is_owner: 1,
        status: 'Active',
        preferred_region_id: null,
        contact_email: input.contactEmail ?? actorEmail,
        community_alias: null,
        access_control: null,
        owner_trustee: JSON.stringify(trusteeOf(actor)),
        joined_at: now,
        updated_at: now,
      });
      await repo.grantRole(trx, community.member_role_id, actor.id!, tenantId);
      await recordChange(trx, actor, now, {
        tenantId,
        action: 'community.create',
        resourceType: 'Community',
        resourceId: community.id,
        after: { name, description: community.description, preferredRegionId: community.preferred_region_id, memberRoleId: community.member_role_id },
      });
      return community;
    },
    {
      ux_communities_owner_tenant_id_name_key: () => CommunityErrors.nameTaken(name),
      ux_roles_tenant_id_name: () => CommunityErrors.nameTaken(name),
    },
  );
  return toCommunity(deps.database.db, row, tenantId);
}

export async function getCommunity(deps: ServiceDeps, actor: Principal, communityId: string, resolveCompanyName = true): Promise<Community> {
  const access = await accessCommunity(deps, actor, communityId);
  requireRight(access, R.ViewCommunityDetails, 'view this community');
  return toCommunity(deps.database.db, access.community, access.membership.tenant_id, resolveCompanyName);
}

export interface UpdateCommunityInput {
  name?: string | null;
  description?: string | null;
  preferredRegionId?: string | null;
}

/** Owner-only edit of name, description and community region; the member role keeps the name in sync. */
export async function updateCommunity(deps: ServiceDeps, actor: Principal, communityId: string, input: UpdateCommunityInput): Promise<Community> {
  const access = await accessCommunity(deps, actor, communityId);
  requireRight(access, R.EditCommunityProfile, 'edit the community profile');
  const before = access.community;
  const name = input.name?.trim() || before.name;
  const row = await inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const updated = await repo.updateCommunity(trx, communityId, {
        name,
        name_key: name.toLowerCase(),
        description: input.description === undefined ? before.description : input.description,
        preferred_region_id: input.preferredRegionId === undefined ? before.preferred_region_id : input.preferredRegionId,
        updated_at: now,
      });
      if (!updated) throw CommunityErrors.communityNotFound(communityId);
      if (name !== before.name) await repo.renameRole(trx, before.member_role_id, memberRoleName(name));
      await recordChange(trx, actor, now, {
        tenantId: before.owner_tenant_id,
        action: 'community.update',
        resourceType: 'Community',
        resourceId: communityId,
        before: { name: before.name, description: before.description, preferredRegionId: before.preferred_region_id },
        after: { name: updated.name, description: updated.description, preferredRegionId: updated.preferred_region_id },
      });
      return updated;
    },
    {
      ux_communities_owner_tenant_id_name_key: () => CommunityErrors.nameTaken(name),
      ux_roles_tenant_id_name: () => CommunityErrors.nameTaken(name),
    },
  );
  return toCommunity(deps.database.db, row, access.membership.tenant_id);
}

/** Irreversible: every tenant, invitation and member grant of the community goes (rule 8). */
export async function deleteCommunity(deps: ServiceDeps, actor: Principal, communityId: string): Promise<void> {
  const access = await accessCommunity(deps, actor, communityId);
  requireRight(access, R.DeleteCommunity, 'delete the community');
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    // Streams shared into it lose their entries for the member role, which is about to go.
    for (const tenant of await repo.listCommunityTenants(trx, communityId)) {
      await unshareTenant(trx, communityId, access.community.member_role_id, tenant.tenant_id);
    }
    if (!(await repo.deleteCommunity(trx, communityId))) throw CommunityErrors.communityNotFound(communityId);
    await repo.deleteRole(trx, access.community.member_role_id);
    await recordChange(trx, actor, now, {
      tenantId: access.community.owner_tenant_id,
      action: 'community.delete',
      resourceType: 'Community',
      resourceId: communityId,
      before: { name: access.community.name, memberRoleId: access.community.member_role_id },
    });
  });
}

export async function listCommunityRoles(deps: ServiceDeps, actor: Principal, communityId: string, paging: Paging): Promise<Role[]> {
  const access = await accessCommunity(deps, actor, communityId);
  requireRight(access, R.ViewCommunityDetails, 'list the roles of this community');
  const rows = await repo.listCommunityRoles(deps.database.db, communityId, paging.skip, paging.count);
  return rows.map((r) => toRole(access.community, r));
}
