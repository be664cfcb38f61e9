import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from './support/app.js';
import { launchChromium, screenshots } from './support/browser.js';
import { freePort, ROOT, startServer, type ServerProcess } from './support/server.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';

const PASSWORD = 'a long console password';
const TIMEOUT = 20_000;

describe('the web console in Chromium: both seed procedures through their labels, as two users in two tenants', () => {
  let store: TestDatabase;
  let smtp: TestSmtpServer;
  let server: ServerProcess;
  let browser: Browser;
  const operatorToken = `op-${randomBytes(16).toString('hex')}`;

  before(async () => {
    // `npm ci` builds the console (the prepare script); build it here too when a checkout skipped that.
    if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) execFileSync('npm', ['run', '-s', 'build:console'], { cwd: ROOT, stdio: 'inherit' });
    store = await createTestDatabase();
    smtp = await startSmtpServer();
    const port = await freePort();
    server = await startServer({
      ...store.env,
      PORT: String(port),
      TENANTRY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: smtp.url,
      TENANTRY_OPERATOR_TOKEN: operatorToken,
      TENANTRY_WORKER_POLL: '200ms',
      TENANTRY_LOG_LEVEL: 'warn',
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    await store?.drop();
  });

  async function tenant(name: string, adminEmail: string, subscriptionType = 'ANNUAL_COMMIT') {
    const res = await fetch(`${server.url}/admin/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, adminEmail, adminPassword: PASSWORD, subscriptionType }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as { id: string; ocid: string; name: string; admin: { email: string } };
  }

  /** A user's own browser (a context of its own: its own cookies). */
  async function userPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(TIMEOUT);
    return context.newPage();
  }

  async function signIn(page: Page, email: string, tenantName: string) {
    await page.getByRole('heading', { name: 'Sign in to Tenantry' }).waitFor();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Current tenant').getByText(tenantName, { exact: true }).waitFor();
  }

  const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)?.[0] ?? '';

  test('communities: invite a tenant, the invitee accepts from the email link, the owner confirms it twice over', async () => {
    const shot = screenshots('communities');
    const tag = randomBytes(3).toString('hex');
    const owner = await tenant(`Contoso Energy ${tag}`, `alice-${tag}@contoso.test`);
    const joiner = await tenant(`Fabrikam Water ${tag}`, `bob-${tag}@fabrikam.test`);
    const alice = await userPage();
    const bob = await userPage();

    await alice.goto(`${server.url}/console/`);
    await shot(alice, 'sign-in');
    await signIn(alice, owner.admin.email, owner.name);
    await shot(alice, 'signed-in');

    const nav = alice.getByRole('navigation', { name: 'Console navigation' });
    await nav.getByRole('heading', { name: 'Data Management' }).waitFor();
    await nav.getByRole('link', { name: 'Communities' }).click();
    await alice.getByText('Data Management › Communities').waitFor();
    await alice.getByRole('button', { name: 'Create Community' }).click();
    await alice.getByLabel('Community name').fill('Plant data');
    await alice.getByLabel('Description').fill('Telemetry of the shared plant');
    await alice.getByRole('button', { name: 'Create', exact: true }).click();
    await alice.getByRole('heading', { name: 'Community Details' }).waitFor();
    await nav.getByRole('link', { name: 'Communities' }).click();
    const row = alice.getByRole('row').filter({ hasText: 'Plant data' });
    await row.waitFor();
    await shot(alice, 'communities-overview');
    await row.getByRole('button', { name: 'Details of Plant data' }).click();

    await alice.getByRole('heading', { name: 'Community Details' }).waitFor();
    await alice.getByRole('tab', { name: 'Tenants' }).click();
    await alice.getByRole('button', { name: 'Invite Tenant' }).click();
    const invitee = `plant-partner-${tag}@fabrikam.test`;
    await alice.getByLabel('Email', { exact: true }).fill(invitee);
    await shot(alice, 'invite-tenant');
    await alice.getByRole('button', { name: 'Send' }).click();
    await alice.getByText(`Invitation sent to ${invitee}`).waitFor();

    await alice.getByRole('tab', { name: 'Invitations' }).click();
    const invitationRow = alice.getByRole('row').filter({ hasText: invitee });
    await invitationRow.getByRole('cell', { name: 'Invitation Pending' }).waitFor();
    await shot(alice, 'invitation-pending');

    // The invitee knows only what the email says.
    const [mail] = await smtp.waitFor((m) => m.to.includes(invitee), 1, 15_000);
    const link = linkIn(mail.text);
    assert.match(link, new RegExp(`^${server.url}/console/community-invitations/[0-9a-f-]{36}$`), mail.text);

    await bob.goto(link);
    await signIn(bob, joiner.admin.email, joiner.name);
    await bob.getByRole('heading', { name: 'Invitation to join Plant data' }).waitFor();
    const note = bob.getByRole('note');
    await note.getByText(joiner.name).waitFor();
    assert.match(await note.innerText(), /right tenant/);
    await bob.getByText(`alice-${tag}@contoso.test`).first().waitFor();
    await shot(bob, 'invitee-page');
    await bob.getByRole('button', { name: 'Accept' }).click();
    await bob.getByText('Accepted: awaiting confirmation').waitFor();
    await shot(bob, 'invitee-awaiting-confirmation');

    await alice.reload();
    await alice.getByRole('row').filter({ hasText: invitee }).getByRole('cell', { name: 'Invitation Accepted' }).waitFor();
    await alice.getByRole('button', { name: invitee }).click();
    const pane = alice.getByRole('dialog', { name: 'Invitation Details' });
    await pane.getByText(joiner.name).waitFor();
    await shot(alice, 'invitation-details');
    await pane.getByRole('button', { name: 'Confirm Tenant' }).click();
    const confirm = pane.getByRole('alertdialog', { name: 'Confirm Tenant' });
    assert.match(await confirm.innerText(), new RegExp(`expected tenant is joining: ${joiner.name}`));
    await shot(alice, 'confirm-tenant-asks-again');
    await confirm.getByRole('button', { name: 'Confirm Tenant' }).click();
    await pane.getByText('Tenant confirmed').waitFor();
    await pane.getByTestId('invitation-status').getByText('Confirmed').waitFor();
    await shot(alice, 'tenant-confirmed');

    await alice.getByRole('tab', { name: 'Tenants' }).click();
    const joinedRow = alice.getByRole('row').filter({ hasText: joiner.name });
    await joinedRow.getByRole('cell', { name: 'Sharing Active' }).waitFor();
    await shot(alice, 'tenants-with-new-member');

    await bob.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Communities' }).click();
    await bob.getByRole('row').filter({ hasText: 'Plant data' }).waitFor();
    await shot(bob, 'invitee-communities');

    // Sign-out ends the session: the console asks to sign in again.
    await bob.getByRole('button', { name: 'Sign out' }).click();
    await bob.getByRole('heading', { name: 'Sign in to Tenantry' }).waitFor();
    await bob.reload();
    await bob.getByRole('heading', { name: 'Sign in to Tenantry' }).waitFor();
  });
  test('organizations: invite a tenancy in three steps, the recipient accepts from the email link, the parent is told and lists it as joined', async () => {
    const shot = screenshots('organizations');
    const tag = randomBytes(3).toString('hex');
    const parent = await tenant(`Acme Group ${tag}`, `carol-${tag}@acme.test`, 'ANNUAL_COMMIT');
    const child = await tenant(`Acme Retail ${tag}`, `dave-${tag}@retail.test`, 'PAYG');
    const carol = await userPage();
    const dave = await userPage();

    await carol.goto(`${server.url}/console/`);
    await signIn(carol, parent.admin.email, parent.name);
    const nav = carol.getByRole('navigation', { name: 'Console navigation' });
    await nav.getByRole('heading', { name: 'Governance & Administration' }).waitFor();
    await nav.getByRole('heading', { name: 'Organization Management' }).waitFor();
    await nav.getByRole('link', { name: 'Tenancies' }).click();
    await carol.getByText('Governance & Administration › Organization Management › Tenancies').waitFor();
    await carol.getByText('Your tenancy is not in an organization yet').waitFor();
    await shot(carol, 'tenancies-before');

    await carol.getByRole('button', { name: 'Invite tenancy' }).click();
    const panel = carol.getByRole('dialog', { name: 'Invite tenancy' });
    const recipientEmail = `finance-${tag}@retail.test`;
    await panel.getByLabel('Invitation name').fill('Join Acme Group');
    await panel.getByLabel('Recipient tenancy OCID').fill(child.ocid);
    await panel.getByLabel('Recipient email', { exact: true }).fill(recipientEmail);
    await panel.getByLabel('Confirm recipient email').fill(`other-${recipientEmail}`);
    await panel.getByLabel('Show advanced options').check();
    await panel.getByLabel('Tag key 1').fill('costCenter');
    await panel.getByLabel('Tag value 1').fill('cc-42');
    await panel.getByRole('button', { name: 'Next' }).click();
    await panel.getByRole('alert').getByText('The two recipient email addresses differ').waitFor();
    await shot(carol, 'invite-step-1-emails-differ');
    await panel.getByLabel('Confirm recipient email').fill(recipientEmail);
    await shot(carol, 'invite-step-1-tenancy-details');
    await panel.getByRole('button', { name: 'Next' }).click();

    await panel.getByText('No governance rules on this server yet.').waitFor();
    for (const filter of ['All', 'Allowed regions', 'Quota policies', 'Tags']) await panel.getByRole('radio', { name: filter, exact: true }).waitFor();
    assert.equal(await panel.getByLabel('Require tenancy to join organization governance').isChecked(), true);
    await shot(carol, 'invite-step-2-governance-rules');
    await panel.getByRole('button', { name: 'Next' }).click();

    const review = panel.getByRole('region', { name: 'Review' });
    await review.getByRole('heading', { name: 'Tenancy details' }).waitFor();
    await review.getByRole('heading', { name: 'Governance rules' }).waitFor();
    assert.match(await review.innerText(), /costCenter=cc-42/);
    assert.match(await review.innerText(), /Join organization governance\s+Required/);
    await shot(carol, 'invite-step-3-review');
    await review.getByRole('button', { name: 'Invite tenancy' }).click();
    await panel.getByText('The invitation is sent').waitFor();
    await shot(carol, 'invitation-sent');
    await panel.getByRole('button', { name: 'Close', exact: true }).click();

    await nav.getByRole('link', { name: 'Sent invitations' }).click();
    const sentRow = carol.getByRole('row').filter({ hasText: 'Join Acme Group' });
    await sentRow.getByRole('cell', { name: 'Pending' }).waitFor();
    await shot(carol, 'sent-invitation-pending');

    const [mail] = await smtp.waitFor((m) => m.to.includes(recipientEmail), 1, 15_000);
    const link = linkIn(mail.text);
    assert.ok(link.startsWith(`${server.url}/console/organizations/recipient-invitations/`), mail.text);

    await dave.goto(link);
    await signIn(dave, child.admin.email, child.name);
    await dave.getByRole('heading', { name: 'Invitation “Join Acme Group”' }).waitFor();
    await dave.getByTestId('received-status').getByText('Active').waitFor();
    await dave.getByText(parent.ocid).waitFor();
    await shot(dave, 'recipient-invitation');
    await dave.getByRole('button', { name: 'Accept' }).click();
    await dave.getByText('Accepted: your tenancy is now part of the organization.').waitFor();
    await shot(dave, 'recipient-accepted');

    // The sender's console announces the acceptance and the status moves to Accepted on its own.
    await carol.getByText(`Invitation “Join Acme Group” accepted by tenancy ${child.ocid}.`).waitFor();
    await sentRow.getByRole('cell', { name: 'Accepted' }).waitFor();
    await shot(carol, 'sender-notified-accepted');

    await nav.getByRole('link', { name: 'Tenancies' }).click();
    const headers = await carol.getByRole('columnheader').allInnerTexts();
    assert.deepEqual(headers, ['Tenancy name', 'Tenancy OCID', 'Status', 'Organization governance', 'Join Date']);
    const childRow = carol.getByRole('row').filter({ hasText: child.ocid });
    await childRow.getByRole('cell', { name: 'Joined', exact: true }).waitFor();
    const cells = await childRow.getByRole('cell').allInnerTexts();
    assert.equal(cells[0], child.name);
    assert.equal(cells[2], 'Active');
    assert.notEqual(cells[4], '—');
    await shot(carol, 'tenancies-after');

    // The child's Tenancies page lists itself and its parent.
    await dave.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Tenancies' }).click();
    await dave.getByRole('row').filter({ hasText: parent.ocid }).waitFor();
    await dave.getByRole('row').filter({ hasText: child.ocid }).waitFor();
    assert.equal(await dave.getByRole('button', { name: 'Invite tenancy' }).count(), 0, 'a child cannot invite');
    await shot(dave, 'child-tenancies');
  });
});
