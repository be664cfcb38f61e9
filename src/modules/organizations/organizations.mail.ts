import type { MailTemplate } from '../../platform/mail/templates.js';

export const ORGANIZATION_INVITATION: MailTemplate = {
  subject: '{{senderName}} invites your tenancy to join its organization',
  text: [
    'Hello,',
    '',
    'The tenancy {{senderName}} ({{senderTenancyId}}) invites your tenancy {{recipientName}} to join its organization: "{{displayName}}".',
    'Invitation id: {{recipientInvitationId}}',
    'Sender invitation id: {{senderInvitationId}}',
    'It expires on {{expiresAt}}.',
    '',
    'Review, accept or decline it in the console: {{consoleUrl}}',
  ].join('\n'),
  html: [
    '<p>Hello,</p>',
    '<p>The tenancy <strong>{{senderName}}</strong> (<code>{{senderTenancyId}}</code>) invites your tenancy <strong>{{recipientName}}</strong> to join its organization: “{{displayName}}”.</p>',
    '<p>Invitation id: <code>{{recipientInvitationId}}</code><br>Sender invitation id: <code>{{senderInvitationId}}</code><br>It expires on {{expiresAt}}.</p>',
    '<p><a href="{{consoleUrl}}">Review the invitation in the console</a></p>',
  ].join('\n'),
};
