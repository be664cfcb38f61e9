import { body, compartment, describeGroup, pathParam, query, type CommandSpec, type HttpSpec } from '../spec.js';

// `tenantry governance-rules-control-plane …`: the OCI Governance Rules API (/20220504), named as
// `oci governance-rules-control-plane …`. Changes are asynchronous: they answer a work request of
// this API, which --wait-for-state follows.

const gr = (method: HttpSpec['method'], url: string, extra: Partial<HttpSpec> = {}): HttpSpec => ({ auth: 'oci', method, url: `/20220504${url}`, ...extra });
const async = { workRequest: 'governance-rules' } as const;
const RULE_TYPES = ['QUOTA', 'TAG', 'ALLOWED_REGIONS'] as const;
const RULE_STATES = ['ACTIVE', 'DELETED'] as const;
const ATTACHMENT_STATES = ['CREATING', 'ACTIVE', 'UPDATING', 'NEEDS_ATTENTION', 'DELETING', 'DELETED'] as const;
const sort = [query('sort-by', 'The field to sort by.', { choices: ['timeCreated', 'displayName'] }), query('sort-order', 'ASC or DESC.', { choices: ['ASC', 'DESC'] })];
const tags = [
  body('freeform-tags', 'Free-form tags as a JSON object of strings.', { type: 'json', example: {} }),
  body('defined-tags', 'Defined tags as a JSON object of namespaces.', { type: 'json', example: {} }),
];
const ruleId = pathParam('governance-rule-id', 'The OCID of the governance rule.');
const criterionId = pathParam('inclusion-criterion-id', 'The OCID of the inclusion criterion.');
const attachmentId = pathParam('tenancy-attachment-id', 'The OCID of the tenancy attachment.');
const workRequestId = pathParam('work-request-id', 'The OCID of the work request.');
const G = 'governance-rules-control-plane';

describeGroup(G, 'The OCI Governance Rules API (/20220504): rules a parent attaches to the tenancies of its organization.');
describeGroup(`${G} governance-rule`, 'Governance rules (quota, tag, allowed regions) of a parent tenancy.');
describeGroup(`${G} inclusion-criterion`, 'Which tenancies a rule is attached to (one tenancy, or all).');
describeGroup(`${G} tenancy-attachment`, 'Attachments of rules to child tenancies.');
describeGroup(`${G} enforced-governance-rule`, 'Rules in force on a child tenancy.');
describeGroup(`${G} work-request`, 'Work requests of the Governance Rules API.');

