import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { findMembershipOf, listMembersOfParent } from '../src/modules/organizations/organizations.service.js';
import { createWorkRequest, getWorkRequest, listWorkRequestErrors, RUN_WORK_REQUEST } from '../src/modules/work-requests/work-requests.service.js';
import { enqueue } from '../src/platform/outbox/outbox.js';
import { createTestApp, seedTenant, type TestApp } from './support/app.js';
import { ociClients, ociError, type OciClients } from './support/oci.js';

describe('OCI Organizations: isolation, redelivery, query values and unimplemented operations', () => {
  let t: TestApp;
  let url: string;
  const opened: OciClients[] = [];

  const party = async (subscriptionType = 'ANNUAL_COMMIT') => {
    const tenant = await seedTenant(t, { subscriptionType });
    const oci = await ociClients(t, url, tenant.admin, tenant.ocid);
    opened.push(oci);
    return { tenant, oci };
  };

  /** Waits until the (live or drained) worker has finished one outbox job. */
  const settled = async (jobId: string) => {
    const status = async () => (await t.database.db.selectFrom('outbox_jobs').select('status').where('id', '=', jobId).executeTakeFirstOrThrow()).status;
    for (const deadline = Date.now() + 10_000; (await status()) === 'pending' && Date.now() < deadline; ) {
      await t.worker.drain();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(await status(), 'done');
  };

  before(async () => {
    t = await createTestApp({ liveWorker: true });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const oci of opened) oci.close();
    await t.close();
  });

  test('a tenancy outside the organization sees none of its organization, tenancies, links or mappings', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const stranger = await party();
    const created = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid },
    });
    await parent.oci.waitFor(created.opcWorkRequestId);
    const sent = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: created.senderInvitation.id })).senderInvitation;
    await child.oci.waitFor((await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! })).opcWorkRequestId);
    const [org] = (await parent.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
    const [link] = (await parent.oci.link.listLinks({})).linkCollection.items;
    const [mapping] = (await parent.oci.subscription.listSubscriptionMappings({ subscriptionId: parent.tenant.subscriptionId })).subscriptionMappingCollection.items;

    for (const call of [
      () => stranger.oci.organization.getOrganization({ organizationId: org.id }),
      () => stranger.oci.organization.listOrganizationTenancies({ organizationId: org.id }),
      () => stranger.oci.organization.getOrganizationTenancy({ organizationId: org.id, tenancyId: child.tenant.ocid }),
      () => stranger.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid }),
      () => stranger.oci.link.getLink({ linkId: link.id }),
      () => stranger.oci.link.deleteLink({ linkId: link.id }),
      () => stranger.oci.subscription.getSubscriptionMapping({ subscriptionMappingId: mapping.id }),
      () => stranger.oci.subscription.deleteSubscriptionMapping({ subscriptionMappingId: mapping.id }),
      () => stranger.oci.subscription.listAvailableRegions({ subscriptionId: parent.tenant.subscriptionId }),
      () => stranger.oci.subscription.getAssignedSubscription({ assignedSubscriptionId: parent.tenant.subscriptionId }),
      () => stranger.oci.organization.approveOrganizationTenancyForTransfer({ organizationTenancyId: child.tenant.ocid, compartmentId: parent.tenant.ocid }),
    ]) {
      const error = await ociError(call());
      assert.equal(error.statusCode, 404);
      assert.equal(error.serviceCode, 'NotAuthorizedOrNotFound');
    }
    assert.deepEqual((await stranger.oci.link.listLinks({ parentTenancyId: parent.tenant.ocid })).linkCollection.items, []);
    assert.deepEqual(
      (await stranger.oci.subscription.listSubscriptionMappings({ subscriptionId: parent.tenant.subscriptionId })).subscriptionMappingCollection.items,
      [],
    );
    // A child sees the parent and itself, not its siblings.
    const sibling = await party('PAYG');
    const second = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: sibling.tenant.ocid },
    });
    await parent.oci.waitFor(second.opcWorkRequestId);
    const [ri] = (await sibling.oci.recipient.listRecipientInvitations({ compartmentId: sibling.tenant.ocid })).recipientInvitationCollection.items;
    await sibling.oci.waitFor((await sibling.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: ri.id })).opcWorkRequestId);
    const seenByChild = (await child.oci.organization.listOrganizationTenancies({ organizationId: org.id })).organizationTenancyCollection.items;
    assert.deepEqual(seenByChild.map((x) => x.tenancyId).sort(), [parent.tenant.ocid, child.tenant.ocid].sort());
    const seenByParent = (await parent.oci.organization.listOrganizationTenancies({ organizationId: org.id, limit: 2 }));
    assert.equal(seenByParent.organizationTenancyCollection.items.length, 2);
    assert.ok(seenByParent.opcNextPage);
    assert.equal((await ociError(child.oci.organization.getOrganizationTenancy({ organizationId: org.id, tenancyId: sibling.tenant.ocid }))).statusCode, 404);

    // Other capabilities read memberships through the service.
    const membership = await findMembershipOf(t.deps, child.tenant.id);
    assert.equal(membership?.role, 'CHILD');
    assert.equal(membership?.parentTenantId, parent.tenant.id);
    assert.equal(membership?.governanceStatus, 'OPTED_OUT');
    assert.equal(await findMembershipOf(t.deps, stranger.tenant.id), undefined);
    const members = await listMembersOfParent(t.deps, parent.tenant.id);
    assert.deepEqual(members.map((m) => m.role), ['PARENT', 'CHILD', 'CHILD']);
  });

  test('two racing first uses of one opc-retry-token run the operation once', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const created = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid },
    });
    await parent.oci.waitFor(created.opcWorkRequestId);
    const [ri] = (await child.oci.recipient.listRecipientInvitations({ compartmentId: child.tenant.ocid })).recipientInvitationCollection.items;
    await child.oci.waitFor((await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: ri.id })).opcWorkRequestId);
    const map = () =>
      parent.oci.subscription.createSubscriptionMapping({
        createSubscriptionMappingDetails: { compartmentId: child.tenant.ocid, subscriptionId: child.tenant.subscriptionId },
        opcRetryToken: 'race-token',
      });
    const results = await Promise.allSettled([map(), map(), map()]);
    const ids = new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.subscriptionMapping.id] : [])));
    assert.equal(ids.size, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal(r.reason.serviceCode, 'IncorrectState');
    const explicit = await t.database.db
      .selectFrom('org_subscription_mappings')
      .select('id')
      .where('compartment_id', '=', child.tenant.ocid)
      .where('is_explicit', '=', 1)
      .execute();
    assert.equal(explicit.length, 1);
    // Once answered, the token replays the answer.
    assert.equal((await map()).subscriptionMapping.id, [...ids][0]);
  });

  test('a redelivered work-request job changes nothing and sends no second email', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const created = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, recipientEmailAddress: 'once@child.test' },
    });
    const wr = await parent.oci.waitFor(created.opcWorkRequestId);
    await t.worker.drain();
    const mails = () =>
      t.database.db.selectFrom('outbox_jobs').select('id').where('type', '=', 'mail.send').where('payload', 'like', '%once@child.test%').execute();
    assert.equal((await mails()).length, 1);
    const jobId = await t.database.db.transaction().execute((trx) => enqueue(trx, t.clock.now(), { type: RUN_WORK_REQUEST, payload: { workRequestId: wr.id } }));
    await settled(jobId);
    assert.equal((await mails()).length, 1);
    const mirrors = await t.database.db.selectFrom('org_recipient_invitations').select('id').where('sender_invitation_id', '=', created.senderInvitation.id).execute();
    assert.equal(mirrors.length, 1);
    const again = (await parent.oci.workRequest.getWorkRequest({ workRequestId: wr.id })).workRequest;
    assert.equal(again.timeFinished, wr.timeFinished);
    assert.equal(again.status, 'SUCCEEDED');
  });

  test('query values the SDK sends unencoded (spaces, non-ASCII, braces and bars) are verified and filter as written', async () => {
    const parent = await party();
    const child = await party('PAYG');
    for (const displayName of ['Invite for Zürich {team} | 1', 'plain']) {
      const other = displayName === 'plain' ? await party('PAYG') : child;
      await parent.oci.sender.createSenderInvitation({
        createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: other.tenant.ocid, displayName },
      });
    }
    const found = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, displayName: 'Invite for Zürich {team} | 1' });
    assert.deepEqual(found.senderInvitationCollection.items.map((i) => i.displayName), ['Invite for Zürich {team} | 1']);
  });

  test('every domain, domain governance, order and link feature operation answers 501 NotImplemented', async () => {
    const p = await party();
    const c = p.tenant.ocid;
    for (const call of [
      () => p.oci.domain.createDomain({ createDomainDetails: { compartmentId: c, domainName: 'example.com' } }),
      () => p.oci.domain.listDomains({ compartmentId: c }),
      () => p.oci.domain.getDomain({ domainId: 'ocid1.domain.oc1..x' }),
      () => p.oci.domain.updateDomain({ domainId: 'ocid1.domain.oc1..x', updateDomainDetails: { freeformTags: { a: 'b' } } }),
      () => p.oci.domain.deleteDomain({ domainId: 'ocid1.domain.oc1..x' }),
      () =>
        p.oci.domainGovernance.createDomainGovernance({
          createDomainGovernanceDetails: { compartmentId: c, domainId: 'd', subscriptionEmail: 'a@b.test', onsTopicId: 't', onsSubscriptionId: 's' },
        }),
      () => p.oci.domainGovernance.listDomainGovernances({ compartmentId: c }),
      () => p.oci.domainGovernance.getDomainGovernance({ domainGovernanceId: 'g' }),
      () => p.oci.domainGovernance.updateDomainGovernance({ domainGovernanceId: 'g', updateDomainGovernanceDetails: { isGovernanceEnabled: true } }),
      () => p.oci.domainGovernance.deleteDomainGovernance({ domainGovernanceId: 'g' }),
      () => p.oci.orders.getOrder({ activationToken: 'token' }),
      () => p.oci.orders.activateOrder({ activationToken: 'token', activateOrderDetails: { compartmentId: c } }),
      () => p.oci.linkFeatures.listLinkFeatures({ compartmentId: c }),
    ]) {
      const error = await ociError(call());
      assert.equal(error.statusCode, 501);
      assert.equal(error.serviceCode, 'NotImplemented');
      assert.ok(error.opcRequestId);
    }
    const lines = await p.oci.subscription.listSubscriptionLineItems({ subscriptionId: p.tenant.subscriptionId });
    assert.deepEqual(lines.subscriptionLineItemCollection.items, []);
  });

  test('a work request whose step keeps failing unexpectedly is finished FAILED after a few attempts, so waiters stop', async () => {
    const owner = await seedTenant(t);
    const id = await t.database.db.transaction().execute((trx) =>
      createWorkRequest(trx, t.clock.now(), {
        realm: t.config.realm,
        tenantId: owner.id,
        compartmentId: owner.ocid,
        operationType: 'CREATE_SENDER_INVITATION',
        resources: [],
        payload: { actor: { type: 'user', id: owner.admin.id, tenantId: owner.id }, senderInvitationId: 'ocid1.senderinvitation.oc1..gone' },
      }),
    );
    const actor = { type: 'user' as const, id: owner.admin.id, tenantId: owner.id };
    for (const deadline = Date.now() + 15_000; !(await getWorkRequest(t.deps, actor, id)).timeFinished && Date.now() < deadline; ) {
      t.clock.advance(60_000);
      await t.worker.drain();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const wr = await getWorkRequest(t.deps, actor, id);
    assert.equal(wr.status, 'FAILED');
    assert.ok(wr.timeFinished);
    const errors = await listWorkRequestErrors(t.deps, actor, id, { offset: 0, limit: 10 });
    assert.deepEqual(errors.items.map((e) => e.code), ['InternalServerError']);
  });
});
