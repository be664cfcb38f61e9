import { body, compartment, describeGroup, pathParam, query, type CommandSpec, type HttpSpec } from '../spec.js';

// `tenantry organizations …`: the OCI Organizations API (/20230401), named as `oci organizations …`.

const V = '/20230401';
const oci = (method: HttpSpec['method'], url: string, extra: Partial<HttpSpec> = {}): HttpSpec => ({ auth: 'oci', method, url: `${V}${url}`, ...extra });

const LIFECYCLE = ['CREATING', 'ACTIVE', 'INACTIVE', 'UPDATING', 'FAILED', 'TERMINATED'] as const;
const SENDER_STATUS = ['PENDING', 'CANCELED', 'ACCEPTED', 'EXPIRED', 'FAILED', 'NOT_APPLICABLE'] as const;
const RECIPIENT_STATUS = ['PENDING', 'CANCELED', 'ACCEPTED', 'IGNORED', 'EXPIRED', 'FAILED'] as const;
const SORT = { by: ['timeCreated', 'displayName'] as const, order: ['ASC', 'DESC'] as const };

const tags = [
  body('freeform-tags', 'Free-form tags as a JSON object of strings.', { type: 'json', example: { costCenter: 'cc-42' } }),
  body('defined-tags', 'Defined tags as a JSON object of namespaces.', { type: 'json', example: { Operations: { CostCenter: '42' } } }),
];
const sortParams = [query('sort-by', 'The field to sort by.', { choices: SORT.by }), query('sort-order', 'ASC or DESC.', { choices: SORT.order })];

describeGroup('organizations', 'The OCI Organizations API (/20230401): invitations, organizations, tenancies, links, subscriptions, work requests.');
describeGroup('organizations sender-invitation', 'Invitations a parent tenancy sends to join its organization.');
describeGroup('organizations recipient-invitation', 'Invitations a tenancy received.');
describeGroup('organizations organization', 'The organization of a parent tenancy.');
describeGroup('organizations organization-tenancy', 'One tenancy of an organization.');
describeGroup('organizations governance', 'Governance opt-in and opt-out of organization tenancies.');
describeGroup('organizations governance organization-tenancy', 'Opt an organization tenancy in or out of governance.');
describeGroup('organizations child-tenancy', 'Child tenancies created by the parent.');
describeGroup('organizations work-request', 'Work requests of asynchronous operations.');

const senderId = pathParam('sender-invitation-id', 'The OCID of the sender invitation.');
const recipientId = pathParam('recipient-invitation-id', 'The OCID of the recipient invitation.');
const organizationId = pathParam('organization-id', 'The OCID of the organization.');
const tenancyParam = pathParam('organization-tenancy-id', 'The OCID of the tenancy.');