export const governanceRuleCommands: CommandSpec[] = [
  {
    path: [G, 'governance-rule', 'create'],
    summary: 'Create a governance rule from a template, or clone one (asynchronous).',
    params: [
      body('compartment-id', 'The OCID of the parent tenancy.', { short: 'c', required: true }),
      body('display-name', 'The rule name.', { required: true }),
      body('type', 'The kind of rule.', { required: true, choices: RULE_TYPES }),
      body('creation-option', 'TEMPLATE (from --template) or CLONE (of --related-resource-id).', { choices: ['TEMPLATE', 'CLONE'], default: 'TEMPLATE' }),
      body('template', 'The rule as JSON, of the same type.', { type: 'json', example: { type: 'QUOTA', displayName: 'no-rm', statements: ['zero resource-manager quotas in tenancy'] } }),
      body('related-resource-id', 'With CLONE: the rule to copy.'),
      body('description', 'What the rule is for.'),
      ...tags,
    ],
    http: gr('POST', '/governanceRules', { retryToken: true, ...async }),
  },
  {
    path: [G, 'governance-rule', 'list'],
    summary: 'List governance rules.',
    params: [
      compartment('The OCID of the parent tenancy.', false),
      query('governance-rule-id', 'Only this rule.'),
      query('lifecycle-state', 'Only rules in this state.', { choices: RULE_STATES }),
      query('display-name', 'Only rules with exactly this name.'),
      query('governance-rule-type', 'Only rules of this type.', { choices: RULE_TYPES }),
      ...sort,
    ],
    http: gr('GET', '/governanceRules', { paging: 'oci' }),
  },
  { path: [G, 'governance-rule', 'get'], summary: 'Get a governance rule.', params: [ruleId], http: gr('GET', '/governanceRules/{governanceRuleId}') },
  {
    path: [G, 'governance-rule', 'update'],
    summary: 'Change a governance rule (asynchronous).',
    params: [ruleId, body('display-name', 'The new name.'), body('description', 'The new description.'), body('template', 'The new rule as JSON.', { type: 'json', example: {} }), ...tags],
    http: gr('PUT', '/governanceRules/{governanceRuleId}', { ifMatch: true, ...async }),
  },
  { path: [G, 'governance-rule', 'delete'], summary: 'Delete a governance rule (asynchronous).', params: [ruleId], http: gr('DELETE', '/governanceRules/{governanceRuleId}', { ifMatch: true, ...async }) },
  {
    path: [G, 'governance-rule', 'retry'],
    summary: 'Retry attaching a rule where it failed (asynchronous).',
    params: [ruleId],
    http: gr('POST', '/governanceRules/{governanceRuleId}/actions/retry', { ifMatch: true, retryToken: true, ...async }),
  },
  {
    path: [G, 'inclusion-criterion', 'create'],
    summary: 'Attach a rule to one tenancy (type TENANCY with --association) or to all (type ALL) (asynchronous).',
    params: [
      body('governance-rule-id', 'The OCID of the rule.', { required: true }),
      body('type', 'TENANCY or ALL.', { required: true, choices: ['TENANCY', 'ALL'] }),
      body('association', 'With TENANCY: {"type":"TENANCY","tenancyId":"<child OCID>"}.', { type: 'json', example: { type: 'TENANCY', tenancyId: 'ocid1.tenancy.oc1..child' } }),
    ],
    http: gr('POST', '/inclusionCriteria', { retryToken: true, ...async }),
  },
  {
    path: [G, 'inclusion-criterion', 'list'],
    summary: 'List inclusion criteria.',
    params: [query('governance-rule-id', 'Only criteria of this rule.'), query('inclusion-criterion-id', 'Only this criterion.'), query('lifecycle-state', 'Only criteria in this state.', { choices: RULE_STATES }), ...sort],
    http: gr('GET', '/inclusionCriteria', { paging: 'oci' }),
  },
  { path: [G, 'inclusion-criterion', 'get'], summary: 'Get an inclusion criterion.', params: [criterionId], http: gr('GET', '/inclusionCriteria/{inclusionCriterionId}') },
  { path: [G, 'inclusion-criterion', 'delete'], summary: 'Delete an inclusion criterion (asynchronous).', params: [criterionId], http: gr('DELETE', '/inclusionCriteria/{inclusionCriterionId}', { ifMatch: true, ...async }) },
  {
    path: [G, 'tenancy-attachment', 'list'],
    summary: 'List tenancy attachments.',
    params: [
      compartment('The OCID of the parent tenancy.', false),
      query('tenancy-attachment-id', 'Only this attachment.'),
      query('governance-rule-id', 'Only attachments of this rule.'),
      query('lifecycle-state', 'Only attachments in this state.', { choices: ATTACHMENT_STATES }),
      query('child-tenancy-id', 'Only attachments to this tenancy.'),
      ...sort,
    ],
    http: gr('GET', '/tenancyAttachments', { paging: 'oci' }),
  },
  { path: [G, 'tenancy-attachment', 'get'], summary: 'Get a tenancy attachment.', params: [attachmentId], http: gr('GET', '/tenancyAttachments/{tenancyAttachmentId}') },
  {
    path: [G, 'tenancy-attachment', 'retry'],
    summary: 'Retry a tenancy attachment (asynchronous).',
    params: [attachmentId],
    http: gr('POST', '/tenancyAttachments/{tenancyAttachmentId}/actions/retry', { ifMatch: true, retryToken: true, ...async }),
  },
  {
    path: [G, 'enforced-governance-rule', 'list'],
    summary: 'List the rules in force on a tenancy.',
    params: [
      compartment('The OCID of the child tenancy.', false),
      query('enforced-governance-rule-id', 'Only this rule.'),
      query('governance-rule-type', 'Only rules of this type.', { choices: RULE_TYPES }),
      query('display-name', 'Only rules with exactly this name.'),
      ...sort,
    ],
    http: gr('GET', '/enforcedGovernanceRules', { paging: 'oci' }),
  },
  {
    path: [G, 'enforced-governance-rule', 'get'],
    summary: 'Get a rule in force on a tenancy.',
    params: [pathParam('enforced-governance-rule-id', 'The OCID of the enforced rule.')],
    http: gr('GET', '/enforcedGovernanceRules/{enforcedGovernanceRuleId}'),
  },
  { path: [G, 'work-request', 'get'], summary: 'Get a work request.', params: [workRequestId], http: gr('GET', '/workRequests/{workRequestId}') },
  {
    path: [G, 'work-request', 'list'],
    summary: 'List work requests.',
    params: [compartment('The OCID of the tenancy.', false), query('work-request-id', 'Only this work request.'), query('status', 'Only work requests with this status.'), query('resource-id', 'Only work requests on this resource.'), query('sort-order', 'ASC or DESC.', { choices: ['ASC', 'DESC'] })],
    http: gr('GET', '/workRequests', { paging: 'oci' }),
  },
  { path: [G, 'work-request', 'cancel'], summary: 'Cancel a work request that has not started.', params: [workRequestId], http: gr('DELETE', '/workRequests/{workRequestId}', { ifMatch: true }) },
  ...(['errors', 'logs'] as const).map(
    (kind): CommandSpec => ({
      path: [G, 'work-request', `list-work-request-${kind}`],
      summary: `List the ${kind === 'errors' ? 'errors' : 'log entries'} of a work request.`,
      params: [workRequestId, query('sort-order', 'ASC or DESC.', { choices: ['ASC', 'DESC'] })],
      http: gr('GET', `/workRequests/{workRequestId}/${kind}`, { paging: 'oci' }),
    }),
  ),
];
