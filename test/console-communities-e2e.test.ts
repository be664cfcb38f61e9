import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { screenshots } from './support/browser.js';
import { consoleStage } from './support/console-stage.js';

describe('the web console in Chromium: communities, as users of different tenants', () => {
  const stage = consoleStage();
  const { tenant, userPage, signIn, linkIn, ocs, tokenOf } = stage;

  test('communities: invite a tenant, the invitee accepts from the email link, the owner confirms it twice over', async () => {
    const shot = screenshots('communities');
    const tag = randomBytes(3).toString('hex');
    const owner = await tenant(`Contoso Energy ${tag}`, `alice-${tag}@contoso.test`);
    const joiner = await tenant(`Fabrikam Water ${tag}`, `bob-${tag}@fabrikam.test`);
    const alice = await userPage();
    const bob = await userPage();

    await alice.goto(`${stage.url}/console/`);
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
    const [mail] = await stage.smtp.waitFor((m) => m.to.includes(invitee), 1, 15_000);
    const link = linkIn(mail.text);
    assert.match(link, new RegExp(`^${stage.url}/console/community-invitations/[0-9a-f-]{36}$`), mail.text);

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
    await stage.namespace(owner.id, 'data');
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
    await frank.goto(`${stage.url}/console/communities/${community.Id}`);
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
    // The tabs work from the keyboard: arrow keys select the next tab and the focus follows.
    await frank.getByRole('tab', { name: 'Tenants' }).focus();
    await frank.keyboard.press('ArrowRight');
    await frank.getByRole('tab', { name: 'Invitations', selected: true }).waitFor();
    assert.equal(await frank.evaluate(() => document.activeElement?.textContent), 'Invitations');

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
    await erin.goto(`${stage.url}/console/communities/${community.Id}/invitations`);
    await signIn(erin, owner.admin.email, owner.name);
    const again = `again-${tag}@tailspin.test`;
    const gone = `gone-${tag}@tailspin.test`;
    for (const email of [again, gone]) await ocs(ownerToken, 'POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, { InvitationRecipient: email });
    const declined = await ocs(ownerToken, 'POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, { InvitationRecipient: `no-${tag}@elsewhere.test` });
    const outsider = await tenant(`Elsewhere ${tag}`, `gina-${tag}@elsewhere.test`);
    const gina = await userPage();
    await gina.goto(`${stage.url}/console/community-invitations/${declined.Id}`);
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
    await stage.smtp.waitFor((m) => m.to.includes(again), 2, 15_000);
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
});
