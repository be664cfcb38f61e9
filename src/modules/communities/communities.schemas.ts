import { z } from 'zod';
import { GUID_PATTERN } from '../../platform/ids.js';

/**
 * The OCS wire shapes of communities (reference/ocs-communities-api.md §1): PascalCase JSON, string
 * enums for states and statuses, integers for RoleScope, TrusteeType, AccessType and access rights.
 */

/** Path ids must be GUIDs (rule 18); ids are stored lower-case, clients may send either case. */
export const Guid = z
  .string()
  .regex(GUID_PATTERN, 'must be a GUID')
  .transform((id) => id.toLowerCase());
const Email = z.email().max(254);
const OptionalText = (max: number) => z.string().trim().max(max).nullish();

export const INVITATION_STATES = [
  'None',
  'InvitationCreated',
  'InvitationAccepted',
  'InvitationDeclined',
  'InvitationExpired',
  'InvitationCompleted',
] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

export const INVITATION_ACTIONS = ['Accept', 'Decline', 'Confirm', 'Resend'] as const;
export type InvitationAction = (typeof INVITATION_ACTIONS)[number];

/** Statuses a tenant may set for itself (rule 9); `None` is never stored. */
export const TENANT_STATUSES = ['Active', 'Paused'] as const;
export type CommunityTenantStatus = (typeof TENANT_STATUSES)[number];

/** CommunityAccessRights bit flags (§1.5). */
export const CommunityAccessRights = {
  None: 0,
  ViewCommunityDetails: 1,
  LeaveCommunity: 2,
  ManageUsers: 4,
  PauseData: 8,
  EditCommunityAlias: 16,
  EditCommunityProfile: 32,
  DeleteCommunity: 64,
  ManageTenants: 128,
  ManageCommunityAdministrators: 256,
  UpdateRegion: 512,
  UpdateContactEmail: 1024,
} as const;
export const ALL_COMMUNITY_RIGHTS = 2047;

// Inputs

export const CreateCommunityInput = z.object({
  Name: z.string().trim().min(1, 'Name must not be empty').max(200),
  Description: OptionalText(2000),
  PreferredRegionId: OptionalText(100),
  ContactEmail: Email.nullish(),
});

export const UpdateCommunityInput = z.object({
  Name: z.string().trim().min(1, 'Name must not be empty').max(200).nullish(),
  Description: OptionalText(2000),
  PreferredRegionId: OptionalText(100),
});

export const CreateInvitationInput = z.object({ InvitationRecipient: Email });

/** Action is checked by the service, after the invitation is found (§3 evaluation order). */
export const ProcessInvitationInput = z.object({
  Action: z.union([z.string().max(50), z.number().int()]).nullish(),
  ContactEmail: Email.nullish(),
});

export const UpdateCommunityTenantInput = z.object({
  Status: z.union([z.string().max(50), z.number().int()]).nullish(),
  PreferredRegionId: OptionalText(100),
  ContactEmail: Email.nullish(),
  CommunityAlias: OptionalText(200),
});

export const RoleIdsInput = z.array(z.string().max(100)).max(50);

const TrusteeInput = z.object({
  Type: z.union([z.literal(1), z.literal(2), z.literal(3), z.enum(['User', 'Client', 'Role'])]),
  ObjectId: z.string().min(1).max(200),
  TenantId: z.string().max(200).nullish(),
});

export const AccessControlListInput = z.object({
  RoleTrusteeAccessControlEntries: z
    .array(
      z.object({
        Trustee: TrusteeInput,
        AccessType: z.union([z.literal(0), z.literal(1), z.enum(['Allowed', 'Denied'])]).default(0),
        AccessRights: z.number().int().min(0).max(ALL_COMMUNITY_RIGHTS),
      }),
    )
    .max(100),
});

export const TrusteeBody = TrusteeInput;

