import { z } from 'zod';

// One source for validation and the OpenAPI document of the Organizations API (/20230401). Field
// names and enum values are the SDK's own (reference §4).

export const LIFECYCLE_STATES = ['CREATING', 'ACTIVE', 'INACTIVE', 'UPDATING', 'FAILED', 'TERMINATED'] as const;
export const SENDER_STATUSES = ['PENDING', 'CANCELED', 'ACCEPTED', 'EXPIRED', 'FAILED', 'NOT_APPLICABLE'] as const;
export const RECIPIENT_STATUSES = ['PENDING', 'CANCELED', 'ACCEPTED', 'IGNORED', 'EXPIRED', 'FAILED'] as const;
export const SUBJECTS = ['LINK', 'GOVERNANCE', 'EXTENDED_FEATURES'] as const;
export const GOVERNANCE_STATUSES = ['OPTED_IN', 'OPTED_OUT'] as const;
export const MAPPING_STATES = ['CREATING', 'ACTIVE', 'INACTIVE', 'UPDATING', 'DELETING', 'DELETED', 'FAILED'] as const;

const Ocid = z.string().min(1).max(255);
const DisplayName = z.string().trim().min(1).max(100);
const FreeformTags = z.record(z.string().max(100), z.string().max(256));
const DefinedTags = z.record(z.string().max(100), z.record(z.string().max(100), z.unknown()));
const SystemTags = z.record(z.string(), z.record(z.string(), z.unknown()));
const Feature = z.string().min(1).max(100);

// Requests

export const CreateSenderInvitationDetails = z.object({
  compartmentId: Ocid,
  recipientTenancyId: Ocid,
  recipientEmailAddress: z.email().max(254).optional(),
  displayName: DisplayName.optional(),
  subjects: z.array(z.enum(SUBJECTS)).max(3).optional(),
  features: z.array(Feature).max(20).optional(),
  freeformTags: FreeformTags.optional(),
  definedTags: DefinedTags.optional(),
  // Governance hook (issue 6), an extension of the OCI model: the governance step's chosen rules,
  // attached when the child accepts and joins governance (needs the GOVERNANCE subject).
  governanceRuleIds: z.array(Ocid).max(50).optional(),
});

export const UpdateInvitationDetails = z
  .object({ displayName: DisplayName.optional(), freeformTags: FreeformTags.optional(), definedTags: DefinedTags.optional() })
  .optional();

export const UpdateOrganizationDetails = z.object({ defaultUcmSubscriptionId: Ocid });

export const CreateChildTenancyDetails = z.object({
  compartmentId: Ocid,
  tenancyName: z.string().min(1).max(100),
  homeRegion: z.string().min(1).max(64),
  adminEmail: z.email().max(254),
  policyName: z.string().max(100).optional(),
  governanceStatus: z.enum(GOVERNANCE_STATUSES).optional(),
  subscriptionId: Ocid.optional(),
  features: z.array(Feature).max(20).optional(),
});

export const CreateSubscriptionMappingDetails = z.object({ compartmentId: Ocid, subscriptionId: Ocid });

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);
export const Limit = z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1000).default(100));
export const PageToken = z.string().max(1024).optional();
export const SortOrder = z.enum(['ASC', 'DESC']).optional();
export const SortBy = z.enum(['timeCreated', 'displayName']).default('timeCreated');

// Responses

const Time = z.string();

export const SenderInvitation = z.object({
  id: z.string(),
  compartmentId: z.string(),
  subjects: z.array(z.string()),
  recipientInvitationId: z.string().optional(),
  recipientTenancyId: z.string(),
  lifecycleState: z.string(),
  status: z.string(),
  displayName: z.string(),
  timeCreated: Time,
  timeUpdated: Time,
  recipientEmailAddress: z.string().optional(),
  invitationFeatures: z.array(z.object({ name: z.string(), recipientInvitationId: z.string().optional(), status: z.string() })).optional(),
  freeformTags: FreeformTags,
  definedTags: DefinedTags,
  systemTags: SystemTags,
});

export const RecipientInvitation = z.object({
  id: z.string(),
  compartmentId: z.string(),
  subjects: z.array(z.string()),
  senderInvitationId: z.string(),
  senderTenancyId: z.string(),
  lifecycleState: z.string(),
  status: z.string(),
  displayName: z.string(),
  timeCreated: Time,
  timeUpdated: Time,
  recipientEmailAddress: z.string().optional(),
  features: z.array(z.string()).optional(),
  freeformTags: FreeformTags,
  definedTags: DefinedTags,
  systemTags: SystemTags,
});

export const Organization = z.object({
  id: z.string(),
  displayName: z.string(),
  compartmentId: z.string(),
  parentName: z.string(),
  defaultUcmSubscriptionId: z.string(),
  lifecycleState: z.string(),
  timeCreated: Time,
  timeUpdated: Time,
  systemTags: SystemTags,
});

export const OrganizationTenancy = z.object({
  tenancyId: z.string(),
  name: z.string().optional(),
  lifecycleState: z.string(),
  role: z.string(),
  timeJoined: Time,
  timeLeft: Time.optional(),
  isApprovedForTransfer: z.boolean(),
  governanceStatus: z.string(),
});

export const Link = z.object({
  id: z.string(),
  parentTenancyId: z.string(),
  childTenancyId: z.string(),
  lifecycleState: z.string(),
  timeCreated: Time,
  timeUpdated: Time,
  timeTerminated: Time.optional(),
  feature: z.string(),
});

export const LinkWithTenancyNames = Link.extend({ parentTenancyName: z.string(), childTenancyName: z.string() });

export const Subscription = z.object({
  id: z.string(),
  compartmentId: z.string(),
  serviceName: z.string(),
  timeCreated: Time,
  timeUpdated: Time,
  freeformTags: FreeformTags,
  definedTags: DefinedTags,
  systemTags: SystemTags,
  entityVersion: z.string(),
  subscriptionNumber: z.string(),
  currencyCode: z.string(),
  lifecycleState: z.string(),
});

export const SubscriptionMapping = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  compartmentId: z.string(),
  isExplicitlyAssigned: z.boolean(),
  lifecycleState: z.string(),
  timeTerminated: Time.optional(),
  timeCreated: Time,
  timeUpdated: Time,
});

export const WorkRequest = z.object({
  id: z.string(),
  operationType: z.string(),
  status: z.string(),
  compartmentId: z.string(),
  resources: z.array(z.object({ entityType: z.string(), actionType: z.string(), identifier: z.string(), entityUri: z.string().optional() })),
  percentComplete: z.number(),
  timeAccepted: Time,
  timeStarted: Time.optional(),
  timeFinished: Time.optional(),
});

export const WorkRequestError = z.object({ code: z.string(), message: z.string(), timestamp: Time });
export const WorkRequestLogEntry = z.object({ message: z.string(), timestamp: Time });

export const collection = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
