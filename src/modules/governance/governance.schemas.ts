import { z } from 'zod';

// One source for validation and the OpenAPI document of the Governance Rules API (/20220504).
// Field names and enum values are the SDK's own (reference §5).

export const RULE_TYPES = ['QUOTA', 'TAG', 'ALLOWED_REGIONS'] as const;
export const CREATION_OPTIONS = ['TEMPLATE', 'CLONE'] as const;
export const RULE_STATES = ['ACTIVE', 'DELETED'] as const;
export const CRITERION_TYPES = ['TENANCY', 'ALL'] as const;
export const ATTACHMENT_STATES = ['CREATING', 'ACTIVE', 'UPDATING', 'NEEDS_ATTENTION', 'DELETING', 'DELETED'] as const;
export const WORK_REQUEST_STATUSES = ['ACCEPTED', 'IN_PROGRESS', 'WAITING', 'FAILED', 'SUCCEEDED', 'CANCELING', 'CANCELED'] as const;

const Ocid = z.string().min(1).max(255);
const DisplayName = z.string().trim().min(1).max(100);
const Description = z.string().max(400);
const FreeformTags = z.record(z.string().max(100), z.string().max(256));
const DefinedTags = z.record(z.string().max(100), z.record(z.string().max(100), z.unknown()));
const TagName = z.string().regex(/^[A-Za-z0-9_.\-]{1,100}$/, 'a tag name: letters, digits, _ . - (1 to 100)');

export const QuotaTemplate = z.object({
  type: z.literal('QUOTA'),
  displayName: DisplayName,
  description: Description.optional(),
  statements: z.array(z.string().trim().min(1).max(1000)).min(1).max(100),
});

export const AllowedRegionsTemplate = z.object({
  type: z.literal('ALLOWED_REGIONS'),
  displayName: DisplayName,
  description: Description.optional(),
  regions: z.array(z.string().min(1).max(64)).min(1).max(100),
});

const TagValidator = z.discriminatedUnion('validatorType', [
  z.object({ validatorType: z.literal('DEFAULT') }),
  z.object({ validatorType: z.literal('ENUM'), values: z.array(z.string().min(1).max(256)).max(100).optional() }),
]);

export const TagTemplate = z.object({
  type: z.literal('TAG'),
  name: TagName,
  description: Description.optional(),
  tags: z
    .array(z.object({ name: TagName, description: Description.optional(), isCostTracking: z.boolean().optional(), validator: TagValidator.optional() }))
    .max(100)
    .optional(),
  tagDefaults: z.array(z.object({ tagName: TagName, value: z.string().max(256), isRequired: z.boolean() })).max(100).optional(),
});

export const Template = z.discriminatedUnion('type', [QuotaTemplate, TagTemplate, AllowedRegionsTemplate]);
export type Template = z.infer<typeof Template>;

export const CreateGovernanceRuleDetails = z.object({
  compartmentId: Ocid,
  displayName: DisplayName,
  description: Description.optional(),
  type: z.enum(RULE_TYPES),
  creationOption: z.enum(CREATION_OPTIONS),
  template: Template.optional(),
  relatedResourceId: Ocid.optional(),
  freeformTags: FreeformTags.optional(),
  definedTags: DefinedTags.optional(),
});
export type CreateGovernanceRuleDetails = z.infer<typeof CreateGovernanceRuleDetails>;

export const UpdateGovernanceRuleDetails = z.object({
  displayName: DisplayName.optional(),
  description: Description.optional(),
  template: Template.optional(),
  relatedResourceId: Ocid.optional(),
  freeformTags: FreeformTags.optional(),
  definedTags: DefinedTags.optional(),
});
export type UpdateGovernanceRuleDetails = z.infer<typeof UpdateGovernanceRuleDetails>;

const TenancyAssociation = z.object({ type: z.literal('TENANCY'), tenancyId: Ocid });

export const CreateInclusionCriterionDetails = z.object({
  governanceRuleId: Ocid,
  type: z.enum(CRITERION_TYPES),
  association: TenancyAssociation.optional(),
});
export type CreateInclusionCriterionDetails = z.infer<typeof CreateInclusionCriterionDetails>;

// Responses

const Tags = { freeformTags: FreeformTags, definedTags: DefinedTags, systemTags: z.record(z.string(), z.record(z.string(), z.unknown())).optional() };

export const GovernanceRule = z.object({
  id: z.string(),
  compartmentId: z.string(),
  displayName: z.string(),
  description: z.string().optional(),
  type: z.string(),
  creationOption: z.string(),
  template: z.unknown(),
  relatedResourceId: z.string().optional(),
  timeCreated: z.string(),
  timeUpdated: z.string(),
  lifecycleState: z.string(),
  ...Tags,
});

export const GovernanceRuleSummary = GovernanceRule.omit({ template: true, description: true, relatedResourceId: true });

export const InclusionCriterion = z.object({
  id: z.string(),
  governanceRuleId: z.string(),
  type: z.string(),
  association: TenancyAssociation.optional(),
  lifecycleState: z.string(),
  timeCreated: z.string(),
  timeUpdated: z.string(),
});

export const TenancyAttachment = z.object({
  id: z.string(),
  compartmentId: z.string(),
  governanceRuleId: z.string(),
  tenancyId: z.string(),
  lifecycleState: z.string(),
  timeCreated: z.string(),
  timeUpdated: z.string(),
  timeLastAttempted: z.string().optional(),
});

export const EnforcedGovernanceRule = z.object({
  id: z.string(),
  compartmentId: z.string(),
  governanceRuleDisplayName: z.string(),
  type: z.string(),
  template: z.unknown(),
  lifecycleState: z.string(),
  timeCreated: z.string(),
  timeUpdated: z.string(),
});
export const EnforcedGovernanceRuleSummary = EnforcedGovernanceRule.omit({ template: true });

export const WorkRequestResource = z.object({
  entityType: z.string(),
  actionType: z.string(),
  identifier: z.string(),
  entityUri: z.string().optional(),
});

export const WorkRequest = z.object({
  id: z.string(),
  operationType: z.string(),
  status: z.string(),
  compartmentId: z.string(),
  resources: z.array(WorkRequestResource),
  percentComplete: z.number(),
  timeAccepted: z.string(),
  timeStarted: z.string().optional(),
  timeFinished: z.string().optional(),
});
export const WorkRequestError = z.object({ code: z.string(), message: z.string(), timestamp: z.string() });
export const WorkRequestLogEntry = z.object({ message: z.string(), timestamp: z.string() });

export const collection = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);
export const Limit = z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1000).default(100));
export const PageToken = z.string().max(64).optional();
export const SortOrder = z.enum(['ASC', 'DESC']).optional();
export const SortBy = z.enum(['timeCreated', 'displayName', 'timeAccepted']).optional();
