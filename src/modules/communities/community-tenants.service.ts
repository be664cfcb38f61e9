import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { unshareTenant } from '../streams/sharing.service.js';
import * as repo from './communities.repo.js';
import { CommunityErrors } from './communities.errors.js';
import { CommunityAccessRights as R, TENANT_STATUSES, type CommunityTenantStatus } from './communities.schemas.js';
import {
  accessCommunity,
  DEFAULT_ADMIN_ROLES,
  MEMBER_ADMIN_RIGHTS,
  OWNER_ADMIN_RIGHTS,
  parseAcl,
  requireRight,
  toCommunityTenant,
  type AccessControlEntry,
  type CommunityAccess,
  type CommunityTenant,
  type Trustee,
} from './communities.service.js';

/** The community and the target tenant's membership; the target must be in the community (404). */
async function accessTenant(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string) {
  const access = await accessCommunity(deps, actor, communityId);
  const target = tenantId === access.membership.tenant_id ? access.membership : await repo.findCommunityTenant(deps.database.db, communityId, tenantId);
  if (!target) throw CommunityErrors.tenantNotInCommunity(tenantId);
  return { access, target };
}

function requireOwnTenant(access: CommunityAccess, tenantId: string, what: string): void {
  if (access.membership.tenant_id !== tenantId) throw CommunityErrors.ownTenantOnly(what);
}

async function viewOf(deps: ServiceDeps, communityId: string, tenantId: string, callerTenantId: string): Promise<CommunityTenant> {
  const db = deps.database.db;
  const community = await repo.findCommunityById(db, communityId);
  const [tenants, counts] = await Promise.all([repo.listCommunityTenants(db, communityId), repo.countMembersByTenant(db, community!.member_role_id)]);
  return toCommunityTenant(tenants.find((t) => t.tenant_id === tenantId)!, counts, callerTenantId);
}

export interface UpdateCommunityTenantInput {
  status?: unknown;
  preferredRegionId?: string | null;
  contactEmail?: string | null;
  communityAlias?: string | null;
}

const FIELDS = [
  { key: 'status', column: 'status', right: R.PauseData, what: 'pause or resume sharing' },
  { key: 'preferredRegionId', column: 'preferred_region_id', right: R.UpdateRegion, what: 'change the preferred region' },
  { key: 'contactEmail', column: 'contact_email', right: R.UpdateContactEmail, what: 'change the contact email' },
  { key: 'communityAlias', column: 'community_alias', right: R.EditCommunityAlias, what: 'change the community alias' },
] as const;

function parseStatus(value: unknown): CommunityTenantStatus {
  const found = typeof value === 'string' ? TENANT_STATUSES.find((s) => s.toLowerCase() === value.trim().toLowerCase()) : undefined;
  if (!found) throw CommunityErrors.invalidStatus(value);
  return found;
}

/**
 * T1/T2: a tenant edits its own membership. `put` leaves absent and null fields unchanged (clients
 * send whole DTOs with nulls); `patch` is RFC 7396, where null clears a field. Null on the
 * tenant's Status is refused: a member is always Active or Paused. Returns null for a no-op (204).
 */
export async function updateCommunityTenant(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  input: UpdateCommunityTenantInput,
  mode: 'put' | 'patch',
): Promise<CommunityTenant | null> {
  const { access, target } = await accessTenant(deps, actor, communityId, tenantId);
  requireOwnTenant(access, tenantId, 'change community membership settings');
  const changes: Partial<repo.CommunityTenantRow> = {};
  for (const field of FIELDS) {
    const given = input[field.key];
    if (given === undefined || (given === null && mode === 'put')) continue;
    const value = field.key === 'status' ? parseStatus(given) : (given as string | null) === '' ? null : (given as string | null);
    if (value === target[field.column]) continue;
    requireRight(access, field.right, field.what);
    (changes as Record<string, unknown>)[field.column] = value;
  }
  if (Object.keys(changes).length === 0) return null;
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    const updated = await repo.updateCommunityTenant(trx, communityId, tenantId, { ...changes, updated_at: now });
    if (!updated) throw CommunityErrors.tenantNotInCommunity(tenantId);
    await recordChange(trx, actor, now, {
      tenantId,
      action: 'community.tenant.update',
      resourceType: 'CommunityTenant',
      resourceId: `${communityId}/${tenantId}`,
      before: Object.fromEntries(Object.keys(changes).map((k) => [k, target[k as keyof repo.CommunityTenantRow]])),
      after: changes,
    });
  });
  return viewOf(deps, communityId, tenantId, access.membership.tenant_id);
}

/**
 * T3: the owner removes another tenant, or a tenant leaves. The owner can do neither to itself
 * (rule 6). The tenant's user and client grants of the member role go with it (rule 7).
 */
export async function removeCommunityTenant(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string): Promise<void> {
  const { access, target } = await accessTenant(deps, actor, communityId, tenantId);
  const leaving = tenantId === access.membership.tenant_id;
  if (leaving) {
    if (target.is_owner) throw CommunityErrors.ownerCannotLeave();
    requireRight(access, R.LeaveCommunity, 'leave the community');
  } else {
    requireRight(access, R.ManageTenants, 'remove tenants');
    if (target.is_owner) throw CommunityErrors.ownerCannotLeave();
  }
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    if (!(await repo.deleteMemberTenant(trx, communityId, tenantId))) throw CommunityErrors.tenantNotInCommunity(tenantId);
    await repo.revokeRoleInTenant(trx, access.community.member_role_id, tenantId);
    // Its streams are unshared too: a tenant that joins again starts with nothing shared (§5).
    await unshareTenant(trx, communityId, access.community.member_role_id, tenantId);
    await recordChange(trx, actor, now, {
      tenantId,
      action: leaving ? 'community.tenant.leave' : 'community.tenant.remove',
      resourceType: 'CommunityTenant',
      resourceId: `${communityId}/${tenantId}`,
      before: { status: target.status, contactEmail: target.contact_email },
    });
  });
}

