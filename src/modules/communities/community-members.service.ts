import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import * as repo from './communities.repo.js';
import { CommunityErrors, LOCAL_IDENTITY_PROVIDER_ID } from './communities.errors.js';
import { CommunityAccessRights as R } from './communities.schemas.js';
import { accessCommunity, requireRight, type CommunityAccess, type Paging, type Trustee } from './communities.service.js';

export type MemberKind = 'users' | 'clients';

export interface CommunityUser {
  id: string;
  name: string;
  email: string;
  roleIds: string[];
}

export interface CommunityClient {
  id: string;
  name: string;
  enabled: boolean;
  accessTokenLifetime: number;
  roleIds: string[];
}

async function accessMemberTenant(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string): Promise<CommunityAccess> {
  const access = await accessCommunity(deps, actor, communityId);
  if (tenantId !== access.membership.tenant_id && !(await repo.findCommunityTenant(deps.database.db, communityId, tenantId))) {
    throw CommunityErrors.tenantNotInCommunity(tenantId);
  }
  return access;
}

/** U3/U4/K1/K2: any member of the community may list any member tenant's users and clients. */
export async function listMembers(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  kind: MemberKind,
  paging: Paging,
): Promise<{ total: number; users: CommunityUser[]; clients: CommunityClient[] }> {
  const access = await accessMemberTenant(deps, actor, communityId, tenantId);
  requireRight(access, R.ViewCommunityDetails, `list the community's ${kind}`);
  const db = deps.database.db;
  const roleIds = [access.community.member_role_id];
  const total = await repo.countPrincipalsWithRole(db, access.community.member_role_id, tenantId, kind);
  if (kind === 'users') {
    const rows = await repo.listUsersWithRole(db, access.community.member_role_id, tenantId, paging.skip, paging.count);
    return { total, users: rows.map((u) => ({ id: u.id, name: u.name, email: u.email, roleIds })), clients: [] };
  }
  const rows = await repo.listClientsWithRole(db, access.community.member_role_id, tenantId, paging.skip, paging.count);
  return {
    total,
    users: [],
    clients: rows.map((c) => ({ id: c.id, name: c.name, enabled: c.enabled === 1, accessTokenLifetime: c.access_token_lifetime, roleIds })),
  };
}

/** Only the tenant's own community admins (ManageUsers) add or remove its own principals (rule 4). */
async function accessOwnMembers(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string, what: string) {
  const access = await accessMemberTenant(deps, actor, communityId, tenantId);
  if (tenantId !== access.membership.tenant_id) throw CommunityErrors.ownTenantOnly(what);
  requireRight(access, R.ManageUsers, what);
  return access;
}

/**
 * U1/K3: gives one of the tenant's users or clients the community's roles. The member role must be
 * among them (the only community role there is). `created` tells 201 from 200.
 */
export async function addMember(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  kind: MemberKind,
  principalId: string,
  roleIds: string[],
): Promise<{ created: boolean; user?: CommunityUser; client?: CommunityClient }> {
  const access = await accessOwnMembers(deps, actor, communityId, tenantId, `add ${kind} to the community`);
  const memberRoleId = access.community.member_role_id;
  const unknown = [...new Set(roleIds)].filter((id) => id !== memberRoleId);
  if (unknown.length) throw CommunityErrors.unknownRole(unknown);
  if (!roleIds.includes(memberRoleId)) throw CommunityErrors.memberRoleRequired();
  const db = deps.database.db;
  const user = kind === 'users' ? await repo.findUserOfTenant(db, tenantId, principalId) : undefined;
  const client = kind === 'clients' ? await repo.findClientOfTenant(db, tenantId, principalId) : undefined;
  if (!user && !client) throw kind === 'users' ? CommunityErrors.userNotFound(principalId) : CommunityErrors.clientNotFound(principalId);
  const created = await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const granted = await repo.grantRole(trx, memberRoleId, principalId, tenantId);
    if (granted) {
      await recordChange(trx, actor, now, {
        tenantId,
        action: `community.${kind === 'users' ? 'user' : 'client'}.add`,
        resourceType: kind === 'users' ? 'CommunityUser' : 'CommunityClient',
        resourceId: `${communityId}/${principalId}`,
        after: { communityId, principalId, roleIds: [memberRoleId] },
      });
    }
    return granted;
  });
  return {
    created,
    user: user && { id: user.id, name: user.name, email: user.email, roleIds: [memberRoleId] },
    client: client && {
      id: client.id,
      name: client.name,
      enabled: client.enabled === 1,
      accessTokenLifetime: client.access_token_lifetime,
      roleIds: [memberRoleId],
    },
  };
}

