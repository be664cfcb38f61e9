import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { Executor, Trx } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newGuid, newOcid } from '../../platform/ids.js';
import { BoundedCache } from '../../platform/bounded-cache.js';
import type { Principal } from '../../platform/principal.js';
import { hashSecret, newSecret, secretsEqual } from '../../platform/secrets.js';
import { recordChange } from '../audit/audit.service.js';
import { getTenantOrThrow } from '../tenants/tenants.service.js';
import * as repo from './identity.repo.js';
import { hashPassword } from './passwords.js';
import { isAllowed, parseStatement, type AccessRequest } from './policies.js';
import { ADMINISTRATORS_GROUP, BUILT_IN_ROLES, RoleScope, type BuiltInRoleName } from './roles.js';

export interface RoleRef {
  id: string;
  name: string;
}

export interface User {
  id: string;
  ocid: string;
  tenantId: string;
  email: string;
  name: string;
  roles: RoleRef[];
  groups: string[];
}

export interface Role {
  id: string;
  name: string;
  description: string;
  roleScope: number;
  tenantId: string | null;
  communityId: string | null;
  roleTypeId: string | null;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Creates the built-in roles, the Administrators group and the admin user of a new tenant. */
export async function provisionTenantIdentity(
  trx: Trx,
  now: number,
  actor: Principal,
  input: { tenantId: string; realm: string; adminEmail: string; adminName: string; passwordHash: string | null },
): Promise<{ id: string; ocid: string; email: string }> {
  const roles = BUILT_IN_ROLES.map((r) => ({
    id: newGuid(now),
    tenant_id: input.tenantId,
    name: r.name,
    description: r.description,
    role_scope: RoleScope.Tenant,
    role_type_id: r.roleTypeId,
    community_id: null,
    created_at: now,
  }));
  await repo.insertRoles(trx, roles);
  const admin = {
    id: newGuid(now),
    ocid: newOcid('user', input.realm),
    tenant_id: input.tenantId,
    email: normalizeEmail(input.adminEmail),
    name: input.adminName,
    password_hash: input.passwordHash,
    created_at: now,
  };
  await repo.insertUser(trx, admin);
  await repo.assignRoles(trx, input.tenantId, admin.id, [roles.find((r) => r.name === 'TenantAdministrator')!.id]);
  const group = { id: newOcid('group', input.realm), tenant_id: input.tenantId, name: ADMINISTRATORS_GROUP, created_at: now };
  await repo.insertGroup(trx, group);
  await repo.addGroupMembers(trx, input.tenantId, group.id, [admin.id]);
  await recordChange(trx, actor, now, {
    tenantId: input.tenantId,
    action: 'user.create',
    resourceType: 'User',
    resourceId: admin.id,
    after: { id: admin.id, ocid: admin.ocid, email: admin.email, roles: ['TenantAdministrator'], groups: [ADMINISTRATORS_GROUP] },
  });
  return { id: admin.id, ocid: admin.ocid, email: admin.email };
}

async function rolesByName(db: Executor, tenantId: string, names: readonly string[]): Promise<repo.RoleRow[]> {
  const unique = [...new Set(names)];
  const rows = await repo.findRolesByName(db, tenantId, unique);
  const missing = unique.filter((n) => !rows.some((r) => r.name === n));
  if (missing.length) throw invalid('UNKNOWN_ROLE', `unknown role ${missing.join(', ')}`);
  return rows;
}

/** Finds the named groups of a tenant, creating the ones that do not exist yet. */
async function ensureGroups(trx: Trx, now: number, actor: Principal, tenantId: string, realm: string, names: readonly string[]) {
  const unique = [...new Set(names)];
  const existing = await repo.findGroupsByName(trx, tenantId, unique);
  for (const name of unique.filter((n) => !existing.some((g) => g.name === n))) {
    const group = { id: newOcid('group', realm), tenant_id: tenantId, name, created_at: now };
    await repo.insertGroup(trx, group);
    await recordChange(trx, actor, now, { tenantId, action: 'group.create', resourceType: 'Group', resourceId: group.id, after: { name } });
    existing.push(group);
  }
  return existing;
}

export async function createUser(
  deps: ServiceDeps,
  actor: Principal,
  tenantId: string,
  input: { email: string; name?: string; password?: string; roles?: BuiltInRoleName[]; groups?: string[] },
): Promise<User> {
  const tenant = await getTenantOrThrow(deps, tenantId);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const email = normalizeEmail(input.email);
  return inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const roles = await rolesByName(trx, tenantId, input.roles ?? ['TenantMember']);
      const row = {
        id: newGuid(now),
        ocid: newOcid('user', tenant.realm),
        tenant_id: tenantId,
        email,
        name: input.name ?? email,
        password_hash: passwordHash,
        created_at: now,
      };
      await repo.insertUser(trx, row);
      await repo.assignRoles(trx, tenantId, row.id, roles.map((r) => r.id));
      const groups = await ensureGroups(trx, now, actor, tenantId, tenant.realm, input.groups ?? []);
      for (const group of groups) await repo.addGroupMembers(trx, tenantId, group.id, [row.id]);
      const user: User = {
        id: row.id,
        ocid: row.ocid,
        tenantId,
        email,
        name: row.name,
        roles: roles.map((r) => ({ id: r.id, name: r.name })),
        groups: groups.map((g) => g.name).sort(),
      };
      await recordChange(trx, actor, now, { tenantId, action: 'user.create', resourceType: 'User', resourceId: row.id, after: user });
      return user;
    },
    { ux_users_tenant_id_email: () => conflict('USER_EXISTS', `a user with email ${email} already exists in this tenant`) },
  );
}

