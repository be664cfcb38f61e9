import { body, describeGroup, pathParam, query, type CommandSpec, type HttpSpec } from '../spec.js';

// `tenantry communities …`: the OCS communities dialect (/api/v1), bearer-authenticated.

const ocs = (method: HttpSpec['method'], url: string, extra: Partial<HttpSpec> = {}): HttpSpec => ({ auth: 'bearer', method, url: `/api/v1${url}`, ...extra });
const communityId = pathParam('community-id', 'The id (GUID) of the community.');
const invitationId = pathParam('invitation-id', 'The id (GUID) of the invitation.');
const tenantId = pathParam('tenant-id', 'The id (GUID) of the member tenant (default: tenant_id of the profile).', { profileKey: 'tenant_id' });
const ownTenant = pathParam('tenant-id', 'Your tenant id (GUID; default: tenant_id of the profile).', { profileKey: 'tenant_id' });

describeGroup('communities', 'OCS communities (/api/v1): communities, the invite → accept → confirm handshake, member tenants, users and shared streams. Bearer token from the profile (token, or client_id and client_secret).');
describeGroup('communities community', 'Communities your tenant belongs to.');
describeGroup('communities invitation', 'Invitations: the owner invites, the invitee accepts or declines, the owner confirms.');
describeGroup('communities tenant', 'Member tenants of a community.');
describeGroup('communities user', 'Users of a member tenant taking part in a community.');
describeGroup('communities client', 'Client-credential clients of a member tenant taking part in a community.');
describeGroup('communities stream', 'Streams shared into a community.');

/** The recipient side: PUT /CommunityInvitations/{id} with an Action. */
const act = (action: 'Accept' | 'Decline' | 'Confirm' | 'Resend', summary: string, extra: CommandSpec['params'] = []): CommandSpec => ({
  path: ['communities', 'invitation', action.toLowerCase()],
  summary,
  params: [invitationId, ...extra],
  http: ocs('PUT', '/CommunityInvitations/{invitationId}', { fixedBody: { Action: action } }),
});

const memberCommands = (kind: 'user' | 'client'): CommandSpec[] => {
  const collection = kind === 'user' ? 'Users' : 'ClientCredentialClients';
  const id = pathParam(`${kind}-id`, `The id of the ${kind}.`);
  const base = `/Communities/{communityId}/Tenants/{tenantId}/${collection}`;
  return [
    { path: ['communities', kind, 'list'], summary: `List the ${kind}s of a member tenant in the community.`, params: [communityId, tenantId], http: ocs('GET', base, { paging: 'ocs' }) },
    {
      path: ['communities', kind, 'add'],
      summary: `Add a ${kind} of your tenant to the community (with community role ids).`,
      params: [communityId, tenantId, id, body('role-ids', 'A JSON list of community role ids.', { type: 'json', example: [] })],
      http: ocs('PUT', `${base}/{${kind}Id}`, { bodyFrom: 'role-ids' }),
    },
    { path: ['communities', kind, 'remove'], summary: `Remove a ${kind} from the community.`, params: [communityId, tenantId, id], http: ocs('DELETE', `${base}/{${kind}Id}`) },
  ];
};