export const organizationCommands: CommandSpec[] = [
  {
    path: ['organizations', 'sender-invitation', 'create'],
    summary: 'Invite a tenancy to join the organization (asynchronous: returns a work request).',
    params: [
      body('compartment-id', 'The OCID of the sending (parent) tenancy.', { short: 'c', required: true }),
      body('recipient-tenancy-id', 'The OCID of the tenancy invited.', { required: true }),
      body('display-name', 'A name for the invitation.'),
      body('recipient-email-address', 'Where the invitation email goes.'),
      body('subjects', 'What the invitation is for: a JSON list of LINK, GOVERNANCE, EXTENDED_FEATURES.', { type: 'json', example: ['LINK', 'GOVERNANCE'] }),
      body('features', 'Extended features as a JSON list of strings.', { type: 'json', example: [] }),
      ...tags,
    ],
    http: oci('POST', '/senderInvitations', { retryToken: true, workRequest: 'organizations' }),
    examples: [
      `tenantry organizations sender-invitation create -c $PARENT --recipient-tenancy-id $CHILD --display-name 'Join Acme' --recipient-email-address finance@child.example --subjects '["LINK","GOVERNANCE"]' --freeform-tags '{"costCenter":"cc-42"}' --wait-for-state SUCCEEDED`,
    ],
  },
  {
    path: ['organizations', 'sender-invitation', 'get'],
    summary: 'Get a sender invitation.',
    params: [senderId],
    http: oci('GET', '/senderInvitations/{senderInvitationId}'),
  },
  {
    path: ['organizations', 'sender-invitation', 'list'],
    summary: 'List the invitations a tenancy sent.',
    params: [
      compartment('The OCID of the sending tenancy.'),
      query('recipient-tenancy-id', 'Only invitations to this tenancy.'),
      query('lifecycle-state', 'Only invitations in this lifecycle state.', { choices: LIFECYCLE }),
      query('status', 'Only invitations with this status.', { choices: SENDER_STATUS }),
      query('display-name', 'Only invitations with exactly this name.'),
      ...sortParams,
    ],
    http: oci('GET', '/senderInvitations', { paging: 'oci' }),
  },
  {
    path: ['organizations', 'sender-invitation', 'update'],
    summary: 'Rename or retag a sender invitation.',
    params: [senderId, body('display-name', 'The new name.'), ...tags],
    http: oci('PUT', '/senderInvitations/{senderInvitationId}', { ifMatch: true }),
  },
  {
    path: ['organizations', 'sender-invitation', 'cancel'],
    summary: 'Cancel (revoke) a pending sender invitation (asynchronous).',
    params: [senderId],
    http: oci('POST', '/senderInvitations/{senderInvitationId}/actions/cancel', { ifMatch: true, retryToken: true, workRequest: 'organizations' }),
  },
  {
    path: ['organizations', 'recipient-invitation', 'list'],
    summary: 'List the invitations a tenancy received.',
    params: [
      compartment('The OCID of the receiving tenancy.'),
      query('sender-tenancy-id', 'Only invitations from this tenancy.'),
      query('lifecycle-state', 'Only invitations in this lifecycle state.', { choices: LIFECYCLE }),
      query('status', 'Only invitations with this status.', { choices: RECIPIENT_STATUS }),
    ],
    // listRecipientInvitations takes no limit (reference §2), so only --page and --all page it.
    http: oci('GET', '/recipientInvitations', { paging: 'oci', noLimit: true }),
  },
  {
    path: ['organizations', 'recipient-invitation', 'get'],
    summary: 'Get a recipient invitation.',
    params: [recipientId],
    http: oci('GET', '/recipientInvitations/{recipientInvitationId}'),
  },
  {
    path: ['organizations', 'recipient-invitation', 'accept'],
    summary: 'Accept an invitation: the tenancy joins the organization as a child (asynchronous).',
    params: [recipientId],
    http: oci('POST', '/recipientInvitations/{recipientInvitationId}/actions/accept', { ifMatch: true, retryToken: true, workRequest: 'organizations' }),
  },
  {
    path: ['organizations', 'recipient-invitation', 'ignore'],
    summary: 'Ignore (decline) an invitation.',
    params: [recipientId],
    http: oci('POST', '/recipientInvitations/{recipientInvitationId}/actions/ignore', { ifMatch: true, retryToken: true }),
  },
  {
    path: ['organizations', 'recipient-invitation', 'update'],
    summary: 'Rename or retag a recipient invitation.',
    params: [recipientId, body('display-name', 'The new name.'), ...tags],
    http: oci('PUT', '/recipientInvitations/{recipientInvitationId}', { ifMatch: true }),
  },
  {
    path: ['organizations', 'organization', 'list'],
    summary: 'List the organizations of a tenancy.',
    params: [compartment('The OCID of the tenancy.')],
    http: oci('GET', '/organizations', { paging: 'oci' }),
  },
  {
    path: ['organizations', 'organization', 'get'],
    summary: 'Get an organization.',
    params: [organizationId],
    http: oci('GET', '/organizations/{organizationId}'),
  },
  {
    path: ['organizations', 'organization', 'update'],
    summary: "Change the organization's default subscription (asynchronous).",
    params: [organizationId, body('default-ucm-subscription-id', 'The OCID of the subscription new children are mapped to.', { required: true })],
    http: oci('PUT', '/organizations/{organizationId}', { ifMatch: true, retryToken: true, workRequest: 'organizations' }),
  },
  {
    path: ['organizations', 'organization', 'list-organization-tenancies'],
    summary: 'List the tenancies of an organization.',
    params: [organizationId],
    http: oci('GET', '/organizations/{organizationId}/tenancies', { paging: 'oci' }),
  },
  {
    path: ['organizations', 'organization-tenancy', 'get'],
    summary: 'Get one tenancy of an organization.',
    params: [organizationId, pathParam('tenancy-id', 'The OCID of the tenancy.')],
    http: oci('GET', '/organizations/{organizationId}/tenancies/{tenancyId}'),
  },
  {
    path: ['organizations', 'organization-tenancy', 'delete'],
    summary: 'Remove (terminate) a child tenancy from the organization (asynchronous).',
    params: [tenancyParam],
    http: oci('DELETE', '/organizationTenancies/{organizationTenancyId}', { ifMatch: true, retryToken: true, workRequest: 'organizations' }),
  },
  {
    path: ['organizations', 'organization-tenancy', 'restore'],
    summary: 'Restore a terminated child tenancy (asynchronous).',
    params: [tenancyParam],
    http: oci('POST', '/organizationTenancies/{organizationTenancyId}/actions/restore', { ifMatch: true, workRequest: 'organizations' }),
  },
  ...(['approve', 'unapprove'] as const).map(
    (verb): CommandSpec => ({
      path: ['organizations', 'organization-tenancy', `${verb}-organization-tenancy-for-transfer`],
      summary: `${verb === 'approve' ? 'Approve' : 'Withdraw the approval of'} a created child tenancy for transfer.`,
      params: [tenancyParam, compartment('The OCID of the parent tenancy.')],
      http: oci('POST', `/organizationTenancies/{organizationTenancyId}/actions/${verb}ForTransfer`, { ifMatch: true, retryToken: true }),
    }),
  ),
  ...(['add', 'remove'] as const).map(
    (verb): CommandSpec => ({
      path: ['organizations', 'governance', 'organization-tenancy', verb],
      summary: `Opt a tenancy ${verb === 'add' ? 'in to' : 'out of'} governance (asynchronous).`,
      params: [organizationId, tenancyParam],
      http: oci('POST', `/organizations/{organizationId}/tenancies/{organizationTenancyId}/actions/${verb}Governance`, { ifMatch: true, retryToken: true, workRequest: 'organizations' }),
    }),
  ),
  {
    path: ['organizations', 'child-tenancy', 'create'],
    summary: 'Create a child tenancy of the parent (asynchronous).',
    params: [
      body('compartment-id', 'The OCID of the parent tenancy.', { short: 'c', required: true }),
      body('tenancy-name', 'The new tenancy name (lower case letters and digits).', { required: true }),
      body('home-region', 'The home region, one the parent subscribes to.', { required: true }),
      body('admin-email', 'The email of the new tenancy administrator.', { required: true }),
      body('policy-name', 'The name of the access policy created for the parent.'),
      body('governance-status', 'OPTED_IN or OPTED_OUT.', { choices: ['OPTED_IN', 'OPTED_OUT'] }),
      body('subscription-id', 'The subscription the child uses.'),
    ],
    http: oci('POST', '/childTenancies', { retryToken: true, workRequest: 'organizations' }),
  },
  {
    path: ['organizations', 'work-request', 'get'],
    summary: 'Get a work request.',
    params: [pathParam('work-request-id', 'The OCID of the work request.')],
    http: oci('GET', '/workRequests/{workRequestId}'),
  },
  {
    path: ['organizations', 'work-request', 'list'],
    summary: 'List the work requests of a tenancy.',
    params: [compartment('The OCID of the tenancy.'), query('sort-order', 'ASC or DESC.', { choices: SORT.order })],
    http: oci('GET', '/workRequests', { paging: 'oci' }),
  },
  ...(['errors', 'logs'] as const).map(
    (kind): CommandSpec => ({
      path: ['organizations', 'work-request', `list-${kind === 'errors' ? 'work-request-errors' : 'work-request-logs'}`],
      summary: `List the ${kind === 'errors' ? 'errors' : 'log entries'} of a work request.`,
      params: [pathParam('work-request-id', 'The OCID of the work request.'), query('sort-order', 'ASC or DESC.', { choices: SORT.order })],
      http: oci('GET', `/workRequests/{workRequestId}/${kind}`, { paging: 'oci' }),
    }),
  ),
];