export async function getUserOrThrow(deps: ServiceDeps, userId: string): Promise<repo.UserRow> {
  const user = await repo.findUserById(deps.database.db, userId);
  if (!user) throw notFound('USER_NOT_FOUND', `no user with id ${userId}`);
  return user;
}

/** Issues a bearer token acting as the user. Only its hash is stored. */
export async function issueUserToken(
  deps: ServiceDeps,
  actor: Principal,
  userId: string,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: string }> {
  const user = await getUserOrThrow(deps, userId);
  const token = newSecret();
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const expiresAt = now + ttlSeconds * 1000;
    await repo.insertAccessToken(trx, {
      token_hash: hashSecret(token),
      tenant_id: user.tenant_id,
      user_id: user.id,
      client_id: null,
      expires_at: expiresAt,
      created_at: now,
    });
    await recordChange(trx, actor, now, {
      tenantId: user.tenant_id,
      action: 'token.issue',
      resourceType: 'AccessToken',
      resourceId: user.id,
      after: { userId: user.id, expiresAt: new Date(expiresAt).toISOString() },
    });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  });
}

/** The OCI fingerprint: colon-separated lower-case hex MD5 of the DER SubjectPublicKeyInfo. */
export function fingerprintOf(publicKeyPem: string): string {
  let key;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    throw invalid('INVALID_PUBLIC_KEY', 'publicKey is not a PEM-encoded public key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw invalid('INVALID_PUBLIC_KEY', 'publicKey must be an RSA key (OCI signs with rsa-sha256)');
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
}

export async function registerApiKey(
  deps: ServiceDeps,
  actor: Principal,
  userId: string,
  publicKeyPem: string,
): Promise<{ fingerprint: string; keyId: string }> {
  const fingerprint = fingerprintOf(publicKeyPem);
  const user = await getUserOrThrow(deps, userId);
  const tenant = await getTenantOrThrow(deps, user.tenant_id);
  const keyId = `${tenant.ocid}/${user.ocid}/${fingerprint}`;
  return inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      await repo.insertApiKey(trx, { key_id: keyId, tenant_id: tenant.id, user_id: user.id, fingerprint, public_key: publicKeyPem, created_at: now });
      await recordChange(trx, actor, now, { tenantId: tenant.id, action: 'apikey.create', resourceType: 'ApiKey', resourceId: keyId, after: { userId, fingerprint } });
      return { fingerprint, keyId };
    },
    { api_keys_pkey: () => conflict('API_KEY_EXISTS', 'this public key is already registered for this user') },
  );
}

