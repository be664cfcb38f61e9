import { body, describeGroup, pathParam, query, type CommandSpec, type HttpSpec } from '../spec.js';

// `tenantry admin …`: the operator API (/admin/v1, ARCHITECTURE §4) for first set-up.

const op = (method: HttpSpec['method'], url: string): HttpSpec => ({ auth: 'operator', method, url: `/admin/v1${url}` });
const tenantId = pathParam('tenant-id', 'The id of the tenant.');
const userId = pathParam('user-id', 'The id of the user.');

describeGroup('admin', 'The operator API (/admin/v1): tenants, users, tokens, API keys, clients, policies. Needs the operator token ($TENANTRY_OPERATOR_TOKEN, or operator_token / operator_token_file in the profile).');
for (const [group, help] of [
  ['tenant', 'Tenants (tenancies).'],
  ['user', 'Users of a tenant.'],
  ['token', 'Bearer tokens acting as a user (for communities and streams).'],
  ['api-key', 'API signing keys of a user (for organizations).'],
  ['client', 'Client-credential clients of a tenant.'],
  ['group', 'Groups of a tenant.'],
  ['policy', 'Policies of a tenant.'],
  ['namespace', 'SDS namespaces of a tenant.'],
  ['subscription', 'Extra subscriptions of a tenant.'],
  ['rate-card', 'Rate cards of subscriptions.'],
  ['usage', 'Usage records.'],
  ['resource-usage', 'How much of each catalogued limit a tenancy uses (QUOTA governance rules refuse more).'],
  ['audit', 'The audit trail.'],
]) {
  describeGroup(`admin ${group}`, help);
}

export const adminCommands: CommandSpec[] = [
  {
    path: ['admin', 'tenant', 'create'],
    summary: 'Create a tenant with its administrator.',
    params: [
      body('name', 'The tenant name.', { required: true }),
      body('admin-email', 'The email of its administrator.', { required: true }),
      body('admin-password', 'The administrator password (console login).'),
      body('home-region', 'The home region (default: the first of TENANTRY_REGIONS).'),
      body('subscription-type', 'Decides what it may do in organizations.', { choices: ['ANNUAL_COMMIT', 'PAYG', 'FREE_TIER', 'TRIAL'] }),
    ],
    http: op('POST', '/tenants'),
    examples: ['tenantry admin tenant create --name Acme --admin-email admin@acme.example --subscription-type ANNUAL_COMMIT'],
  },
  { path: ['admin', 'tenant', 'list'], summary: 'List tenants.', params: [], http: op('GET', '/tenants') },
  {
    path: ['admin', 'user', 'create'],
    summary: 'Create a user in a tenant.',
    params: [
      tenantId,
      body('email', 'The user email.', { required: true }),
      body('name', 'The display name.'),
      body('password', 'The console password.'),
      body('roles', 'A JSON list of TenantAdministrator, TenantMember, CommunityAdministrator, TenantDataSteward.', { type: 'json', example: ['TenantMember'] }),
      body('groups', 'A JSON list of group names.', { type: 'json', example: [] }),
    ],
    http: op('POST', '/tenants/{tenantId}/users'),
  },
  {
    path: ['admin', 'token', 'create'],
    summary: 'Issue a bearer token acting as a user.',
    params: [userId, body('ttl-seconds', 'Lifetime in seconds (default 86400).', { type: 'integer' })],
    http: op('POST', '/users/{userId}/tokens'),
  },
  {
    path: ['admin', 'api-key', 'create'],
    summary: "Register a user's public key for OCI request signing; prints its fingerprint and keyId.",
    params: [userId, body('public-key-file', 'The PEM public key file (tenantry setup keys writes one).', { type: 'file', key: 'publicKey', required: true })],
    http: op('POST', '/users/{userId}/api-keys'),
  },
  {
    path: ['admin', 'client', 'create'],
    summary: 'Create a client-credential client of a tenant.',
    params: [tenantId, body('name', 'The client name.', { required: true }), body('roles', 'A JSON list of role names.', { type: 'json', required: true, example: ['TenantAdministrator'] })],
    http: op('POST', '/tenants/{tenantId}/clients'),
  },
  {
    path: ['admin', 'group', 'create'],
    summary: 'Create a group of users.',
    params: [tenantId, body('name', 'The group name.', { required: true }), body('members', 'A JSON list of user ids.', { type: 'json', example: [] })],
    http: op('POST', '/tenants/{tenantId}/groups'),
  },
  {
    path: ['admin', 'policy', 'create'],
    summary: 'Create a policy.',
    params: [
      tenantId,
      body('name', 'The policy name.', { required: true }),
      body('statements', 'A JSON list of statements.', { type: 'json', required: true, example: ['Allow group G to manage organizations-family in tenancy'] }),
    ],
    http: op('POST', '/tenants/{tenantId}/policies'),
  },
  {
    path: ['admin', 'namespace', 'create'],
    summary: 'Create an SDS namespace.',
    params: [tenantId, body('namespace-id', 'The namespace id.', { key: 'id', required: true })],
    http: op('POST', '/tenants/{tenantId}/namespaces'),
  },
  {
    path: ['admin', 'subscription', 'create'],
    summary: 'Add one more subscription to a tenant.',
    params: [tenantId, body('display-name', 'The subscription name.')],
    http: op('POST', '/tenants/{tenantId}/subscriptions'),
  },
  {
    path: ['admin', 'rate-card', 'set'],
    summary: 'Set the rate card of a subscription.',
    params: [
      pathParam('subscription-id', 'The OCID of the subscription.'),
      body('items', 'A JSON list of {service, unit, unitPrice, currency}.', { type: 'json', required: true, example: [{ service: 'compute', unit: 'OCPU_HOUR', unitPrice: 0.05, currency: 'USD' }] }),
    ],
    http: op('PUT', '/subscriptions/{subscriptionId}/rate-card'),
  },
  {
    path: ['admin', 'usage', 'record'],
    summary: 'Record usage (idempotent per record id).',
    params: [body('records', 'A JSON list of {id, tenancyId, service, resource, quantity, unit, time}.', { type: 'json', required: true, example: [] })],
    http: op('POST', '/usage'),
  },
  {
    path: ['admin', 'resource-usage', 'set'],
    summary: 'Set how much of one limit a tenancy uses in a region; refused past its quota or service limit.',
    params: [
      pathParam('tenant-id', 'The id of the tenant.'),
      body('service-name', 'The service (quota family) of the limits catalogue, e.g. compute-core.', { required: true }),
      body('limit-name', 'The limit, e.g. standard-e4-core-count.', { required: true }),
      body('used', 'The amount in use now.', { type: 'integer', required: true }),
      body('region', 'The region (default: the home region).'),
    ],
    http: op('PUT', '/tenants/{tenantId}/resource-usage'),
  },
  {
    path: ['admin', 'resource-usage', 'list'],
    summary: "List a tenant's reported resource usage with what its limits and quotas leave.",
    params: [pathParam('tenant-id', 'The id of the tenant.')],
    http: op('GET', '/tenants/{tenantId}/resource-usage'),
  },
  {
    path: ['admin', 'audit', 'list'],
    summary: 'List audit events, newest first.',
    params: [query('tenant-id', 'Only events of resources of this tenant.'), query('resource-id', 'Only events of this resource.'), query('page', 'The nextPage value of the previous answer.')],
    http: op('GET', '/audit'),
  },
];