/** U2/K4. The tenant's community owner cannot be removed (rule 6). */
export async function removeMember(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  kind: MemberKind,
  principalId: string,
): Promise<void> {
  const access = await accessOwnMembers(deps, actor, communityId, tenantId, `remove ${kind} from the community`);
  const owner = access.membership.owner_trustee === null ? null : (JSON.parse(access.membership.owner_trustee) as Trustee);
  if (owner?.objectId === principalId) throw CommunityErrors.ownerPrincipalCannotBeRemoved();
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    if (!(await repo.revokeRole(trx, access.community.member_role_id, principalId))) throw CommunityErrors.principalNotInCommunity(principalId);
    await recordChange(trx, actor, now, {
      tenantId,
      action: `community.${kind === 'users' ? 'user' : 'client'}.remove`,
      resourceType: kind === 'users' ? 'CommunityUser' : 'CommunityClient',
      resourceId: `${communityId}/${principalId}`,
      before: { communityId, principalId },
    });
  });
}

// Identity-provider groups and claims (G1–G4, P1–P4). Tenantry has one identity provider, its
// own, whose groups are the tenant's groups; members of a group given the member role are
// implicit community members. It defines no claims, so claim lists are empty.

export interface CommunityGroup {
  id: string;
  name: string;
}

function requireLocalProvider(identityProviderId: string): void {
  if (identityProviderId.toLowerCase() !== LOCAL_IDENTITY_PROVIDER_ID) throw CommunityErrors.identityProviderNotFound(identityProviderId);
}

export async function listGroups(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  identityProviderId: string,
  paging: Paging,
): Promise<{ total: number; groups: CommunityGroup[] }> {
  const access = await accessMemberTenant(deps, actor, communityId, tenantId);
  requireRight(access, R.ViewCommunityDetails, "list the community's groups");
  requireLocalProvider(identityProviderId);
  const db = deps.database.db;
  const roleId = access.community.member_role_id;
  const [total, rows] = await Promise.all([
    repo.countPrincipalsWithRole(db, roleId, tenantId, 'groups'),
    repo.listGroupsWithRole(db, roleId, tenantId, paging.skip, paging.count),
  ]);
  return { total, groups: rows };
}

export async function addGroup(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  identityProviderId: string,
  groupId: string,
): Promise<CommunityGroup> {
  const access = await accessOwnMembers(deps, actor, communityId, tenantId, 'add groups to the community');
  requireLocalProvider(identityProviderId);
  const group = await repo.findGroupOfTenant(deps.database.db, tenantId, groupId);
  if (!group) throw CommunityErrors.groupNotFound(groupId);
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    if (await repo.grantRole(trx, access.community.member_role_id, group.id, tenantId)) {
      await recordChange(trx, actor, now, {
        tenantId,
        action: 'community.group.add',
        resourceType: 'CommunityGroup',
        resourceId: `${communityId}/${group.id}`,
        after: { communityId, groupId: group.id, roleIds: [access.community.member_role_id] },
      });
    }
  });
  return group;
}

export async function removeGroup(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  identityProviderId: string,
  groupId: string,
): Promise<void> {
  const access = await accessOwnMembers(deps, actor, communityId, tenantId, 'remove groups from the community');
  requireLocalProvider(identityProviderId);
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    if (!(await repo.revokeRole(trx, access.community.member_role_id, groupId))) throw CommunityErrors.principalNotInCommunity(groupId);
    await recordChange(trx, actor, now, {
      tenantId,
      action: 'community.group.remove',
      resourceType: 'CommunityGroup',
      resourceId: `${communityId}/${groupId}`,
      before: { communityId, groupId },
    });
  });
}

/** P1/P2: no claims exist, so the list is empty once access is checked. */
export async function listClaims(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string, identityProviderId: string): Promise<[]> {
  const access = await accessMemberTenant(deps, actor, communityId, tenantId);
  requireRight(access, R.ViewCommunityDetails, "list the community's claims");
  requireLocalProvider(identityProviderId);
  return [];
}

/** P3/P4: every claim id is unknown (after the access checks every other route makes). */
export async function changeClaim(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  identityProviderId: string,
  claimId: string,
): Promise<never> {
  await accessOwnMembers(deps, actor, communityId, tenantId, 'manage claims of the community');
  requireLocalProvider(identityProviderId);
  throw CommunityErrors.claimNotFound(claimId);
}