export async function createClient(
  deps: ServiceDeps,
  actor: Principal,
  tenantId: string,
  input: { name: string; roles: BuiltInRoleName[] },
): Promise<{ clientId: string; clientSecret: string }> {
  await getTenantOrThrow(deps, tenantId);
  const secret = newSecret();
  return inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const roles = await rolesByName(trx, tenantId, input.roles);
    const id = newGuid(now);
    await repo.insertClient(trx, {
      id,
      tenant_id: tenantId,
      name: input.name,
      secret_hash: hashSecret(secret),
      enabled: 1,
      access_token_lifetime: 3600,
      created_at: now,
    });
    await repo.assignRoles(trx, tenantId, id, roles.map((r) => r.id));
    await recordChange(trx, actor, now, {
      tenantId,
      action: 'client.create',
      resourceType: 'ClientCredentialClient',
      resourceId: id,
      after: { id, name: input.name, roles: roles.map((r) => r.name) },
    });
    return { clientId: id, clientSecret: secret };
  });
}

export async function createGroup(
  deps: ServiceDeps,
  actor: Principal,
  tenantId: string,
  input: { name: string; members: string[] },
): Promise<{ id: string; name: string; members: string[] }> {
  const tenant = await getTenantOrThrow(deps, tenantId);
  const members = [...new Set(input.members)];
  return inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const users = await repo.findUsersOfTenant(trx, tenantId, members);
      const strangers = members.filter((id) => !users.some((u) => u.id === id));
      if (strangers.length) throw invalid('UNKNOWN_MEMBER', `no user ${strangers.join(', ')} in this tenant`);
      const group = { id: newOcid('group', tenant.realm), tenant_id: tenantId, name: input.name, created_at: now };
      await repo.insertGroup(trx, group);
      await repo.addGroupMembers(trx, tenantId, group.id, members);
      const result = { id: group.id, name: group.name, members };
      await recordChange(trx, actor, now, { tenantId, action: 'group.create', resourceType: 'Group', resourceId: group.id, after: result });
      return result;
    },
    { ux_groups_tenant_id_name: () => conflict('GROUP_EXISTS', `a group named ${input.name} already exists in this tenant`) },
  );
}

export async function createPolicy(
  deps: ServiceDeps,
  actor: Principal,
  tenantId: string,
  input: { name: string; statements: string[] },
): Promise<{ id: string; name: string; statements: string[] }> {
  const tenant = await getTenantOrThrow(deps, tenantId);
  input.statements.forEach(parseStatement);
  return inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const policy = { id: newOcid('policy', tenant.realm), name: input.name, statements: input.statements };
      await repo.insertPolicy(trx, { ...policy, tenant_id: tenantId, statements: JSON.stringify(policy.statements), created_at: now });
      await recordChange(trx, actor, now, { tenantId, action: 'policy.create', resourceType: 'Policy', resourceId: policy.id, after: policy });
      return policy;
    },
    { ux_policies_tenant_id_name: () => conflict('POLICY_EXISTS', `a policy named ${input.name} already exists in this tenant`) },
  );
}

/** OAuth2 client-credentials grant. Failures are AppErrors with code invalid_client. */
export async function issueClientToken(
  deps: ServiceDeps,
  clientId: string,
  clientSecret: string,
): Promise<{ accessToken: string; expiresIn: number }> {
  const client = await repo.findClientById(deps.database.db, clientId);
  const secretOk = secretsEqual(hashSecret(clientSecret), client?.secret_hash ?? hashSecret(''));
  if (!client || !secretOk || !client.enabled) {
    throw new AppError('unauthenticated', 'invalid_client', 'Client authentication failed.');
  }
  const token = newSecret();
  const now = deps.clock.now();
  await repo.insertAccessToken(deps.database.db, {
    token_hash: hashSecret(token),
    tenant_id: client.tenant_id,
    user_id: null,
    client_id: client.id,
    expires_at: now + client.access_token_lifetime * 1000,
    created_at: now,
  });
  return { accessToken: token, expiresIn: client.access_token_lifetime };
}

/**
 * Tokens and API keys are never changed once issued (they only expire; nothing deletes users,
 * clients or keys), so what they resolve to is cached per store: one query less per request, and
 * a public key parsed once rather than per signature. A revocation feature must evict here.
 */
const tokenCache = new WeakMap<object, BoundedCache<string, { principal: Principal; expiresAt: number }>>();
const apiKeyCache = new WeakMap<object, BoundedCache<string, { publicKey: KeyObject; principal: Principal }>>();
const AUTH_CACHE_SIZE = 10_000;

