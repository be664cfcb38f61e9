import { compartment, describeGroup, pathParam, query, type CommandSpec, type HttpSpec } from '../spec.js';

// `tenantry governance-rules-control-plane …`: the OCI Governance Rules API (/20220504). This
// server does not serve it yet; the read commands exist so that scripts get a clear answer
// ("not available on this server", exit 4) instead of an unknown-command error.

const UNAVAILABLE = 'the Governance Rules API (/20220504) is not available on this server';
const gr = (url: string, extra: Partial<HttpSpec> = {}): HttpSpec => ({ auth: 'oci', method: 'GET', url: `/20220504${url}`, unavailableMessage: UNAVAILABLE, ...extra });

describeGroup('governance-rules-control-plane', `The OCI Governance Rules API (/20220504). Note: ${UNAVAILABLE} yet; these commands say so.`);
describeGroup('governance-rules-control-plane governance-rule', 'Governance rules of a parent tenancy.');
describeGroup('governance-rules-control-plane enforced-governance-rule', 'Rules enforced on a child tenancy.');
describeGroup('governance-rules-control-plane tenancy-attachment', 'Attachments of rules to tenancies.');
describeGroup('governance-rules-control-plane work-request', 'Work requests of the Governance Rules API.');

export const governanceRuleCommands: CommandSpec[] = [
  { path: ['governance-rules-control-plane', 'governance-rule', 'list'], summary: 'List governance rules.', params: [compartment('The OCID of the parent tenancy.')], http: gr('/governanceRules', { paging: 'oci' }) },
  { path: ['governance-rules-control-plane', 'governance-rule', 'get'], summary: 'Get a governance rule.', params: [pathParam('governance-rule-id', 'The OCID of the rule.')], http: gr('/governanceRules/{governanceRuleId}') },
  { path: ['governance-rules-control-plane', 'enforced-governance-rule', 'list'], summary: 'List enforced governance rules.', params: [compartment('The OCID of the child tenancy.')], http: gr('/enforcedGovernanceRules', { paging: 'oci' }) },
  { path: ['governance-rules-control-plane', 'enforced-governance-rule', 'get'], summary: 'Get an enforced governance rule.', params: [pathParam('enforced-governance-rule-id', 'The OCID of the enforced rule.')], http: gr('/enforcedGovernanceRules/{enforcedGovernanceRuleId}') },
  { path: ['governance-rules-control-plane', 'tenancy-attachment', 'list'], summary: 'List tenancy attachments.', params: [compartment('The OCID of the parent tenancy.'), query('governance-rule-id', 'Only attachments of this rule.')], http: gr('/tenancyAttachments', { paging: 'oci' }) },
  { path: ['governance-rules-control-plane', 'tenancy-attachment', 'get'], summary: 'Get a tenancy attachment.', params: [pathParam('tenancy-attachment-id', 'The OCID of the attachment.')], http: gr('/tenancyAttachments/{tenancyAttachmentId}') },
  { path: ['governance-rules-control-plane', 'work-request', 'list'], summary: 'List work requests.', params: [compartment('The OCID of the tenancy.')], http: gr('/workRequests', { paging: 'oci' }) },
  { path: ['governance-rules-control-plane', 'work-request', 'get'], summary: 'Get a work request.', params: [pathParam('work-request-id', 'The OCID of the work request.')], http: gr('/workRequests/{workRequestId}') },
];
