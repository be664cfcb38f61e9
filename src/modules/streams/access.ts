import { invalid } from '../../platform/errors.js';

/** SDS AccessRights bit flags. */
export const AccessRights = { None: 0, Read: 1, Write: 2, Delete: 4, ManageAccessControl: 8, Share: 16, All: 31 } as const;
export const TrusteeType = { User: 1, Client: 2, Role: 3 } as const;
export const AccessType = { Allowed: 0, Denied: 1 } as const;

export interface AccessControlEntry {
  Trustee: { Type: number; ObjectId: string; TenantId?: string | null };
  AccessType: number;
  AccessRights: number;
}

export interface AccessControlList {
  RoleTrusteeAccessControlEntries: AccessControlEntry[];
}

/** A new stream: Tenant Administrator has every right; the other built-in roles may read. */
export function defaultStreamAcl(tenantId: string, roles: ReadonlyArray<{ id: string; name: string }>): AccessControlList {
  const rights: Record<string, number> = {
    TenantAdministrator: AccessRights.All,
    TenantMember: AccessRights.Read,
    TenantDataSteward: AccessRights.Read,
    CommunityAdministrator: AccessRights.Read,
  };
  return {
    RoleTrusteeAccessControlEntries: roles
      .filter((r) => r.name in rights)
      .map((r) => ({ Trustee: { Type: TrusteeType.Role, ObjectId: r.id, TenantId: tenantId }, AccessType: AccessType.Allowed, AccessRights: rights[r.name] })),
  };
}

/** What holders of these roles may do: the union of allowed rights, less any denied right. */
export function rightsOf(acl: AccessControlList, roleIds: ReadonlySet<string>): number {
  let allowed = 0;
  let denied = 0;
  for (const entry of acl.RoleTrusteeAccessControlEntries) {
    if (!roleIds.has(entry.Trustee.ObjectId)) continue;
    if (entry.AccessType === AccessType.Denied) denied |= entry.AccessRights;
    else allowed |= entry.AccessRights;
  }
  return allowed & ~denied;
}

const ACCESS_TYPES: Record<string, number> = { Allowed: 0, Denied: 1 };
const TRUSTEE_TYPES: Record<string, number> = { User: 1, Client: 2, Role: 3 };

/** Accepts the encodings clients send (integers or names) and returns the integer form. */
export function normalizeAcl(input: unknown): AccessControlList {
  const entries = (input as { RoleTrusteeAccessControlEntries?: unknown })?.RoleTrusteeAccessControlEntries;
  if (!Array.isArray(entries)) throw invalid('INVALID_ACL', 'the body must be {"RoleTrusteeAccessControlEntries": [...]}');
  if (entries.length > 200) throw invalid('INVALID_ACL', 'an access control list holds at most 200 entries');
  return {
    RoleTrusteeAccessControlEntries: entries.map((raw, i) => {
      const entry = raw as Record<string, any>;
      const where = `RoleTrusteeAccessControlEntries[${i}]`;
      const trusteeType = typeof entry?.Trustee?.Type === 'string' ? TRUSTEE_TYPES[entry.Trustee.Type] : entry?.Trustee?.Type;
      if (trusteeType !== TrusteeType.Role) throw invalid('INVALID_ACL', `${where}: only role trustees (Type 3) are allowed`);
      if (typeof entry.Trustee.ObjectId !== 'string' || entry.Trustee.ObjectId.length > 100) {
        throw invalid('INVALID_ACL', `${where}: Trustee.ObjectId must be a role id`);
      }
      const accessType = typeof entry.AccessType === 'string' ? ACCESS_TYPES[entry.AccessType] : (entry.AccessType ?? 0);
      if (accessType !== 0 && accessType !== 1) throw invalid('INVALID_ACL', `${where}: AccessType must be 0 (Allowed) or 1 (Denied)`);
      if (!Number.isInteger(entry.AccessRights) || entry.AccessRights < 0 || entry.AccessRights > AccessRights.All) {
        throw invalid('INVALID_ACL', `${where}: AccessRights must be an integer from 0 to 31`);
      }
      const tenantId = entry.Trustee.TenantId;
      return {
        Trustee: { Type: TrusteeType.Role, ObjectId: entry.Trustee.ObjectId, ...(typeof tenantId === 'string' ? { TenantId: tenantId } : {}) },
        AccessType: accessType,
        AccessRights: entry.AccessRights,
      };
    }),
  };
}
