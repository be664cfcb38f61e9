import type { MailTemplate } from '../../platform/mail/templates.js';

export const TENANT_WELCOME: MailTemplate = {
  subject: 'Your Tenantry tenant {{tenantName}} is ready',
  text: [
    'Hello,',
    '',
    'The tenant {{tenantName}} was created on Tenantry, with you as its administrator.',
    'Tenant id: {{tenantId}}',
    'Tenancy OCID: {{tenantOcid}}',
    '',
    'Sign in to the console: {{consoleUrl}}',
  ].join('\n'),
  html: [
    '<p>Hello,</p>',
    '<p>The tenant <strong>{{tenantName}}</strong> was created on Tenantry, with you as its administrator.</p>',
    '<p>Tenant id: <code>{{tenantId}}</code><br>Tenancy OCID: <code>{{tenantOcid}}</code></p>',
    '<p><a href="{{consoleUrl}}">Sign in to the console</a></p>',
  ].join('\n'),
};
