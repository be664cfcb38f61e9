import type { MailTemplate } from '../../platform/mail/templates.js';

/** To the invitation's recipient: names the community, the inviting tenant and the invitation id. */
export const COMMUNITY_INVITATION: MailTemplate = {
  subject: '{{tenantName}} invites you to the community {{communityName}}',
  text: [
    'Hello,',
    '',
    '{{tenantName}} invites your tenant to join the community {{communityName}} on Tenantry.',
    'Invitation id: {{invitationId}}',
    'The invitation expires on {{expires}}.',
    '',
    'Review and accept it in the console: {{link}}',
    '',
    'After you accept, {{tenantName}} confirms your tenant before it joins.',
  ].join('\n'),
  html: [
    '<p>Hello,</p>',
    '<p><strong>{{tenantName}}</strong> invites your tenant to join the community <strong>{{communityName}}</strong> on Tenantry.</p>',
    '<p>Invitation id: <code>{{invitationId}}</code><br>The invitation expires on {{expires}}.</p>',
    '<p><a href="{{link}}">Review and accept the invitation</a></p>',
    '<p>After you accept, {{tenantName}} confirms your tenant before it joins.</p>',
  ].join('\n'),
};

export const COMMUNITY_INVITATION_RESENT: MailTemplate = {
  subject: 'Reminder: {{tenantName}} invites you to the community {{communityName}}',
  text: [
    'Hello,',
    '',
    '{{tenantName}} sent again its invitation for your tenant to join the community {{communityName}} on Tenantry.',
    'Invitation id: {{invitationId}}',
    'The invitation now expires on {{expires}}.',
    '',
    'Review and accept it in the console: {{link}}',
  ].join('\n'),
  html: [
    '<p>Hello,</p>',
    '<p><strong>{{tenantName}}</strong> sent again its invitation for your tenant to join the community <strong>{{communityName}}</strong> on Tenantry.</p>',
    '<p>Invitation id: <code>{{invitationId}}</code><br>The invitation now expires on {{expires}}.</p>',
    '<p><a href="{{link}}">Review and accept the invitation</a></p>',
  ].join('\n'),
};

/** To the inviter: the invitee accepted; the owner must confirm before the tenant joins. */
export const COMMUNITY_INVITATION_ACCEPTED: MailTemplate = {
  subject: '{{acceptedTenantName}} accepted the invitation to {{communityName}} — please confirm',
  text: [
    'Hello,',
    '',
    'The tenant {{acceptedTenantName}} ({{acceptedTenantId}}) accepted the invitation {{invitationId}} to the community {{communityName}}.',
    'Accepted by: {{acceptedBy}}',
    '',
    'Check that this is the tenant you meant to invite, then confirm it: {{link}}',
  ].join('\n'),
  html: [
    '<p>Hello,</p>',
    '<p>The tenant <strong>{{acceptedTenantName}}</strong> (<code>{{acceptedTenantId}}</code>) accepted the invitation <code>{{invitationId}}</code> to the community <strong>{{communityName}}</strong>.</p>',
    '<p>Accepted by: {{acceptedBy}}</p>',
    '<p><a href="{{link}}">Check the tenant and confirm it</a></p>',
  ].join('\n'),
};

/** To the joining tenant's contact: it is now a member. */
export const COMMUNITY_INVITATION_CONFIRMED: MailTemplate = {
  subject: 'Your tenant joined the community {{communityName}}',
  text: [
    'Hello,',
    '',
    '{{tenantName}} confirmed your tenant {{joinedTenantName}} in the community {{communityName}} (invitation {{invitationId}}).',
    'Give your users and clients the community member role to let them read what the community shares.',
    '',
    'Open the community in the console: {{link}}',
  ].join('\n'),
  html: [
    '<p>Hello,</p>',
    '<p><strong>{{tenantName}}</strong> confirmed your tenant <strong>{{joinedTenantName}}</strong> in the community <strong>{{communityName}}</strong> (invitation <code>{{invitationId}}</code>).</p>',
    '<p>Give your users and clients the community member role to let them read what the community shares.</p>',
    '<p><a href="{{link}}">Open the community</a></p>',
  ].join('\n'),
};
