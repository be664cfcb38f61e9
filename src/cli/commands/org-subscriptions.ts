import { body, compartment, describeGroup, pathParam, query, type CommandSpec, type HttpSpec } from '../spec.js';

// Links, subscriptions, assigned subscriptions and subscription mappings of the Organizations API.

const oci = (method: HttpSpec['method'], url: string, extra: Partial<HttpSpec> = {}): HttpSpec => ({ auth: 'oci', method, url: `/20230401${url}`, ...extra });
const sortParams = [query('sort-by', 'The field to sort by.', { choices: ['timeCreated', 'displayName'] }), query('sort-order', 'ASC or DESC.', { choices: ['ASC', 'DESC'] })];

describeGroup('organizations link', 'Links between a parent tenancy and its children.');
describeGroup('organizations subscription', 'Subscriptions of a tenancy.');
describeGroup('organizations assigned-subscription', 'Subscriptions assigned to a tenancy.');
describeGroup('organizations subscription-mapping', 'Which subscription a tenancy of the organization uses.');

const linkId = pathParam('link-id', 'The OCID of the link.');
const subscriptionId = pathParam('subscription-id', 'The OCID of the subscription.');
const mappingId = pathParam('subscription-mapping-id', 'The OCID of the subscription mapping.');

export const orgSubscriptionCommands: CommandSpec[] = [
  {
    path: ['organizations', 'link', 'list'],
    summary: 'List links.',
    params: [
      query('parent-tenancy-id', 'Only links of this parent.'),
      query('child-tenancy-id', 'Only links of this child.'),
      query('lifecycle-state', 'Only links in this state.', { choices: ['CREATING', 'ACTIVE', 'INACTIVE', 'UPDATING', 'FAILED', 'TERMINATED'] }),
      query('sort-order', 'ASC or DESC.', { choices: ['ASC', 'DESC'] }),
    ],
    http: oci('GET', '/links', { paging: 'oci' }),
  },
  { path: ['organizations', 'link', 'get'], summary: 'Get a link.', params: [linkId], http: oci('GET', '/links/{linkId}') },
  {
    path: ['organizations', 'link', 'delete'],
    summary: 'Unlink an invited child tenancy (asynchronous).',
    params: [linkId],
    http: oci('DELETE', '/links/{linkId}', { ifMatch: true, workRequest: 'organizations' }),
  },
  {
    path: ['organizations', 'subscription', 'list'],
    summary: 'List the subscriptions of a tenancy.',
    params: [compartment('The OCID of the tenancy.', false), query('entity-version', 'V1 or V2.', { choices: ['V1', 'V2'] }), ...sortParams],
    http: oci('GET', '/subscriptions', { paging: 'oci' }),
  },
  { path: ['organizations', 'subscription', 'get'], summary: 'Get a subscription.', params: [subscriptionId], http: oci('GET', '/subscriptions/{subscriptionId}') },
  {
    path: ['organizations', 'subscription', 'list-available-regions'],
    summary: 'List the regions a subscription may use.',
    params: [subscriptionId],
    http: oci('GET', '/subscriptions/{subscriptionId}/availableRegions', { paging: 'oci', noLimit: true }),
  },
  {
    path: ['organizations', 'assigned-subscription', 'list'],
    summary: 'List the subscriptions assigned to a tenancy.',
    params: [compartment('The OCID of the tenancy.'), query('subscription-id', 'Only this subscription.'), query('entity-version', 'V1 or V2.', { choices: ['V1', 'V2'] }), ...sortParams],
    http: oci('GET', '/assignedSubscriptions', { paging: 'oci' }),
  },
  {
    path: ['organizations', 'assigned-subscription', 'get'],
    summary: 'Get an assigned subscription.',
    params: [pathParam('assigned-subscription-id', 'The OCID of the assigned subscription.')],
    http: oci('GET', '/assignedSubscriptions/{assignedSubscriptionId}'),
  },
  {
    path: ['organizations', 'subscription-mapping', 'create'],
    summary: 'Map a tenancy of the organization to a subscription.',
    params: [
      body('compartment-id', 'The OCID of the tenancy to map.', { short: 'c', required: true }),
      body('subscription-id', 'The OCID of the subscription.', { required: true }),
    ],
    http: oci('POST', '/subscriptionMappings', { ifMatch: true, retryToken: true }),
  },
  {
    path: ['organizations', 'subscription-mapping', 'list'],
    summary: 'List subscription mappings.',
    params: [
      query('subscription-id', 'The OCID of the subscription.', { required: true }),
      compartment('Only mappings of this tenancy.', false),
      query('subscription-mapping-id', 'Only this mapping.'),
      query('lifecycle-state', 'Only mappings in this state.', { choices: ['CREATING', 'ACTIVE', 'INACTIVE', 'UPDATING', 'DELETING', 'DELETED', 'FAILED'] }),
      ...sortParams,
    ],
    http: oci('GET', '/subscriptionMappings', { paging: 'oci' }),
  },
  { path: ['organizations', 'subscription-mapping', 'get'], summary: 'Get a subscription mapping.', params: [mappingId], http: oci('GET', '/subscriptionMappings/{subscriptionMappingId}') },
  {
    path: ['organizations', 'subscription-mapping', 'delete'],
    summary: 'Delete a mapping: the tenancy goes back to the default subscription.',
    params: [mappingId],
    http: oci('DELETE', '/subscriptionMappings/{subscriptionMappingId}', { ifMatch: true }),
  },
];