function cacheOf<V>(caches: WeakMap<object, BoundedCache<string, V>>, deps: ServiceDeps): BoundedCache<string, V> {
  let cache = caches.get(deps.database);
  if (!cache) caches.set(deps.database, (cache = new BoundedCache(AUTH_CACHE_SIZE)));
  return cache;
}

/** The principal a bearer token acts as, or null when it is unknown or expired. */
export async function authenticateBearer(deps: ServiceDeps, token: string): Promise<Principal | null> {
  const hash = hashSecret(token);
  const now = deps.clock.now();
  const cache = cacheOf(tokenCache, deps);
  const cached = cache.get(hash);
  if (cached) return cached.expiresAt > now ? cached.principal : null;
  const row = await repo.findLiveAccessToken(deps.database.db, hash, now);
  if (!row) return null;
  const principal: Principal = row.user_id
    ? { type: 'user', id: row.user_id, tenantId: row.tenant_id }
    : { type: 'client', id: row.client_id, tenantId: row.tenant_id };
  cache.set(hash, { principal, expiresAt: row.expires_at });
  return principal;
}

/** The registered key for an OCI keyId, with the principal it signs for. */
export async function findApiKey(deps: ServiceDeps, keyId: string): Promise<{ publicKey: KeyObject; principal: Principal } | null> {
  const cache = cacheOf(apiKeyCache, deps);
  const cached = cache.get(keyId);
  if (cached) return cached;
  const row = await repo.findApiKey(deps.database.db, keyId);
  if (!row) return null;
  const key = { publicKey: createPublicKey(row.public_key), principal: { type: 'user', id: row.user_id, tenantId: row.tenant_id } as Principal };
  cache.set(keyId, key);
  return key;
}

export async function rolesOf(deps: ServiceDeps, principal: Principal): Promise<RoleRef[]> {
  if (!principal.id) return [];
  const rows = await repo.listRolesOfPrincipal(deps.database.db, principal.id);
  return rows.map((r) => ({ id: r.id, name: r.name }));
}

/**
 * OCI-style authorization: members of Administrators may do everything in their tenancy; anyone
 * else needs a policy statement of their tenant. Policies are read per request, so a new policy
 * takes effect for the next request.
 */
export async function authorize(deps: ServiceDeps, principal: Principal, request: AccessRequest): Promise<void> {
  if (principal.type === 'operator' || principal.type === 'system') return;
  if (principal.type === 'user' && principal.id && principal.tenantId) {
    const groups = await repo.listGroupNamesOfUser(deps.database.db, principal.id);
    if (groups.includes(ADMINISTRATORS_GROUP)) return;
    const policies = await repo.listPoliciesOfTenant(deps.database.db, principal.tenantId);
    const statements = policies.flatMap((p) => (JSON.parse(p.statements) as string[]).map(parseStatement));
    if (isAllowed(statements, groups, request)) return;
  }
  throw forbidden('NOT_AUTHORIZED', `not authorized to ${request.verb} ${request.resourceType} in this tenancy`);
}

/** `communityIds`: the communities the tenant belongs to, whose member roles it lists too. */
export async function listTenantRoles(
  deps: ServiceDeps,
  principal: Principal,
  tenantId: string,
  skip: number,
  count: number,
  communityIds: readonly string[] = [],
): Promise<Role[]> {
  if (principal.tenantId !== tenantId) throw forbidden('FORBIDDEN', 'you may list the roles of your own tenant only');
  const rows = await repo.listRolesOfTenant(deps.database.db, tenantId, skip, count, communityIds);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    roleScope: r.role_scope,
    tenantId: r.community_id ? null : r.tenant_id,
    communityId: r.community_id,
    roleTypeId: r.role_type_id,
  }));
}

/** The tenant's own roles (not the community roles it holds), for default ACLs and grants. */
export async function tenantRoles(deps: ServiceDeps, tenantId: string): Promise<RoleRef[]> {
  const rows = await repo.listRolesOfTenant(deps.database.db, tenantId, 0, 1000);
  return rows.filter((r) => r.community_id === null).map((r) => ({ id: r.id, name: r.name }));
}

/** Expired bearer tokens are useless; housekeeping forgets them. */
export async function forgetExpiredTokens(deps: ServiceDeps): Promise<void> {
  await repo.deleteExpiredAccessTokens(deps.database.db, deps.clock.now());
}