const RIGHT_NAMES = Object.entries(R).filter(([, bit]) => bit !== 0) as [string, number][];

/** T4/T9: the caller's own rights in its tenant's membership. */
export async function getAccessRights(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string): Promise<{ names: string[]; bits: number[]; value: number }> {
  const { access } = await accessTenant(deps, actor, communityId, tenantId);
  requireOwnTenant(access, tenantId, 'read access rights');
  const held = RIGHT_NAMES.filter(([, bit]) => (access.rights & bit) === bit);
  return { names: held.map(([name]) => name), bits: held.map(([, bit]) => bit), value: access.rights };
}

/** The default ACL: the tenant's TenantAdministrator and CommunityAdministrator roles get the admin grant. */
async function defaultAcl(deps: ServiceDeps, target: repo.CommunityTenantRow): Promise<AccessControlEntry[]> {
  const roles = await repo.findTenantRolesByName(deps.database.db, target.tenant_id, DEFAULT_ADMIN_ROLES);
  return roles
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((r) => ({
      trustee: { type: 3, objectId: r.id, tenantId: target.tenant_id },
      accessType: 0,
      accessRights: target.is_owner ? OWNER_ADMIN_RIGHTS : MEMBER_ADMIN_RIGHTS,
    }));
}

export async function getAccessControl(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string): Promise<AccessControlEntry[]> {
  const { access, target } = await accessTenant(deps, actor, communityId, tenantId);
  requireOwnTenant(access, tenantId, 'read community administrators');
  requireRight(access, R.ManageCommunityAdministrators, 'read community administrators');
  return parseAcl(target.access_control) ?? defaultAcl(deps, target);
}

/** T6: which of the tenant's own roles hold which community rights; role trustees only. */
export async function setAccessControl(
  deps: ServiceDeps,
  actor: Principal,
  communityId: string,
  tenantId: string,
  entries: AccessControlEntry[],
): Promise<void> {
  const { access, target } = await accessTenant(deps, actor, communityId, tenantId);
  requireOwnTenant(access, tenantId, 'manage community administrators');
  requireRight(access, R.ManageCommunityAdministrators, 'manage community administrators');
  if (entries.some((e) => e.trustee.type !== 3)) throw CommunityErrors.invalidAccessControl('only Role trustees (Type 3) may appear in an access control list');
  const roleIds = [...new Set(entries.map((e) => e.trustee.objectId))];
  const roles = await repo.findTenantRolesByIds(deps.database.db, tenantId, roleIds);
  const unknown = roleIds.filter((id) => !roles.some((r) => r.id === id));
  if (unknown.length) throw CommunityErrors.invalidAccessControl(`${unknown.join(', ')} ${unknown.length > 1 ? 'are not roles' : 'is not a role'} of your tenant`);
  const normalized = entries.map((e) => ({ trustee: { type: 3, objectId: e.trustee.objectId, tenantId }, accessType: e.accessType, accessRights: e.accessRights }));
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    await repo.updateCommunityTenant(trx, communityId, tenantId, { access_control: JSON.stringify(normalized), updated_at: now });
    await recordChange(trx, actor, now, {
      tenantId,
      action: 'community.tenant.acl.update',
      resourceType: 'CommunityTenant',
      resourceId: `${communityId}/${tenantId}`,
      before: parseAcl(target.access_control),
      after: normalized,
    });
  });
}

export async function getOwner(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string): Promise<Trustee | null> {
  const { access, target } = await accessTenant(deps, actor, communityId, tenantId);
  requireOwnTenant(access, tenantId, 'read the community owner');
  requireRight(access, R.ManageCommunityAdministrators, 'read the community owner');
  return target.owner_trustee === null ? null : (JSON.parse(target.owner_trustee) as Trustee);
}

/** T8: the tenant's community owner must be one of its own users or clients. */
export async function setOwner(deps: ServiceDeps, actor: Principal, communityId: string, tenantId: string, trustee: Trustee): Promise<void> {
  const { access, target } = await accessTenant(deps, actor, communityId, tenantId);
  requireOwnTenant(access, tenantId, 'set the community owner');
  requireRight(access, R.ManageCommunityAdministrators, 'set the community owner');
  const db = deps.database.db;
  if (trustee.type === 3) throw CommunityErrors.invalidAccessControl('the owner must be a user (Type 1) or a client (Type 2)');
  const exists = trustee.type === 1 ? await repo.findUserOfTenant(db, tenantId, trustee.objectId) : await repo.findClientOfTenant(db, tenantId, trustee.objectId);
  if (!exists) throw CommunityErrors.invalidAccessControl(`no ${trustee.type === 1 ? 'user' : 'client'} ${trustee.objectId} in your tenant`);
  const owner = { type: trustee.type, objectId: trustee.objectId, tenantId };
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    await repo.updateCommunityTenant(trx, communityId, tenantId, { owner_trustee: JSON.stringify(owner), updated_at: now });
    await recordChange(trx, actor, now, {
      tenantId,
      action: 'community.tenant.owner.update',
      resourceType: 'CommunityTenant',
      resourceId: `${communityId}/${tenantId}`,
      before: target.owner_trustee === null ? null : JSON.parse(target.owner_trustee),
      after: owner,
    });
  });
}