export const communityCommands: CommandSpec[] = [
  {
    path: ['communities', 'community', 'create'],
    summary: 'Create a community owned by your tenant.',
    params: [
      body('name', 'The community name.', { key: 'Name', required: true }),
      body('description', 'What it is for.', { key: 'Description' }),
      body('preferred-region-id', 'The preferred region.', { key: 'PreferredRegionId' }),
      body('contact-email', "Your tenant's contact email in the community.", { key: 'ContactEmail' }),
    ],
    http: ocs('POST', '/Communities'),
  },
  { path: ['communities', 'community', 'list'], summary: 'List your communities.', params: [], http: ocs('GET', '/Communities', { paging: 'ocs' }) },
  { path: ['communities', 'community', 'get'], summary: 'Get a community with its tenants.', params: [communityId], http: ocs('GET', '/Communities/{communityId}') },
  {
    path: ['communities', 'community', 'update'],
    summary: 'Rename or describe a community.',
    params: [communityId, body('name', 'The new name.', { key: 'Name' }), body('description', 'The new description.', { key: 'Description' }), body('preferred-region-id', 'The preferred region.', { key: 'PreferredRegionId' })],
    http: ocs('PUT', '/Communities/{communityId}'),
  },
  { path: ['communities', 'community', 'delete'], summary: 'Delete a community.', params: [communityId], http: ocs('DELETE', '/Communities/{communityId}') },
  { path: ['communities', 'community', 'list-roles'], summary: 'List the roles of a community.', params: [communityId], http: ocs('GET', '/Communities/{communityId}/Roles', { paging: 'ocs' }) },
  {
    path: ['communities', 'invitation', 'create'],
    summary: 'Invite a tenant (by email) to the community.',
    params: [communityId, body('recipient', 'The email the invitation goes to.', { key: 'InvitationRecipient', required: true })],
    http: ocs('POST', '/Communities/{communityId}/Invitations'),
  },
  { path: ['communities', 'invitation', 'list'], summary: 'List the invitations of a community.', params: [communityId], http: ocs('GET', '/Communities/{communityId}/Invitations', { paging: 'ocs' }) },
  { path: ['communities', 'invitation', 'get'], summary: 'Get an invitation of a community.', params: [communityId, invitationId], http: ocs('GET', '/Communities/{communityId}/Invitations/{invitationId}') },
  { path: ['communities', 'invitation', 'delete'], summary: 'Delete (withdraw) an invitation.', params: [communityId, invitationId], http: ocs('DELETE', '/Communities/{communityId}/Invitations/{invitationId}') },
  { path: ['communities', 'invitation', 'details'], summary: 'What the invitee sees of an invitation (by its id from the email).', params: [invitationId], http: ocs('GET', '/CommunityInvitations/{invitationId}/Details') },
  act('Accept', 'Accept an invitation sent to your tenant (the owner then confirms).', [body('contact-email', "Your tenant's contact email in the community.", { key: 'ContactEmail' })]),
  act('Decline', 'Decline an invitation sent to your tenant.'),
  act('Confirm', 'Confirm an accepted invitation: the tenant joins the community.'),
  act('Resend', 'Send an invitation email again (renews an expired invitation).'),
  {
    path: ['communities', 'invitation', 'list-pending'],
    summary: 'List invitations your tenant accepted that wait for the owner to confirm.',
    params: [ownTenant],
    http: ocs('GET', '/Tenants/{tenantId}/CommunityInvitations', { paging: 'ocs' }),
  },
  {
    path: ['communities', 'tenant', 'update'],
    summary: 'Change a member tenant: status (Active, Paused), region, contact email, alias.',
    params: [
      communityId,
      tenantId,
      body('status', 'Active or Paused.', { key: 'Status', choices: ['Active', 'Paused'] }),
      body('preferred-region-id', 'The preferred region.', { key: 'PreferredRegionId' }),
      body('contact-email', 'The contact email.', { key: 'ContactEmail' }),
      body('community-alias', 'Your name for the community.', { key: 'CommunityAlias' }),
    ],
    http: ocs('PATCH', '/Communities/{communityId}/Tenants/{tenantId}'),
  },
  {
    path: ['communities', 'tenant', 'remove'],
    summary: 'Remove a member tenant from the community (owner).',
    params: [communityId, pathParam('tenant-id', 'The id (GUID) of the tenant to remove.')],
    http: ocs('DELETE', '/Communities/{communityId}/Tenants/{tenantId}'),
  },
  {
    path: ['communities', 'tenant', 'leave'],
    summary: 'Leave the community (your own tenant).',
    params: [communityId, ownTenant],
    http: ocs('DELETE', '/Communities/{communityId}/Tenants/{tenantId}'),
  },
  { path: ['communities', 'tenant', 'access-rights'], summary: 'List the access rights of a member tenant.', params: [communityId, tenantId], http: ocs('GET', '/Communities/{communityId}/Tenants/{tenantId}/AccessRights') },
  ...memberCommands('user'),
  ...memberCommands('client'),
  {
    path: ['communities', 'stream', 'search'],
    summary: 'Search the streams shared into a community.',
    params: [communityId, query('search', 'A search expression (the OCS query parameter).', { key: 'query' }), query('order-by', 'Order of the results.')],
    http: ocs('GET', '/Search/Communities/{communityId}/Streams', { paging: 'ocs' }),
  },
  { path: ['communities', 'stream', 'summary'], summary: 'Summary of what each tenant shares in a community.', params: [communityId], http: ocs('GET', '/Communities/{communityId}/Summary') },
];
