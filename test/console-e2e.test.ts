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
    return (await res.json()) as { id: string; ocid: string; name: string; admin: { id: string; email: string } };
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
    const childRow = carol.getByRole('row').filter({ hasText: child.ocid });
    await childRow.getByRole('cell', { name: 'Joined', exact: true }).waitFor();
    const headers = await carol.getByRole('columnheader').allInnerTexts();
    assert.deepEqual(headers, ['Tenancy name', 'Tenancy OCID', 'Status', 'Organization governance', 'Join Date']);
    const cells = await childRow.getByRole('cell').allInnerTexts();
    assert.equal(cells[0], child.name);
    assert.equal(cells[2], 'Active');
    assert.notEqual(cells[4], '—');
    await shot(carol, 'tenancies-after');

    // Subscriptions: the child is mapped to the organization's default subscription.
    await nav.getByRole('link', { name: 'Subscriptions' }).click();
    await carol.getByRole('row').filter({ hasText: child.name }).getByRole('cell', { name: 'Default', exact: true }).waitFor();
    await carol.getByText('No cost report on this server yet').waitFor();
    await shot(carol, 'subscriptions');

    // The child's Tenancies page lists itself and its parent.
    await dave.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Tenancies' }).click();
    await dave.getByRole('row').filter({ hasText: parent.ocid }).waitFor();
    await dave.getByRole('row').filter({ hasText: child.ocid }).waitFor();
    assert.equal(await dave.getByRole('button', { name: 'Invite tenancy' }).count(), 0, 'a child cannot invite');
    await shot(dave, 'child-tenancies');
  });
  /** An OCS call with a bearer token (to set up what a test is not about). */
  async function ocs(token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  async function tokenOf(userId: string): Promise<string> {
    const res = await fetch(`${server.url}/admin/v1/users/${userId}/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return ((await res.json()) as { token: string }).token;
  }

  test('communities, the rest of the page: pause and resume, alias, resend, delete, decline, community users, a shared stream chart, remove a tenant', async () => {
    const shot = screenshots('community-management');
    const tag = randomBytes(3).toString('hex');
    const owner = await tenant(`Northwind ${tag}`, `erin-${tag}@northwind.test`);
    const member = await tenant(`Tailspin ${tag}`, `frank-${tag}@tailspin.test`);
    const ownerToken = await tokenOf(owner.admin.id);
    const memberToken = await tokenOf(member.admin.id);
    // Set up over the API: a community both tenants are in, and a stream of the owner shared into it.
    const community = await ocs(ownerToken, 'POST', '/api/v1-preview/Communities', { Name: 'Grid', Description: 'grid telemetry' });
    const first = await ocs(ownerToken, 'POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, { InvitationRecipient: `ops-${tag}@tailspin.test` });
    await ocs(memberToken, 'PUT', `/api/v1-preview/CommunityInvitations/${first.Id}`, { Action: 'Accept' });
    await ocs(ownerToken, 'PUT', `/api/v1-preview/CommunityInvitations/${first.Id}`, { Action: 'Confirm' });
    await fetch(`${server.url}/admin/v1/tenants/${owner.id}/namespaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'data' }),
    });
    const ns = `/api/v1/Tenants/${owner.id}/Namespaces/data`;
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();
    await ocs(ownerToken, 'POST', `${ns}/Types/Reading`, {
      Id: 'Reading',
      SdsTypeCode: 'Object',
      Properties: [
        { Id: 'Time', IsKey: true, SdsType: { SdsTypeCode: 'DateTime' } },
        { Id: 'Value', SdsType: { SdsTypeCode: 'Double' } },
      ],
    });
    await ocs(ownerToken, 'POST', `${ns}/Streams/load`, { TypeId: 'Reading', Name: 'Feeder load', Description: 'MW' });
    await ocs(ownerToken, 'POST', `${ns}/Streams/load/Data`, [3, 5, 4, 8, 6].map((v, i) => ({ Time: at(i), Value: v })));
    const acl = await ocs(ownerToken, 'GET', `${ns}/Streams/load/AccessControl`);
    acl.RoleTrusteeAccessControlEntries.push({ Trustee: { Type: 3, ObjectId: community.MemberRoleId }, AccessType: 0, AccessRights: 1 });
    await ocs(ownerToken, 'PUT', `${ns}/Streams/load/AccessControl`, acl);

    const frank = await userPage();
    await frank.goto(`${server.url}/console/communities/${community.Id}`);
    await signIn(frank, member.admin.email, member.name);
    const myRow = frank.getByRole('row').filter({ hasText: `${member.name} (your tenant)` });
    await myRow.getByRole('button', { name: 'Pause sharing' }).click();
    await myRow.getByRole('cell', { name: 'Sharing Paused' }).waitFor();
    await shot(frank, 'member-paused-sharing');
    await myRow.getByRole('button', { name: 'Resume sharing' }).click();
    await myRow.getByRole('cell', { name: 'Sharing Active' }).waitFor();
    await frank.getByLabel('Community alias').fill('Our grid');
    await frank.getByRole('button', { name: 'Save' }).click();
    await frank.getByRole('definition').getByText('Our grid', { exact: true }).waitFor();
    await shot(frank, 'member-alias');

    // Community users: the member gives itself the community member role, then reads the chart.
    await frank.getByRole('tab', { name: 'Community users' }).click();
    await frank.getByLabel('User id').fill(member.admin.id);
    await frank.getByRole('button', { name: 'Add user' }).click();
    await frank.getByRole('row').filter({ hasText: member.admin.email }).waitFor();
    await shot(frank, 'member-community-users');
    await frank.getByRole('tab', { name: 'Shared streams' }).click();
    await frank.getByRole('row').filter({ hasText: owner.name }).getByRole('button', { name: 'Feeder load' }).click();
    await frank.getByRole('button', { name: 'Show values' }).click();
    const chart = frank.getByRole('img', { name: /Value of Feeder load: 5 values from 3 to 8/ });
    await chart.waitFor();
    assert.equal(await chart.locator('circle').count(), 5);
    await frank.getByLabel('Start index').fill(at(1));
    await frank.getByLabel('End index').fill(at(3));
    await frank.getByRole('button', { name: 'Show values' }).click();
    await frank.getByRole('img', { name: /3 values from 4 to 8/ }).waitFor();
    await shot(frank, 'member-stream-chart');

    // The owner resends and deletes one invitation; another is declined by its recipient.
    const erin = await userPage();
    await erin.goto(`${server.url}/console/communities/${community.Id}/invitations`);
    await signIn(erin, owner.admin.email, owner.name);
    const again = `again-${tag}@tailspin.test`;
    const gone = `gone-${tag}@tailspin.test`;
    for (const email of [again, gone]) await ocs(ownerToken, 'POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, { InvitationRecipient: email });
    const declined = await ocs(ownerToken, 'POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, { InvitationRecipient: `no-${tag}@elsewhere.test` });
    const outsider = await tenant(`Elsewhere ${tag}`, `gina-${tag}@elsewhere.test`);
    const gina = await userPage();
    await gina.goto(`${server.url}/console/community-invitations/${declined.Id}`);
    await signIn(gina, outsider.admin.email, outsider.name);
    await gina.getByRole('button', { name: 'Decline' }).click();
    await gina.getByText('You declined this invitation.').waitFor();

    await erin.reload();
    await erin.getByRole('row').filter({ hasText: `no-${tag}@elsewhere.test` }).getByRole('cell', { name: 'Invitation Declined' }).waitFor();
    await erin.getByRole('row').filter({ hasText: first.InvitationRecipient }).getByRole('cell', { name: 'Confirmed' }).waitFor();
    await erin.getByRole('button', { name: again }).click();
    let pane = erin.getByRole('dialog', { name: 'Invitation Details' });
    await pane.getByRole('button', { name: 'Resend' }).click();
    await pane.getByText('Invitation sent again.').waitFor();
    await smtp.waitFor((m) => m.to.includes(again), 2, 15_000);
    await erin.getByRole('button', { name: gone }).click();
    pane = erin.getByRole('dialog', { name: 'Invitation Details' });
    await pane.getByRole('button', { name: 'Delete' }).click();
    await pane.getByRole('button', { name: 'Delete invitation' }).click();
    await pane.waitFor({ state: 'detached' });
    await erin.getByRole('button', { name: gone }).waitFor({ state: 'detached' });
    await shot(erin, 'owner-invitations-statuses');

    // An action the API refuses is shown in words next to it.
    await erin.getByRole('tab', { name: 'Tenants' }).click();
    await erin.getByRole('button', { name: 'Invite Tenant' }).click();
    await erin.getByLabel('Email', { exact: true }).fill('not-an-email@');
    await erin.getByLabel('Email', { exact: true }).evaluate((el) => el.removeAttribute('type'));
    await erin.getByRole('button', { name: 'Send' }).click();
    const refusal = erin.getByRole('form', { name: 'Invite Tenant' }).getByRole('alert');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /InvitationRecipient|email/i);
    await shot(erin, 'owner-invite-error-in-words');

    const memberRow = erin.getByRole('row').filter({ hasText: member.name });
    await memberRow.getByRole('button', { name: 'Remove tenant' }).click();
    await erin.getByRole('alertdialog', { name: 'Remove tenant' }).getByRole('button', { name: 'Remove', exact: true }).click();
    await memberRow.waitFor({ state: 'detached' });
    await shot(erin, 'owner-removed-tenant');
  });
  test('organizations: the sender revokes one invitation, another recipient declines from its received invitations, and the sent list filters by status on the server', async () => {
    const shot = screenshots('organization-invitations');
    const tag = randomBytes(3).toString('hex');
    const parent = await tenant(`Globex ${tag}`, `hank-${tag}@globex.test`, 'ANNUAL_COMMIT');
    const revoked = await tenant(`Initech ${tag}`, `ivy-${tag}@initech.test`, 'PAYG');
    const declining = await tenant(`Hooli ${tag}`, `jack-${tag}@hooli.test`, 'PAYG');
    const hank = await userPage();
    await hank.goto(`${server.url}/console/organizations/tenancies`);
    await signIn(hank, parent.admin.email, parent.name);

    const invite = async (name: string, ocid: string, email: string) => {
      await hank.getByRole('button', { name: 'Invite tenancy' }).click();
      const panel = hank.getByRole('dialog', { name: 'Invite tenancy' });
      await panel.getByLabel('Invitation name').fill(name);
      await panel.getByLabel('Recipient tenancy OCID').fill(ocid);
      await panel.getByLabel('Recipient email', { exact: true }).fill(email);
      await panel.getByLabel('Confirm recipient email').fill(email);
      await panel.getByRole('button', { name: 'Next' }).click();
      await panel.getByLabel('Require tenancy to join organization governance').uncheck();
      await panel.getByRole('button', { name: 'Next' }).click();
      assert.match(await panel.getByRole('region', { name: 'Review' }).innerText(), /Join organization governance\s+Not required/);
      await panel.getByRole('button', { name: 'Invite tenancy', exact: true }).click();
      await panel.getByText('The invitation is sent').waitFor();
      await panel.getByRole('button', { name: 'Close', exact: true }).click();
    };
    await invite('To be revoked', revoked.ocid, `ivy-${tag}@initech.test`);
    await invite('To be declined', declining.ocid, `jack-${tag}@hooli.test`);

    const nav = hank.getByRole('navigation', { name: 'Console navigation' });
    await nav.getByRole('link', { name: 'Sent invitations' }).click();
    const revokeRow = hank.getByRole('row').filter({ hasText: 'To be revoked' });
    await revokeRow.getByRole('button', { name: 'Revoke' }).click();
    await hank.getByText('Revoking the invitation: Succeeded').waitFor();
    await revokeRow.getByRole('cell', { name: 'Canceled' }).waitFor();
    await shot(hank, 'sender-revoked');

    const jack = await userPage();
    await jack.goto(`${server.url}/console/`);
    await signIn(jack, declining.admin.email, declining.name);
    await jack.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Received invitations' }).click();
    const received = jack.getByRole('row').filter({ hasText: 'To be declined' });
    await received.getByRole('cell', { name: 'Active' }).waitFor();
    await shot(jack, 'recipient-received-list');
    await received.getByRole('link', { name: 'To be declined' }).click();
    await jack.getByText('Joins organization governance').waitFor();
    await jack.getByRole('button', { name: 'Decline' }).click();
    await jack.getByText('You declined the invitation.').waitFor();
    await jack.getByTestId('received-status').getByText('Ignored').waitFor();
    await shot(jack, 'recipient-declined');

    await hank.getByLabel('Status').selectOption('CANCELED');
    await hank.getByRole('row').filter({ hasText: 'To be revoked' }).waitFor();
    assert.equal(await hank.getByRole('row').filter({ hasText: 'To be declined' }).count(), 0);
    await hank.getByLabel('Status').selectOption('ACCEPTED');
    await hank.getByText('No invitation with status Accepted.').waitFor();
    await shot(hank, 'sender-filtered');
  });
});
