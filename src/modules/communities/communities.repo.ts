import type { Executor, Trx } from '../../platform/db/index.js';
import type { CommunitiesTable, CommunityInvitationsTable, CommunityTenantsTable, RolesTable } from '../../platform/db/schema.js';
import type { PageStart } from '../../platform/paging.js';

export type CommunityRow = CommunitiesTable;
export type CommunityTenantRow = CommunityTenantsTable;
export type InvitationRow = CommunityInvitationsTable;
export type CommunityTenantView = CommunityTenantRow & { tenant_name: string };

// The community member role is a row of identity's `roles` table (RoleScope Community) and its
// grants are `role_assignments`: they live and die with the community, so their SQL is here.

// Communities

export async function insertCommunity(trx: Trx, row: CommunityRow): Promise<void> {
  await trx.insertInto('communities').values(row).execute();
}

export function findCommunityById(db: Executor, id: string): Promise<CommunityRow | undefined> {
  return db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCommunitiesOfTenant(db: Executor, tenantId: string, skip: number, count: number): Promise<CommunityRow[]> {
  return db
    .selectFrom('communities')
    .innerJoin('community_tenants', 'community_tenants.community_id', 'communities.id')
    .selectAll('communities')
    .where('community_tenants.tenant_id', '=', tenantId)
    .orderBy('communities.created_at')
    .orderBy('communities.id')
    .offset(skip)
    .limit(count)
    .execute();
}

export async function listCommunityIdsOfTenant(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db.selectFrom('community_tenants').select('community_id').where('tenant_id', '=', tenantId).execute();
  return rows.map((r) => r.community_id);
}

export function updateCommunity(
  trx: Trx,
  id: string,
  patch: Partial<Pick<CommunityRow, 'name' | 'name_key' | 'description' | 'preferred_region_id' | 'updated_at'>>,
): Promise<CommunityRow | undefined> {
  return trx.updateTable('communities').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Deletes the community; its tenants and invitations go with it (foreign keys cascade). */
export async function deleteCommunity(trx: Trx, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('communities').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

// Member role and its grants

export async function insertRole(trx: Trx, row: RolesTable): Promise<void> {
  await trx.insertInto('roles').values(row).execute();
}

export function findRolesByIds(db: Executor, ids: readonly string[]): Promise<RolesTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('roles').selectAll().where('id', 'in', ids).execute();
}

export function findTenantRolesByName(db: Executor, tenantId: string, names: readonly string[]): Promise<RolesTable[]> {
  return db
    .selectFrom('roles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('community_id', 'is', null)
    .where('name', 'in', names)
    .execute();
}

export function findTenantRolesByIds(db: Executor, tenantId: string, ids: readonly string[]): Promise<RolesTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('roles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('community_id', 'is', null)
    .where('id', 'in', ids)
    .execute();
}

export function listCommunityRoles(db: Executor, communityId: string, skip: number, count: number): Promise<RolesTable[]> {
  return db.selectFrom('roles').selectAll().where('community_id', '=', communityId).orderBy('name').offset(skip).limit(count).execute();
}

export async function renameRole(trx: Trx, roleId: string, name: string): Promise<void> {
  await trx.updateTable('roles').set({ name }).where('id', '=', roleId).execute();
}

export async function deleteRole(trx: Trx, roleId: string): Promise<void> {
  await trx.deleteFrom('roles').where('id', '=', roleId).execute();
}

export async function grantRole(trx: Trx, roleId: string, principalId: string, tenantId: string): Promise<boolean> {
  const result = await trx
    .insertInto('role_assignments')
    .values({ role_id: roleId, principal_id: principalId, tenant_id: tenantId })
    .onConflict((oc) => oc.columns(['principal_id', 'role_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function revokeRole(trx: Trx, roleId: string, principalId: string): Promise<boolean> {
  const result = await trx.deleteFrom('role_assignments').where('role_id', '=', roleId).where('principal_id', '=', principalId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Removes a tenant's users and clients from the community (rule 7: removal deletes its grants). */
export async function revokeRoleInTenant(trx: Trx, roleId: string, tenantId: string): Promise<void> {
  await trx.deleteFrom('role_assignments').where('role_id', '=', roleId).where('tenant_id', '=', tenantId).execute();
}

export async function holdsRole(db: Executor, roleId: string, principalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_assignments')
    .select('role_id')
    .where('role_id', '=', roleId)
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  return row !== undefined;
}

/** True when one of the user's groups holds the role (group members are implicit community members). */
export async function holdsRoleThroughGroup(db: Executor, roleId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('group_members')
    .innerJoin('role_assignments', 'role_assignments.principal_id', 'group_members.group_id')
    .select('role_assignments.role_id')
    .where('group_members.user_id', '=', userId)
    .where('role_assignments.role_id', '=', roleId)
    .executeTakeFirst();
  return row !== undefined;
}

export function findGroupOfTenant(db: Executor, tenantId: string, groupId: string) {
  return db.selectFrom('groups').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', '=', groupId).executeTakeFirst();
}

export function listGroupsWithRole(db: Executor, roleId: string, tenantId: string, skip: number, count: number) {
  return db
    .selectFrom('role_assignments')
    .innerJoin('groups', 'groups.id', 'role_assignments.principal_id')
    .select(['groups.id', 'groups.name'])
    .where('role_assignments.role_id', '=', roleId)
    .where('role_assignments.tenant_id', '=', tenantId)
    .orderBy('groups.name')
    .offset(skip)
    .limit(count)
    .execute();
}

export interface MemberCounts {
  tenant_id: string;
  users: number;
  clients: number;
}

export async function countMembersByTenant(db: Executor, roleId: string): Promise<MemberCounts[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .leftJoin('users', 'users.id', 'role_assignments.principal_id')
    .leftJoin('clients', 'clients.id', 'role_assignments.principal_id')
    .select((eb) => [
      'role_assignments.tenant_id',
      eb.fn.count<number | string>('users.id').as('users'),
      eb.fn.count<number | string>('clients.id').as('clients'),
    ])
    .where('role_assignments.role_id', '=', roleId)
    .groupBy('role_assignments.tenant_id')
    .execute();
  return rows.map((r) => ({ tenant_id: r.tenant_id, users: Number(r.users), clients: Number(r.clients) }));
}

export function findUserOfTenant(db: Executor, tenantId: string, userId: string) {
  return db.selectFrom('users').select(['id', 'email', 'name']).where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
}

export function findClientOfTenant(db: Executor, tenantId: string, clientId: string) {
  return db
    .selectFrom('clients')
    .select(['id', 'name', 'enabled', 'access_token_lifetime'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', clientId)
    .executeTakeFirst();
}

export function listUsersWithRole(db: Executor, roleId: string, tenantId: string, skip: number, count: number) {
  return db
    .selectFrom('role_assignments')
    .innerJoin('users', 'users.id', 'role_assignments.principal_id')
    .select(['users.id', 'users.email', 'users.name'])
    .where('role_assignments.role_id', '=', roleId)
    .where('role_assignments.tenant_id', '=', tenantId)
    .orderBy('users.email')
    .offset(skip)
    .limit(count)
    .execute();
}

export function listClientsWithRole(db: Executor, roleId: string, tenantId: string, skip: number, count: number) {
  return db
    .selectFrom('role_assignments')
    .innerJoin('clients', 'clients.id', 'role_assignments.principal_id')
    .select(['clients.id', 'clients.name', 'clients.enabled', 'clients.access_token_lifetime'])
    .where('role_assignments.role_id', '=', roleId)
    .where('role_assignments.tenant_id', '=', tenantId)
    .orderBy('clients.name')
    .orderBy('clients.id')
    .offset(skip)
    .limit(count)
    .execute();
}

export async function countPrincipalsWithRole(db: Executor, roleId: string, tenantId: string, kind: 'users' | 'clients' | 'groups'): Promise<number> {
  const base = db
    .selectFrom('role_assignments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('role_assignments.role_id', '=', roleId)
    .where('role_assignments.tenant_id', '=', tenantId);
  const query =
    kind === 'users'
      ? base.where((eb) => eb.exists(eb.selectFrom('users').select('users.id').whereRef('users.id', '=', 'role_assignments.principal_id')))
      : kind === 'clients'
        ? base.where((eb) => eb.exists(eb.selectFrom('clients').select('clients.id').whereRef('clients.id', '=', 'role_assignments.principal_id')))
        : base.where((eb) => eb.exists(eb.selectFrom('groups').select('groups.id').whereRef('groups.id', '=', 'role_assignments.principal_id')));
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

// Community tenants

export async function insertCommunityTenant(trx: Trx, row: CommunityTenantRow): Promise<void> {
  await trx.insertInto('community_tenants').values(row).execute();
}

export function findCommunityTenant(db: Executor, communityId: string, tenantId: string): Promise<CommunityTenantRow | undefined> {
  return db
    .selectFrom('community_tenants')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export function listCommunityTenants(db: Executor, communityId: string): Promise<CommunityTenantView[]> {
  return db
    .selectFrom('community_tenants')
    .innerJoin('tenants', 'tenants.id', 'community_tenants.tenant_id')
    .selectAll('community_tenants')
    .select('tenants.name as tenant_name')
    .where('community_tenants.community_id', '=', communityId)
    .orderBy('community_tenants.joined_at')
    .orderBy('community_tenants.tenant_id')
    .execute();
}

export function updateCommunityTenant(
  trx: Trx,
  communityId: string,
  tenantId: string,
  patch: Partial<Omit<CommunityTenantRow, 'community_id' | 'tenant_id' | 'is_owner' | 'joined_at'>>,
): Promise<CommunityTenantRow | undefined> {
  return trx
    .updateTable('community_tenants')
    .set(patch)
    .where('community_id', '=', communityId)
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirst();
}

/** Removes a non-owner tenant; the owner row is never deleted here (rule 6). */
export async function deleteMemberTenant(trx: Trx, communityId: string, tenantId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('community_tenants')
    .where('community_id', '=', communityId)
    .where('tenant_id', '=', tenantId)
    .where('is_owner', '=', 0)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

// Invitations

export async function insertInvitation(trx: Trx, row: InvitationRow): Promise<void> {
  await trx.insertInto('community_invitations').values(row).execute();
}

export function findInvitationById(db: Executor, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('community_invitations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Oldest first; `start` is an offset or (keyset) the created_at and id of the row to start after. */
export function listInvitationsOfCommunity(
  db: Executor,
  communityId: string,
  issuingTenantId: string,
  start: PageStart,
  count: number,
): Promise<InvitationRow[]> {
  const after = 'after' in start ? start.after : undefined;
  return db
    .selectFrom('community_invitations')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('issuing_tenant_id', '=', issuingTenantId)
    .where('deleted_at', 'is', null)
    .$if(after !== undefined, (qb) => qb.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after!.key as number, after!.id))))
    .orderBy('created_at')
    .orderBy('id')
    .offset('offset' in start ? start.offset : 0)
    .limit(count)
    .execute();
}

export function listAcceptedInvitationsOfTenant(db: Executor, tenantId: string, skip: number, count: number): Promise<InvitationRow[]> {
  return db
    .selectFrom('community_invitations')
    .selectAll()
    .where('invited_tenant_id', '=', tenantId)
    .where('state', '=', 'InvitationAccepted')
    .where('deleted_at', 'is', null)
    .orderBy('accepted_at')
    .orderBy('id')
    .offset(skip)
    .limit(count)
    .execute();
}

/**
 * The one way an invitation changes state: a compare-and-set on its stored state (and, for states
 * that expire, on its expiry). Zero rows means another request won or the invitation expired.
 */
export function transitionInvitation(
  trx: Trx,
  id: string,
  guard: { states: readonly string[]; notExpiredAt?: number; expiredAt?: number; invitedTenantId?: string },
  changes: Partial<Omit<InvitationRow, 'id' | 'community_id' | 'issuing_tenant_id' | 'created_at'>>,
): Promise<InvitationRow | undefined> {
  let query = trx
    .updateTable('community_invitations')
    .set(changes)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('state', 'in', guard.states);
  if (guard.notExpiredAt !== undefined) query = query.where('expires_at', '>', guard.notExpiredAt);
  if (guard.expiredAt !== undefined) query = query.where('expires_at', '<=', guard.expiredAt);
  if (guard.invitedTenantId !== undefined) query = query.where('invited_tenant_id', '=', guard.invitedTenantId);
  return query.returningAll().executeTakeFirst();
}

export async function softDeleteInvitation(trx: Trx, id: string, now: number): Promise<boolean> {
  const result = await trx
    .updateTable('community_invitations')
    .set({ deleted_at: now, updated_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