export const CommunityQuery = z.object({
  resolveCompanyName: z
    .preprocess((v) => (v === '' || v === undefined ? undefined : String(v).toLowerCase()), z.enum(['true', 'false']).optional())
    .transform((v) => v !== 'false'),
});

// Outputs

export const RoleOutput = z.object({
  Id: z.string(),
  Name: z.string(),
  Description: z.string(),
  RoleScope: z.number().int(),
  TenantId: z.string().nullable(),
  CommunityId: z.string().nullable(),
  RoleTypeId: z.string().nullable(),
});

export const CommunityTenantOutput = z.object({
  Id: z.string(),
  Name: z.string().nullable(),
  Status: z.enum(TENANT_STATUSES),
  IsOwner: z.boolean(),
  UserCount: z.number().int(),
  ClientCount: z.number().int(),
  PreferredRegionId: z.string().nullable(),
  ContactEmail: z.string().nullable(),
  CommunityAlias: z.string().nullable(),
});

export const CommunityOutput = z.object({
  Id: z.string(),
  MemberRoleId: z.string(),
  Name: z.string(),
  DisplayName: z.string(),
  Description: z.string().nullable(),
  Tenants: z.array(CommunityTenantOutput),
  DateCreated: z.string(),
  PreferredRegionId: z.string().nullable(),
  CommunityRoles: z.array(RoleOutput),
  // 2021 shape, still read by the OCS Python sample library (ocs-client-compat.md item 14).
  Alias: z.string().nullable(),
  StreamsContributedCount: z.number().int(),
  TotalStreamsContributedCount: z.number().int(),
});

export const InvitationOutput = z.object({
  Id: z.string(),
  Issued: z.string(),
  Expires: z.string(),
  Accepted: z.string().nullable(),
  State: z.enum(INVITATION_STATES),
  IssuingTenantId: z.string(),
  InvitedTenantId: z.string().nullable(),
  CommunityId: z.string(),
  CommunityName: z.string(),
  InvitationRecipient: z.string(),
  AcceptedUserEmail: z.string().nullable(),
  AcceptedTenantName: z.string().nullable(),
});

export const InvitationDetailsOutput = z.object({
  Id: z.string(),
  CommunityName: z.string(),
  CommunityId: z.string(),
  InvitationState: z.enum(INVITATION_STATES),
  ContactEmail: z.string().nullable(),
  IssuingTenantName: z.string(),
  Expires: z.string(),
  TenantAlreadyMemberOfCommunity: z.boolean(),
});

export const UserOutput = z.object({
  Id: z.string(),
  GivenName: z.string().nullable(),
  Surname: z.string().nullable(),
  Name: z.string(),
  Email: z.string(),
  ContactEmail: z.string(),
  ContactGivenName: z.string().nullable(),
  ContactSurname: z.string().nullable(),
  ExternalUserId: z.string().nullable(),
  IdentityProviderId: z.string().nullable(),
  RoleIds: z.array(z.string()),
});

export const ClientOutput = z.object({
  Id: z.string(),
  Name: z.string(),
  Enabled: z.boolean(),
  AccessTokenLifetime: z.number().int(),
  Tags: z.array(z.string()),
  RoleIds: z.array(z.string()),
});

export const TrusteeOutput = z.object({ Type: z.number().int(), ObjectId: z.string(), TenantId: z.string().nullable() });

export const AccessControlListOutput = z.object({
  RoleTrusteeAccessControlEntries: z.array(z.object({ Trustee: TrusteeOutput, AccessType: z.number().int(), AccessRights: z.number().int() })),
});

export const GroupOutput = z.object({
  Id: z.string(),
  Name: z.string(),
  Email: z.string().nullable(),
  IsClusterManagementAllowed: z.boolean(),
});

export const GroupListOutput = z.object({ Results: z.array(GroupOutput), SkipToken: z.string().nullable() });

export const ClaimOutput = z.object({
  Id: z.string(),
  TypeName: z.string(),
  Value: z.string(),
  RoleIds: z.array(z.string()),
  IsBuiltIn: z.boolean(),
});
