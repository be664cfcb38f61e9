import { AppError, conflict, forbidden, invalid, notFound, rateLimited } from '../../platform/errors.js';

/** Tenantry's own users and groups, as the one identity provider of every tenant (§2.6 G/P routes). */
export const LOCAL_IDENTITY_PROVIDER_ID = '7e0a9b4c-5a1d-4c33-9d6e-2f1b8c0d0001';

/** Error codes of the communities capability (UPPER_SNAKE, never renamed once shipped). */
export const CommunityErrors = {
  communityNotFound: (id: string) => notFound('COMMUNITY_NOT_FOUND', `no community with id ${id}`),
  notAMember: () =>
    forbidden('COMMUNITY_ACCESS_DENIED', 'your tenant is not a member of this community; ask its administrators for an invitation'),
  notAllowed: (what: string) => forbidden('COMMUNITY_ACCESS_DENIED', `you do not have the community permission to ${what}`),
  ownerOnly: (what: string) =>
    forbidden('COMMUNITY_OWNER_ONLY', `only community administrators of the community's owning tenant may ${what}`),
  ownTenantOnly: (what: string) => forbidden('COMMUNITY_OWN_TENANT_ONLY', `a tenant may ${what} for its own tenant only`),
  nameTaken: (name: string) =>
    conflict('COMMUNITY_NAME_TAKEN', `your tenant already owns a community named ${name}; choose another name`),
  tenantNotInCommunity: (tenantId: string) => notFound('COMMUNITY_TENANT_NOT_FOUND', `tenant ${tenantId} is not a member of this community`),
  ownerCannotLeave: () =>
    invalid('OWNER_CANNOT_LEAVE', 'the owning tenant cannot leave or be removed from its community; delete the community instead'),
  invitationNotFound: (id: string) => notFound('COMMUNITY_INVITATION_NOT_FOUND', `no community invitation with id ${id}`),
  unknownAction: (action: unknown) =>
    invalid('INVALID_INVITATION_ACTION', `Action ${JSON.stringify(action)} is not one of Accept, Decline, Confirm, Resend`),
  invalidTransition: (action: string, state: string) =>
    invalid('INVALID_INVITATION_TRANSITION', `cannot ${action} an invitation in state ${state}`),
  alreadyMember: () =>
    invalid('TENANT_ALREADY_MEMBER', 'the tenant already belongs to this community and cannot accept an invitation to it'),
  invitationsRateLimited: (cap: number, retryAfterSeconds: number) =>
    rateLimited(
      'INVITATION_RATE_LIMITED',
      `your tenant created ${cap} invitations (community and organization invitations together) in the last 24 hours, the most allowed; the next one is possible in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    ),
  invalidStatus: (status: unknown) => invalid('INVALID_COMMUNITY_TENANT_STATUS', `Status ${JSON.stringify(status)} is not Active or Paused`),
  unknownRole: (ids: string[]) => invalid('UNKNOWN_COMMUNITY_ROLE', `${ids.join(', ')} ${ids.length > 1 ? 'are not roles' : 'is not a role'} of this community`),
  memberRoleRequired: () => invalid('MEMBER_ROLE_REQUIRED', "the community's member role (MemberRoleId) must be among the role ids"),
  userNotFound: (id: string) => notFound('COMMUNITY_USER_NOT_FOUND', `no user ${id} in this tenant`),
  clientNotFound: (id: string) => notFound('COMMUNITY_CLIENT_NOT_FOUND', `no client-credential client ${id} in this tenant`),
  principalNotInCommunity: (id: string) => notFound('COMMUNITY_PRINCIPAL_NOT_FOUND', `${id} is not a member of this community`),
  ownerPrincipalCannotBeRemoved: () =>
    invalid('COMMUNITY_OWNER_PRINCIPAL', "the community's owner cannot be removed from it; set another owner first"),
  invalidAccessControl: (why: string) => invalid('INVALID_ACCESS_CONTROL', why),
  identityProviderNotFound: (id: string) =>
    notFound('IDENTITY_PROVIDER_NOT_FOUND', `no identity provider ${id}; Tenantry's own groups are under the identity provider ${LOCAL_IDENTITY_PROVIDER_ID}`),
  groupNotFound: (id: string) => notFound('COMMUNITY_GROUP_NOT_FOUND', `no group ${id} in this tenant`),
  claimNotFound: (id: string) =>
    notFound('IDENTITY_PROVIDER_CLAIM_NOT_FOUND', `no identity provider claim ${id}; Tenantry's identity provider defines no claims`),
} as const;
