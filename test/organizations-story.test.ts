import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, operator, seedTenant, type TestApp } from './support/app.js';
import { ociClients, ociError, type OciClients } from './support/oci.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';

const PUBLIC_URL = 'http://tenantry.example.test:8080';

describe('OCI Organizations: the seed story and invitation lifetimes', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let url: string;
  const opened: OciClients[] = [];

  before(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({
      liveWorker: true,
      env: { SMTP_URL: smtp.url, TENANTRY_PUBLIC_URL: PUBLIC_URL, TENANTRY_ORGANIZATION_INVITATION_TTL: '2m', TENANTRY_INVITATIONS_PER_DAY: '3' },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const oci of opened) oci.close();
    await t.close();
    await smtp.close();
  });

  const party = async (subscriptionType: string) => {
    const tenant = await seedTenant(t, { subscriptionType });
    const oci = await ociClients(t, url, tenant.admin, tenant.ocid);
    opened.push(oci);
    return { tenant, oci };
  };

  test('parent invites, the email reaches the recipient over SMTP, the recipient accepts, the parent lists its tenancies and maps the child back to its own subscription', async () => {
    const parent = await party('ANNUAL_COMMIT');
    const child = await party('PAYG');

    const created = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: {
        compartmentId: parent.tenant.ocid,
        recipientTenancyId: child.tenant.ocid,
        recipientEmailAddress: 'finance@child.example',
        displayName: 'Join Acme Group',
        subjects: ['LINK' as never, 'GOVERNANCE' as never],
        freeformTags: { costCenter: 'cc-42' },
      },
    });
    // The SDK's default waiter returns quickly: the work request finishes at once.
    const started = Date.now();
    const sentWr = await parent.oci.workRequest.createWaiters().forWorkRequest({ workRequestId: created.opcWorkRequestId! });
    assert.ok(Date.now() - started < 5000, 'the work request finished within a few seconds');
    assert.equal(sentWr.workRequest.status, 'SUCCEEDED');
    const sent = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: created.senderInvitation.id })).senderInvitation;

    const [mail] = await smtp.waitFor((m) => m.to.includes('finance@child.example'));
    assert.deepEqual(mail.to, ['finance@child.example']);
    assert.ok(mail.text.includes(sent.recipientInvitationId!), 'the email names the invitation id');
    assert.ok(mail.text.includes(parent.tenant.ocid));
    const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
    assert.ok(links.length > 0 && links.every((l) => l.startsWith(`${PUBLIC_URL}/console`)), links.join(' '));
    assert.match(mail.subject, new RegExp(parent.tenant.name));

    const received = (await child.oci.recipient.listRecipientInvitations({ compartmentId: child.tenant.ocid })).recipientInvitationCollection.items;
    assert.equal(received.length, 1);
    const accepted = await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: received[0].id });
    const acceptWr = await child.oci.workRequest.createWaiters().forWorkRequest({ workRequestId: accepted.opcWorkRequestId! });
    assert.equal(acceptWr.workRequest.status, 'SUCCEEDED');

    const [organization] = (await parent.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
    const tenancies = (await parent.oci.organization.listOrganizationTenancies({ organizationId: organization.id })).organizationTenancyCollection.items;
    const joined = tenancies.find((x) => x.tenancyId === child.tenant.ocid);
    assert.ok(joined);
    assert.equal(joined.name, child.tenant.name);
    assert.equal(joined.lifecycleState, 'ACTIVE');
    assert.equal(joined.governanceStatus, 'OPTED_IN');
    assert.equal(joined.role, 'CHILD');
    assert.ok(Math.abs(Date.parse(String(joined.timeJoined)) - t.clock.now()) < 60_000);

    const mapped = await parent.oci.subscription.createSubscriptionMapping({
      createSubscriptionMappingDetails: { compartmentId: child.tenant.ocid, subscriptionId: child.tenant.subscriptionId },
    });
    assert.equal(mapped.subscriptionMapping.isExplicitlyAssigned, true);
    assert.equal(mapped.subscriptionMapping.lifecycleState, 'ACTIVE');
    assert.equal(mapped.subscriptionMapping.subscriptionId, child.tenant.subscriptionId);
    const assigned = (await child.oci.subscription.listAssignedSubscriptions({ compartmentId: child.tenant.ocid })).assignedSubscriptionCollection.items;
    assert.deepEqual(assigned.map((s) => s.id), [child.tenant.subscriptionId]);

    const audit = await operator(t, 'GET', `/audit?tenantId=${parent.tenant.id}`);
    const actions = audit.items.map((e: { action: string }) => e.action);
    for (const action of ['sender-invitation.create', 'organization.create', 'organization.tenancy.join', 'subscription-mapping.create']) {
      assert.ok(actions.includes(action), `audit has ${action}`);
    }
  });

  test('an unanswered invitation expires after the configured lifetime on both sides, and the recipient can be invited again', async () => {
    const parent = await party('ANNUAL_COMMIT');
    const child = await party('PAYG');
    const created = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid },
    });
    await parent.oci.waitFor(created.opcWorkRequestId);
    const sent = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: created.senderInvitation.id })).senderInvitation;
    t.clock.advance(119_000);
    assert.equal((await parent.oci.sender.getSenderInvitation({ senderInvitationId: sent.id })).senderInvitation.status, 'PENDING');
    t.clock.advance(2_000);
    // Read time shows the expiry before any sweep has run.
    const expired = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: sent.id })).senderInvitation;
    assert.equal(expired.status, 'EXPIRED');
    assert.equal(expired.lifecycleState, 'INACTIVE');
    const mine = (await child.oci.recipient.getRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! })).recipientInvitation;
    assert.equal(mine.status, 'EXPIRED');
    const filtered = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, status: 'EXPIRED' as never });
    assert.deepEqual(filtered.senderInvitationCollection.items.map((i) => i.id), [sent.id]);
    assert.equal((await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, status: 'PENDING' as never })).senderInvitationCollection.items.length, 0);
    const late = await ociError(child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: mine.id }));
    assert.equal(late.statusCode, 409);
    assert.equal(late.serviceCode, 'Conflict');

    // The sweep writes it down (the live worker runs it once the expiry time has come).
    const stored = () => t.database.db.selectFrom('org_sender_invitations').select('status').where('id', '=', sent.id).executeTakeFirstOrThrow();
    for (const deadline = Date.now() + 10_000; (await stored()).status !== 'EXPIRED' && Date.now() < deadline; ) {
      await t.worker.drain();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal((await stored()).status, 'EXPIRED');

    const again = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid },
    });
    assert.equal((await parent.oci.waitFor(again.opcWorkRequestId)).status, 'SUCCEEDED');
  });

  test('a tenancy sends at most TENANTRY_INVITATIONS_PER_DAY invitations in 24 hours (429 TooManyRequests)', async () => {
    const parent = await party('ANNUAL_COMMIT');
    const recipients = [await party('PAYG'), await party('PAYG'), await party('PAYG'), await party('PAYG')];
    for (const r of recipients.slice(0, 3)) {
      await parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: r.tenant.ocid } });
    }
    const capped = await ociError(
      parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: recipients[3].tenant.ocid } }),
    );
    assert.equal(capped.statusCode, 429);
    assert.equal(capped.serviceCode, 'TooManyRequests');
  });
});
