import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { screenshots } from './support/browser.js';
import { consoleStage } from './support/console-stage.js';

describe('the web console in Chromium: organizations, as users of different tenancies', () => {
  const stage = consoleStage();
  const { tenant, userPage, signIn, linkIn } = stage;

  test('organizations: invite a tenancy in three steps, the recipient accepts from the email link, the parent is told and lists it as joined', async () => {
    const shot = screenshots('organizations');
    const tag = randomBytes(3).toString('hex');
    const parent = await tenant(`Acme Group ${tag}`, `carol-${tag}@acme.test`, 'ANNUAL_COMMIT');
    const child = await tenant(`Acme Retail ${tag}`, `dave-${tag}@retail.test`, 'PAYG');
    const carol = await userPage();
    const dave = await userPage();

    await carol.goto(`${stage.url}/console/`);
    await signIn(carol, parent.admin.email, parent.name);
    const nav = carol.getByRole('navigation', { name: 'Console navigation' });
    await nav.getByRole('heading', { name: 'Governance & Administration' }).waitFor();
    await nav.getByRole('heading', { name: 'Organization Management' }).waitFor();
    await nav.getByRole('link', { name: 'Tenancies' }).click();
    await carol.getByText('Governance & Administration › Organization Management › Tenancies').waitFor();
    await carol.getByText('Your tenancy is not in an organization yet').waitFor();
    await shot(carol, 'tenancies-before');
    // A governance rule to pick in the invitation's governance step (set up over the API, with Carol's session).
    const { csrfToken } = await (await carol.request.get(`${stage.url}/console/api/session`)).json();
    const ruleRes = await carol.request.post(`${stage.url}/20220504/governanceRules`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { compartmentId: parent.ocid, displayName: 'team quotas', type: 'QUOTA', creationOption: 'TEMPLATE', template: { type: 'QUOTA', displayName: 'team quotas', statements: ['zero resource-manager quotas in tenancy'] } },
    });
    assert.equal(ruleRes.status(), 200, await ruleRes.text());

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

    for (const filter of ['All', 'Allowed regions', 'Quota policies', 'Tags']) await panel.getByRole('radio', { name: filter, exact: true }).waitFor();
    await panel.getByLabel('Select team quotas').check();
    const requireGovernance = panel.getByLabel('Require tenancy to join organization governance');
    assert.equal(await requireGovernance.isChecked(), true);
    // Rules reach only a tenancy that joins governance.
    await requireGovernance.uncheck();
    await panel.getByRole('button', { name: 'Next' }).click();
    await panel.getByRole('alert').getByText('Governance rules apply only to a tenancy that joins organization governance').waitFor();
    await requireGovernance.check();
    await shot(carol, 'invite-step-2-governance-rules');
    await panel.getByRole('button', { name: 'Next' }).click();

    const review = panel.getByRole('region', { name: 'Review' });
    await review.getByRole('heading', { name: 'Tenancy details' }).waitFor();
    await review.getByRole('heading', { name: 'Governance rules' }).waitFor();
    assert.match(await review.innerText(), /costCenter=cc-42/);
    assert.match(await review.innerText(), /Join organization governance\s+Required/);
    assert.match(await review.innerText(), /Rules\s+team quotas/);
    await shot(carol, 'invite-step-3-review');
    await review.getByRole('button', { name: 'Invite tenancy' }).click();
    await panel.getByText('The invitation is sent').waitFor();
    await shot(carol, 'invitation-sent');
    await panel.getByRole('button', { name: 'Close', exact: true }).click();

    await nav.getByRole('link', { name: 'Sent invitations' }).click();
    const sentRow = carol.getByRole('row').filter({ hasText: 'Join Acme Group' });
    await sentRow.getByRole('cell', { name: 'Pending' }).waitFor();
    await shot(carol, 'sent-invitation-pending');

    const [mail] = await stage.smtp.waitFor((m) => m.to.includes(recipientEmail), 1, 15_000);
    const link = linkIn(mail.text);
    assert.ok(link.startsWith(`${stage.url}/console/organizations/recipient-invitations/`), mail.text);

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
    // The rule picked in the invitation is in force on the child now that it joined governance.
    const enforced = await (await dave.request.get(`${stage.url}/20220504/enforcedGovernanceRules?compartmentId=${encodeURIComponent(child.ocid)}`)).json();
    assert.deepEqual(enforced.items.map((r: { governanceRuleDisplayName: string }) => r.governanceRuleDisplayName), ['team quotas']);

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
    // Usage of both tenancies on the organization's default subscription, priced by its rate card.
    await stage.operator('PUT', `/subscriptions/${parent.subscriptionId}/rate-card`, { items: [{ service: 'compute', unit: 'OCPU-hours', unitPrice: 2, currency: 'USD' }] });
    const now = new Date().toISOString();
    const use = (id: string, tenancyId: string, quantity: number) => ({ id: `${tag}-${id}`, tenancyId, service: 'compute', resource: 'vm', quantity, unit: 'OCPU-hours', time: now });
    await stage.operator('POST', '/usage', { records: [use('1', child.ocid, 3), use('2', parent.ocid, 1)] });
    await nav.getByRole('link', { name: 'Subscriptions' }).click();
    await carol.getByRole('row').filter({ hasText: child.name }).getByRole('cell', { name: 'Default', exact: true }).waitFor();
    // Cost analysis: this month's cost per subscription, then the usage per tenant.
    const costs = carol.getByRole('table', { name: /^Cost by subscription, per day/ });
    const costRow = costs.getByRole('row').filter({ hasText: parent.subscriptionId });
    await costRow.getByRole('cell', { name: '4 OCPU-hours' }).waitFor();
    await costRow.getByRole('cell', { name: '8.00 USD' }).waitFor();
    assert.deepEqual(await costs.getByRole('columnheader').allInnerTexts(), ['Date', 'Subscription', 'Usage', 'Cost']);
    await shot(carol, 'subscriptions-cost-analysis');
    const filters = carol.getByRole('form', { name: 'Cost analysis filters' });
    await filters.getByLabel('Show').selectOption({ label: 'Usage' });
    await filters.getByLabel('Grouping dimensions').selectOption({ label: 'Tenant name' });
    await filters.getByRole('button', { name: 'Apply' }).click();
    const usage = carol.getByRole('table', { name: /^Usage by tenant name/ });
    await usage.getByRole('row').filter({ hasText: child.name }).getByRole('cell', { name: '3 OCPU-hours' }).waitFor();
    await usage.getByRole('row').filter({ hasText: parent.name }).getByRole('cell', { name: '1 OCPU-hours' }).waitFor();
    assert.deepEqual(await usage.getByRole('columnheader').allInnerTexts(), ['Date', 'Tenant name', 'Usage']);
    await shot(carol, 'subscriptions-usage-by-tenant');
    // The parent maps the child back to the child's own subscription.
    const mapping = carol.getByRole('form', { name: 'Map a tenancy to a subscription' });
    await mapping.getByRole('combobox').selectOption({ label: child.name });
    await mapping.getByLabel('Subscription OCID').fill(child.subscriptionId);
    await mapping.getByRole('button', { name: 'Map subscription' }).click();
    await mapping.getByText(`${child.name} is now mapped to subscription ${child.subscriptionId} (active).`).waitFor();
    await shot(carol, 'subscription-mapped');

    // The child's Tenancies page lists itself and its parent.
    await dave.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Tenancies' }).click();
    await dave.getByRole('row').filter({ hasText: parent.ocid }).waitFor();
    await dave.getByRole('row').filter({ hasText: child.ocid }).waitFor();
    assert.equal(await dave.getByRole('button', { name: 'Invite tenancy' }).count(), 0, 'a child cannot invite');
    await shot(dave, 'child-tenancies');
  });
  test('organizations: the sender revokes one invitation, another recipient declines from its received invitations, and the sent list filters by status on the server', async () => {
    const shot = screenshots('organization-invitations');
    const tag = randomBytes(3).toString('hex');
    const parent = await tenant(`Globex ${tag}`, `hank-${tag}@globex.test`, 'ANNUAL_COMMIT');
    const revoked = await tenant(`Initech ${tag}`, `ivy-${tag}@initech.test`, 'PAYG');
    const declining = await tenant(`Hooli ${tag}`, `jack-${tag}@hooli.test`, 'PAYG');
    const hank = await userPage();
    await hank.goto(`${stage.url}/console/organizations/tenancies`);
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
    await jack.goto(`${stage.url}/console/`);
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
    await hank.getByRole('row').filter({ hasText: 'To be declined' }).waitFor({ state: 'detached' });
    await hank.getByLabel('Status').selectOption('ACCEPTED');
    await hank.getByText('No invitation with status Accepted.').waitFor();
    await shot(hank, 'sender-filtered');
  });
});
