import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { forbidden, invalid } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { rolesOf, tenantRoles } from '../identity/identity.service.js';
import { AccessRights, AccessType, TrusteeType, normalizeAcl, rightsOf, type AccessControlList } from '../streams/access.js';
import * as repo from './collection-acl.repo.js';

/**
 * The tenant's community collection ACL (§2.5): Write lets a role create communities,
 * ManageAccessControl lets it change this list. By default Tenant Administrators hold every right,
 * Community Administrators may read and create, Tenant Members may read.
 */
const DEFAULT_RIGHTS: Record<string, number> = {
  TenantAdministrator: AccessRights.Read | AccessRights.Write | AccessRights.Delete | AccessRights.ManageAccessControl,
  CommunityAdministrator: AccessRights.Read | AccessRights.Write,
  TenantMember: AccessRights.Read,
};

const RIGHT_NAMES: Array<[number, string]> = [
  [AccessRights.Read, 'Read'],
  [AccessRights.Write, 'Write'],
  [AccessRights.Delete, 'Delete'],
  [AccessRights.ManageAccessControl, 'ManageAccessControl'],
  [AccessRights.Share, 'Share'],
];

async function aclOf(deps: ServiceDeps, tenantId: string): Promise<AccessControlList> {
  const stored = await repo.findCollectionAcl(deps.database.db, tenantId);
  if (stored) return JSON.parse(stored) as AccessControlList;
  const roles = await tenantRoles(deps, tenantId);
  return {
    RoleTrusteeAccessControlEntries: roles
      .filter((r) => r.name in DEFAULT_RIGHTS)
      .map((r) => ({ Trustee: { Type: TrusteeType.Role, ObjectId: r.id, TenantId: tenantId }, AccessType: AccessType.Allowed, AccessRights: DEFAULT_RIGHTS[r.name] })),
  };
}

function ownTenant(principal: Principal, tenantId: string): string {
  if (principal.tenantId !== tenantId) throw forbidden('COMMUNITY_ACCESS_DENIED', 'this is not your tenant');
  return tenantId;
}

/** The caller's rights on its tenant's community collection. */
export async function collectionRights(deps: ServiceDeps, principal: Principal): Promise<number> {
  if (!principal.tenantId) return 0;
  const roleIds = new Set((await rolesOf(deps, principal)).map((r) => r.id));
  return rightsOf(await aclOf(deps, principal.tenantId), roleIds);
}

export async function requireCollectionRight(deps: ServiceDeps, principal: Principal, right: number, what: string): Promise<void> {
  if (((await collectionRights(deps, principal)) & right) !== right) {
    throw forbidden('COMMUNITY_ACCESS_DENIED', `${what} needs a role the tenant's community access control list allows it to`);
  }
}

export async function getCollectionAcl(deps: ServiceDeps, principal: Principal, tenantId: string): Promise<AccessControlList> {
  ownTenant(principal, tenantId);
  await requireCollectionRight(deps, principal, AccessRights.ManageAccessControl, 'reading the community access control list');
  return aclOf(deps, tenantId);
}

export async function setCollectionAcl(deps: ServiceDeps, principal: Principal, tenantId: string, body: unknown): Promise<void> {
  ownTenant(principal, tenantId);
  const next = normalizeAcl(body);
  const roleIds = new Set((await tenantRoles(deps, tenantId)).map((r) => r.id));
  const stranger = next.RoleTrusteeAccessControlEntries.find((e) => !roleIds.has(e.Trustee.ObjectId));
  if (stranger) throw invalid('UNKNOWN_TRUSTEE', `role ${stranger.Trustee.ObjectId} is not a role of this tenant`);
  await requireCollectionRight(deps, principal, AccessRights.ManageAccessControl, 'changing the community access control list');
  const before = await aclOf(deps, tenantId);
  await inTransaction(deps.database, async (trx) => {
    const now = deps.clock.now();
    await repo.saveCollectionAcl(trx, tenantId, JSON.stringify(next), now);
    await recordChange(trx, principal, now, { tenantId, action: 'community.collection.acl', resourceType: 'CommunityCollection', resourceId: tenantId, before, after: next });
  });
}

export async function getCollectionRightNames(deps: ServiceDeps, principal: Principal, tenantId: string): Promise<string[]> {
  ownTenant(principal, tenantId);
  const rights = await collectionRights(deps, principal);
  return RIGHT_NAMES.filter(([bit]) => rights & bit).map(([, name]) => name);
}
