import type { Executor, Trx } from '../../platform/db/index.js';
import type {
  AccessTokensTable,
  ApiKeysTable,
  ClientsTable,
  GroupsTable,
  PoliciesTable,
  RolesTable,
  UsersTable,
} from '../../platform/db/schema.js';

export type UserRow = UsersTable;
export type RoleRow = RolesTable;
export type GroupRow = GroupsTable;
export type ClientRow = ClientsTable;
export type ApiKeyRow = ApiKeysTable;
export type PolicyRow = PoliciesTable;
export type AccessTokenRow = AccessTokensTable;

// Users

export async function insertUser(trx: Trx, row: UserRow): Promise<void> {
  await trx.insertInto('users').values(row).execute();
}

export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUsersByEmail(db: Executor, email: string): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('email', '=', email).execute();
}

export function findUsersOfTenant(db: Executor, tenantId: string, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
}

// Roles

export async function insertRoles(trx: Trx, rows: RoleRow[]): Promise<void> {
  if (rows.length) await trx.insertInto('roles').values(rows).execute();
}

export function findRolesByName(db: Executor, tenantId: string, names: readonly string[]): Promise<RoleRow[]> {
  if (names.length === 0) return Promise.resolve([]);
  return db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId).where('name', 'in', names).execute();
}

export async function assignRoles(trx: Trx, tenantId: string, principalId: string, roleIds: readonly string[]): Promise<void> {
  if (roleIds.length === 0) return;
  await trx
    .insertInto('role_assignments')
    .values(roleIds.map((roleId) => ({ role_id: roleId, principal_id: principalId, tenant_id: tenantId })))
    .onConflict((oc) => oc.columns(['principal_id', 'role_id']).doNothing())
    .execute();
}

/** The roles a user or client holds: its own, and (for a user) those of the groups it is in. */
export function listRolesOfPrincipal(db: Executor, principalId: string): Promise<RoleRow[]> {
  return db
    .selectFrom('roles')
    .selectAll()
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('role_assignments')
        .select('role_id')
        .where((w) =>
          w.or([
            w('principal_id', '=', principalId),
            w('principal_id', 'in', w.selectFrom('group_members').select('group_id').where('user_id', '=', principalId)),
          ]),
        ),
    )
    .orderBy('name')
    .execute();
}

/** The tenant's own roles, plus the member roles of the given communities (those it belongs to). */
export function listRolesOfTenant(db: Executor, tenantId: string, skip: number, count: number, communityIds: readonly string[] = []): Promise<RoleRow[]> {
  return db
    .selectFrom('roles')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('tenant_id', '=', tenantId), eb('community_id', 'is', null)]),
        ...(communityIds.length ? [eb('community_id', 'in', communityIds)] : []),
      ]),
    )
    .orderBy('role_scope')
    .orderBy('name')
    .offset(skip)
    .limit(count)
    .execute();
}

// Groups and policies

export async function insertGroup(trx: Trx, row: GroupRow): Promise<void> {
  await trx.insertInto('groups').values(row).execute();
}

export function findGroupsByName(db: Executor, tenantId: string, names: readonly string[]): Promise<GroupRow[]> {
  if (names.length === 0) return Promise.resolve([]);
  return db.selectFrom('groups').selectAll().where('tenant_id', '=', tenantId).where('name', 'in', names).execute();
}

export async function addGroupMembers(trx: Trx, tenantId: string, groupId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await trx
    .insertInto('group_members')
    .values(userIds.map((userId) => ({ group_id: groupId, user_id: userId, tenant_id: tenantId })))
    .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
    .execute();
}

export async function listGroupNamesOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select('groups.name')
    .where('group_members.user_id', '=', userId)
    .orderBy('groups.name')
    .execute();
  return rows.map((r) => r.name);
}

export async function insertPolicy(trx: Trx, row: PolicyRow): Promise<void> {
  await trx.insertInto('policies').values(row).execute();
}

export function listPoliciesOfTenant(db: Executor, tenantId: string): Promise<PolicyRow[]> {
  return db.selectFrom('policies').selectAll().where('tenant_id', '=', tenantId).execute();
}

// Clients, tokens, API keys

export async function insertClient(trx: Trx, row: ClientRow): Promise<void> {
  await trx.insertInto('clients').values(row).execute();
}

export function findClientById(db: Executor, id: string): Promise<ClientRow | undefined> {
  return db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAccessToken(db: Executor, row: AccessTokenRow): Promise<void> {
  await db.insertInto('access_tokens').values(row).execute();
}

export function findLiveAccessToken(db: Executor, tokenHash: string, now: number): Promise<AccessTokenRow | undefined> {
  return db
    .selectFrom('access_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteExpiredAccessTokens(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('access_tokens').where('expires_at', '<=', now).execute();
}

export async function insertApiKey(trx: Trx, row: ApiKeyRow): Promise<void> {
  await trx.insertInto('api_keys').values(row).execute();
}

export function findApiKey(db: Executor, keyId: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
}
