import type { z } from 'zod';
import type { Role } from '../../modules/identity/identity.service.js';
import type { CommunityClient, CommunityUser } from '../../modules/communities/community-members.service.js';
import type { AccessControlEntry, Community, CommunityTenant, Trustee } from '../../modules/communities/communities.service.js';
import type { Invitation, InvitationDetails } from '../../modules/communities/invitations.service.js';
import type * as s from '../../modules/communities/communities.schemas.js';

/** Domain objects → OCS wire shapes (PascalCase, ISO times). */

const iso = (ms: number) => new Date(ms).toISOString();

export const roleOut = (r: Role): z.infer<typeof s.RoleOutput> => ({
  Id: r.id,
  Name: r.name,
  Description: r.description,
  RoleScope: r.roleScope,
  TenantId: r.tenantId,
  CommunityId: r.communityId,
  RoleTypeId: r.roleTypeId,
});

export const communityTenantOut = (t: CommunityTenant): z.infer<typeof s.CommunityTenantOutput> => ({
  Id: t.id,
  Name: t.name,
  Status: t.status,
  IsOwner: t.isOwner,
  UserCount: t.userCount,
  ClientCount: t.clientCount,
  PreferredRegionId: t.preferredRegionId,
  ContactEmail: t.contactEmail,
  CommunityAlias: t.communityAlias,
});

export const communityOut = (c: Community): z.infer<typeof s.CommunityOutput> => ({
  Id: c.id,
  MemberRoleId: c.memberRoleId,
  Name: c.name,
  DisplayName: c.displayName,
  Description: c.description,
  Tenants: c.tenants.map(communityTenantOut),
  DateCreated: iso(c.createdAt),
  PreferredRegionId: c.preferredRegionId,
  CommunityRoles: c.roles.map(roleOut),
  Alias: c.alias,
  StreamsContributedCount: c.streamsContributed,
  TotalStreamsContributedCount: c.totalStreamsContributed,
});

export const invitationOut = (i: Invitation): z.infer<typeof s.InvitationOutput> => ({
  Id: i.id,
  Issued: iso(i.issued),
  Expires: iso(i.expires),
  Accepted: i.accepted === null ? null : iso(i.accepted),
  State: i.state,
  IssuingTenantId: i.issuingTenantId,
  InvitedTenantId: i.invitedTenantId,
  CommunityId: i.communityId,
  CommunityName: i.communityName,
  InvitationRecipient: i.recipient,
  AcceptedUserEmail: i.acceptedUserEmail,
  AcceptedTenantName: i.acceptedTenantName,
});

export const invitationDetailsOut = (d: InvitationDetails): z.infer<typeof s.InvitationDetailsOutput> => ({
  Id: d.id,
  CommunityName: d.communityName,
  CommunityId: d.communityId,
  InvitationState: d.state,
  ContactEmail: d.contactEmail,
  IssuingTenantName: d.issuingTenantName,
  Expires: iso(d.expires),
  TenantAlreadyMemberOfCommunity: d.tenantAlreadyMemberOfCommunity,
});

export const userOut = (u: CommunityUser): z.infer<typeof s.UserOutput> => ({
  Id: u.id,
  GivenName: null,
  Surname: null,
  Name: u.name,
  Email: u.email,
  ContactEmail: u.email,
  ContactGivenName: null,
  ContactSurname: null,
  ExternalUserId: null,
  IdentityProviderId: null,
  RoleIds: u.roleIds,
});

export const clientOut = (c: CommunityClient): z.infer<typeof s.ClientOutput> => ({
  Id: c.id,
  Name: c.name,
  Enabled: c.enabled,
  AccessTokenLifetime: c.accessTokenLifetime,
  Tags: [],
  RoleIds: c.roleIds,
});

export const trusteeOut = (t: Trustee): z.infer<typeof s.TrusteeOutput> => ({ Type: t.type, ObjectId: t.objectId, TenantId: t.tenantId });

export const aclOut = (entries: AccessControlEntry[]): z.infer<typeof s.AccessControlListOutput> => ({
  RoleTrusteeAccessControlEntries: entries.map((e) => ({ Trustee: trusteeOut(e.trustee), AccessType: e.accessType, AccessRights: e.accessRights })),
});

const TRUSTEE_TYPES = { User: 1, Client: 2, Role: 3 } as const;

export function trusteeIn(t: z.infer<typeof s.TrusteeBody>): Trustee {
  return { type: typeof t.Type === 'number' ? t.Type : TRUSTEE_TYPES[t.Type], objectId: t.ObjectId, tenantId: t.TenantId ?? null };
}

export function aclIn(acl: z.infer<typeof s.AccessControlListInput>): AccessControlEntry[] {
  return acl.RoleTrusteeAccessControlEntries.map((e) => ({
    trustee: trusteeIn(e.Trustee),
    accessType: e.AccessType === 1 || e.AccessType === 'Denied' ? 1 : 0,
    accessRights: e.AccessRights,
  }));
}
