import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, operator, seedTenant, type SeededTenant, type TestApp } from './support/app.js';
import { ociClients, ociError, type OciClients } from './support/oci.js';

interface Party {
  tenant: SeededTenant;
  oci: OciClients;
}

describe('OCI Organizations: organizations, governance, links, child tenancies and subscriptions through the SDK', () => {
  let t: TestApp;
  let url: string;
  const opened: OciClients[] = [];

  const party = async (subscriptionType = 'ANNUAL_COMMIT'): Promise<Party> => {
    const tenant = await seedTenant(t, { subscriptionType });
    const oci = await ociClients(t, url, tenant.admin, tenant.ocid);
    opened.push(oci);
    return { tenant, oci };
  };

  /** A parent with one invited child that joined (with or without the GOVERNANCE subject). */
  const family = async (subjects: string[] = ['LINK', 'GOVERNANCE']) => {
    const parent = await party();
    const child = await party('PAYG');
    const created = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, subjects: subjects as never },
    });
    await parent.oci.waitFor(created.opcWorkRequestId);
    const sent = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: created.senderInvitation.id })).senderInvitation;
    const accepted = await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! });
    assert.equal((await child.oci.waitFor(accepted.opcWorkRequestId)).status, 'SUCCEEDED');
    const [org] = (await parent.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
    return { parent, child, org };
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

  test('the parent changes the default subscription with a work request, and implicit mappings follow it', async () => {
    const { parent, child, org } = await family();
    const got = await parent.oci.organization.getOrganization({ organizationId: org.id });
    assert.equal(got.organization.defaultUcmSubscriptionId, parent.tenant.subscriptionId);
    assert.ok(got.etag);
    const { subscriptionId } = await operator(t, 'POST', `/tenants/${parent.tenant.id}/subscriptions`, { displayName: 'second' });
    const stale = await ociError(
      parent.oci.organization.updateOrganization({ organizationId: org.id, ifMatch: 'nope', updateOrganizationDetails: { defaultUcmSubscriptionId: subscriptionId } }),
    );
    assert.equal(stale.statusCode, 412);
    const res = await parent.oci.organization.updateOrganization({ organizationId: org.id, ifMatch: got.etag, updateOrganizationDetails: { defaultUcmSubscriptionId: subscriptionId } });
    const wr = await parent.oci.waitFor(res.opcWorkRequestId);
    assert.equal(wr.operationType, 'ASSIGN_DEFAULT_SUBSCRIPTION');
    assert.equal(wr.status, 'SUCCEEDED');
    assert.equal((await parent.oci.organization.getOrganization({ organizationId: org.id })).organization.defaultUcmSubscriptionId, subscriptionId);
    const assigned = (await child.oci.subscription.listAssignedSubscriptions({ compartmentId: child.tenant.ocid })).assignedSubscriptionCollection.items;
    assert.deepEqual(assigned.map((s) => s.id), [subscriptionId]);

    const foreign = await ociError(
      parent.oci.organization.updateOrganization({ organizationId: org.id, updateOrganizationDetails: { defaultUcmSubscriptionId: child.tenant.subscriptionId } }),
    );
    assert.equal(foreign.statusCode, 400);
    const byChild = await ociError(
      child.oci.organization.updateOrganization({ organizationId: org.id, updateOrganizationDetails: { defaultUcmSubscriptionId: subscriptionId } }),
    );
    assert.equal(byChild.statusCode, 404);
  });

  test('governance: a child opts in but cannot opt itself out; the parent opts a child out', async () => {
    const { parent, child, org } = await family(['LINK']);
    const status = async () =>
      (await parent.oci.organization.getOrganizationTenancy({ organizationId: org.id, tenancyId: child.tenant.ocid })).organizationTenancy.governanceStatus;
    assert.equal(await status(), 'OPTED_OUT');
    const parentOptsChildIn = await ociError(parent.oci.governance.addGovernance({ organizationId: org.id, organizationTenancyId: child.tenant.ocid }));
    assert.equal(parentOptsChildIn.statusCode, 409);
    const optIn = await child.oci.governance.addGovernance({ organizationId: org.id, organizationTenancyId: child.tenant.ocid });
    assert.equal((await child.oci.waitFor(optIn.opcWorkRequestId)).operationType, 'SELF_OPT_IN');
    assert.equal(await status(), 'OPTED_IN');
    const childOptsOut = await ociError(child.oci.governance.removeGovernance({ organizationId: org.id, organizationTenancyId: child.tenant.ocid }));
    assert.equal(childOptsOut.statusCode, 409);
    const optOut = await parent.oci.governance.removeGovernance({ organizationId: org.id, organizationTenancyId: child.tenant.ocid });
    assert.equal((await parent.oci.waitFor(optOut.opcWorkRequestId)).operationType, 'SELF_OPT_OUT');
    assert.equal(await status(), 'OPTED_OUT');
    // The parent opts itself out and in again.
    const self = await parent.oci.governance.removeGovernance({ organizationId: org.id, organizationTenancyId: parent.tenant.ocid });
    assert.equal((await parent.oci.waitFor(self.opcWorkRequestId)).status, 'SUCCEEDED');
    const back = await parent.oci.governance.addGovernance({ organizationId: org.id, organizationTenancyId: parent.tenant.ocid });
    assert.equal((await parent.oci.waitFor(back.opcWorkRequestId)).status, 'SUCCEEDED');
    const stranger = await party();
    assert.equal((await ociError(stranger.oci.governance.removeGovernance({ organizationId: org.id, organizationTenancyId: child.tenant.ocid }))).statusCode, 404);
  });

  test('the parent asks a child to opt in with a governance-only invitation; accepting it opts the child in', async () => {
    const { parent, child, org } = await family(['LINK']);
    const created = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, subjects: ['GOVERNANCE' as never], displayName: 'Join governance' },
    });
    assert.equal((await parent.oci.waitFor(created.opcWorkRequestId)).status, 'SUCCEEDED');
    const row = await t.database.db.selectFrom('org_sender_invitations').select(['created_at', 'expires_at']).where('id', '=', created.senderInvitation.id).executeTakeFirstOrThrow();
    assert.equal(row.expires_at - row.created_at, 14 * 24 * 60 * 60 * 1000, 'a governance request lives 14 days');
    const [request] = (await child.oci.recipient.listRecipientInvitations({ compartmentId: child.tenant.ocid, status: 'PENDING' as never })).recipientInvitationCollection.items;
    assert.deepEqual(request.subjects, ['GOVERNANCE']);
    const res = await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: request.id });
    assert.equal((await child.oci.waitFor(res.opcWorkRequestId)).status, 'SUCCEEDED');
    const tenancy = (await parent.oci.organization.getOrganizationTenancy({ organizationId: org.id, tenancyId: child.tenant.ocid })).organizationTenancy;
    assert.equal(tenancy.governanceStatus, 'OPTED_IN');
    assert.equal((await parent.oci.link.listLinks({ childTenancyId: child.tenant.ocid })).linkCollection.items.length, 1);
    const again = await ociError(
      parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, subjects: ['GOVERNANCE' as never] } }),
    );
    assert.equal(again.statusCode, 409);
  });

  test('removing an invited child follows §7.9: out of governance, back on its own subscription, then the link goes', async () => {
    const { parent, child, org } = await family();
    const [link] = (await parent.oci.link.listLinks({ parentTenancyId: parent.tenant.ocid })).linkCollection.items;
    const named = await child.oci.link.getLinkWithTenancyNames({ linkId: link.id });
    assert.equal(named.linkWithTenancyNames.parentTenancyName, parent.tenant.name);
    assert.equal(named.linkWithTenancyNames.childTenancyName, child.tenant.name);

    const governed = await ociError(parent.oci.link.deleteLink({ linkId: link.id }));
    assert.equal(governed.statusCode, 409);
    await parent.oci.waitFor((await parent.oci.governance.removeGovernance({ organizationId: org.id, organizationTenancyId: child.tenant.ocid })).opcWorkRequestId);
    const stillMapped = await ociError(parent.oci.link.deleteLink({ linkId: link.id }));
    assert.equal(stillMapped.statusCode, 409);
    await parent.oci.subscription.createSubscriptionMapping({
      createSubscriptionMappingDetails: { compartmentId: child.tenant.ocid, subscriptionId: child.tenant.subscriptionId },
    });
    const byChild = await ociError(child.oci.link.deleteLink({ linkId: link.id }));
    assert.equal(byChild.statusCode, 409);
    const res = await parent.oci.link.deleteLink({ linkId: link.id });
    const wr = await parent.oci.waitFor(res.opcWorkRequestId);
    assert.equal(wr.operationType, 'TERMINATE_LINK');
    assert.equal(wr.status, 'SUCCEEDED');
    const ended = (await parent.oci.link.getLink({ linkId: link.id })).link;
    assert.equal(ended.lifecycleState, 'TERMINATED');
    assert.ok(ended.timeTerminated);
    const left = (await parent.oci.organization.getOrganizationTenancy({ organizationId: org.id, tenancyId: child.tenant.ocid })).organizationTenancy;
    assert.equal(left.lifecycleState, 'INACTIVE');
    assert.ok(left.timeLeft);
    // Unaffiliated again, the former child may be invited anew.
    const again = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid },
    });
    assert.equal((await parent.oci.waitFor(again.opcWorkRequestId)).status, 'SUCCEEDED');
  });

  test('an ANNUAL_COMMIT parent creates a child tenancy; it can be approved for transfer, deleted and restored once', async () => {
    const parent = await party();
    const name = `created${Date.now()}`;
    const res = await parent.oci.organization.createChildTenancy({
      createChildTenancyDetails: { compartmentId: parent.tenant.ocid, tenancyName: name, homeRegion: 'eu-frankfurt-1', adminEmail: 'root@created.test', governanceStatus: 'OPTED_IN' as never },
    });
    const wr = await parent.oci.waitFor(res.opcWorkRequestId);
    assert.equal(wr.operationType, 'CREATE_CHILD_TENANCY');
    assert.equal(wr.status, 'SUCCEEDED');
    const childOcid = wr.resources.find((r) => r.entityType === 'Tenancy')!.identifier;
    const tenants = await operator(t, 'GET', '/tenants');
    const tenant = tenants.find((x: { ocid: string }) => x.ocid === childOcid);
    assert.equal(tenant.name, name);
    assert.equal(tenant.homeRegion, 'eu-frankfurt-1');
    const [org] = (await parent.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
    const get = () => parent.oci.organization.getOrganizationTenancy({ organizationId: org.id, tenancyId: childOcid });
    assert.equal((await get()).organizationTenancy.role, 'CHILD');
    assert.equal((await get()).organizationTenancy.isApprovedForTransfer, false);

    const approved = await parent.oci.organization.approveOrganizationTenancyForTransfer({ organizationTenancyId: childOcid, compartmentId: parent.tenant.ocid });
    assert.equal(approved.organizationTenancy.isApprovedForTransfer, true);
    assert.ok(approved.etag);
    const unapproved = await parent.oci.organization.unapproveOrganizationTenancyForTransfer({ organizationTenancyId: childOcid, compartmentId: parent.tenant.ocid, ifMatch: approved.etag });
    assert.equal(unapproved.organizationTenancy.isApprovedForTransfer, false);

    const parentDelete = await ociError(parent.oci.organization.deleteOrganizationTenancy({ organizationTenancyId: parent.tenant.ocid }));
    assert.equal(parentDelete.statusCode, 409);
    const deleted = await parent.oci.organization.deleteOrganizationTenancy({ organizationTenancyId: childOcid });
    assert.equal((await parent.oci.waitFor(deleted.opcWorkRequestId)).status, 'SUCCEEDED');
    const gone = (await get()).organizationTenancy;
    assert.equal(gone.lifecycleState, 'DELETED');
    assert.ok(gone.timeLeft);
    const restored = await parent.oci.organization.restoreOrganizationTenancy({ organizationTenancyId: childOcid });
    assert.equal((await parent.oci.waitFor(restored.opcWorkRequestId)).operationType, 'RESTORE_TENANCY');
    assert.equal((await get()).organizationTenancy.lifecycleState, 'ACTIVE');
    await parent.oci.waitFor((await parent.oci.organization.deleteOrganizationTenancy({ organizationTenancyId: childOcid })).opcWorkRequestId);
    const twice = await ociError(parent.oci.organization.restoreOrganizationTenancy({ organizationTenancyId: childOcid }));
    assert.equal(twice.statusCode, 409);

    const dup = await ociError(
      parent.oci.organization.createChildTenancy({ createChildTenancyDetails: { compartmentId: parent.tenant.ocid, tenancyName: name, homeRegion: 'us-ashburn-1', adminEmail: 'x@y.test' } }),
    );
    assert.equal(dup.statusCode, 409);
    const badName = await ociError(
      parent.oci.organization.createChildTenancy({ createChildTenancyDetails: { compartmentId: parent.tenant.ocid, tenancyName: 'Bad Name!', homeRegion: 'us-ashburn-1', adminEmail: 'x@y.test' } }),
    );
    assert.equal(badName.statusCode, 400);
    const badRegion = await ociError(
      parent.oci.organization.createChildTenancy({ createChildTenancyDetails: { compartmentId: parent.tenant.ocid, tenancyName: `r${Date.now()}`, homeRegion: 'mars-north-1', adminEmail: 'x@y.test' } }),
    );
    assert.equal(badRegion.statusCode, 400);
    const payg = await party('PAYG');
    const notAllowed = await ociError(
      payg.oci.organization.createChildTenancy({ createChildTenancyDetails: { compartmentId: payg.tenant.ocid, tenancyName: `p${Date.now()}`, homeRegion: 'us-ashburn-1', adminEmail: 'x@y.test' } }),
    );
    assert.equal(notAllowed.statusCode, 409);
  });

  test('an invited child is unlinked, not deleted, and cannot be approved for transfer', async () => {
    const { parent, child } = await family();
    assert.equal((await ociError(parent.oci.organization.deleteOrganizationTenancy({ organizationTenancyId: child.tenant.ocid }))).statusCode, 409);
    assert.equal(
      (await ociError(parent.oci.organization.approveOrganizationTenancyForTransfer({ organizationTenancyId: child.tenant.ocid, compartmentId: parent.tenant.ocid }))).statusCode,
      409,
    );
  });

  test('subscriptions: own and assigned subscriptions, available regions, mappings that fall back to the default when deleted', async () => {
    const { parent, child } = await family();
    const own = (await parent.oci.subscription.listSubscriptions({ compartmentId: parent.tenant.ocid })).subscriptionCollection.items;
    assert.deepEqual(own.map((s) => s.id), [parent.tenant.subscriptionId]);
    assert.equal(own[0].entityVersion, 'V2');
    const sub = await parent.oci.subscription.getSubscription({ subscriptionId: parent.tenant.subscriptionId });
    assert.equal(sub.subscription.compartmentId, parent.tenant.ocid);
    assert.ok(sub.etag);
    assert.equal((await ociError(child.oci.subscription.getSubscription({ subscriptionId: parent.tenant.subscriptionId }))).statusCode, 404);
    const regions = (await parent.oci.subscription.listAvailableRegions({ subscriptionId: parent.tenant.subscriptionId })).availableRegionCollection.items;
    assert.deepEqual(regions.map((r) => r.regionName), t.config.regions);
    const childAssigned = await child.oci.subscription.getAssignedSubscription({ assignedSubscriptionId: parent.tenant.subscriptionId });
    assert.equal(childAssigned.assignedSubscription.id, parent.tenant.subscriptionId);
    const lines = await child.oci.subscription.listAssignedSubscriptionLineItems({ assignedSubscriptionId: parent.tenant.subscriptionId });
    assert.deepEqual(lines.assignedSubscriptionLineItemCollection.items, []);

    const implicit = (await parent.oci.subscription.listSubscriptionMappings({ subscriptionId: parent.tenant.subscriptionId, compartmentId: child.tenant.ocid }))
      .subscriptionMappingCollection.items[0];
    assert.equal(implicit.isExplicitlyAssigned, false);
    const cannotUnmapDefault = await ociError(parent.oci.subscription.deleteSubscriptionMapping({ subscriptionMappingId: implicit.id }));
    assert.equal(cannotUnmapDefault.statusCode, 409);
    const missing = await ociError(parent.oci.subscription.listSubscriptionMappings({ subscriptionId: undefined as never }));
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.serviceCode, 'MissingParameter');

    const explicit = await parent.oci.subscription.createSubscriptionMapping({
      createSubscriptionMappingDetails: { compartmentId: child.tenant.ocid, subscriptionId: child.tenant.subscriptionId },
    });
    assert.equal((await child.oci.subscription.getSubscriptionMapping({ subscriptionMappingId: explicit.subscriptionMapping.id })).subscriptionMapping.compartmentId, child.tenant.ocid);
    const previous = (await parent.oci.subscription.getSubscriptionMapping({ subscriptionMappingId: implicit.id })).subscriptionMapping;
    assert.equal(previous.lifecycleState, 'DELETED');
    assert.equal((await ociError(child.oci.subscription.deleteSubscriptionMapping({ subscriptionMappingId: explicit.subscriptionMapping.id }))).statusCode, 409);
    const stale = await ociError(parent.oci.subscription.deleteSubscriptionMapping({ subscriptionMappingId: explicit.subscriptionMapping.id, ifMatch: 'old' }));
    assert.equal(stale.statusCode, 412);
    await parent.oci.subscription.deleteSubscriptionMapping({ subscriptionMappingId: explicit.subscriptionMapping.id, ifMatch: explicit.etag });
    const after = (await parent.oci.subscription.listSubscriptionMappings({ subscriptionId: parent.tenant.subscriptionId, lifecycleState: 'ACTIVE' as never }))
      .subscriptionMappingCollection.items.filter((m) => m.compartmentId === child.tenant.ocid);
    assert.equal(after.length, 1);
    assert.equal(after[0].isExplicitlyAssigned, false);
    const stranger = await party();
    const notMine = await ociError(
      stranger.oci.subscription.createSubscriptionMapping({ createSubscriptionMappingDetails: { compartmentId: child.tenant.ocid, subscriptionId: stranger.tenant.subscriptionId } }),
    );
    assert.equal(notMine.statusCode, 404);
  });

  test('work requests list for their own tenancy, newest first, with opc-next-page', async () => {
    const { parent, org } = await family();
    t.clock.advance(1000);
    await parent.oci.waitFor((await parent.oci.governance.removeGovernance({ organizationId: org.id, organizationTenancyId: parent.tenant.ocid })).opcWorkRequestId);
    const first = await parent.oci.workRequest.listWorkRequests({ compartmentId: parent.tenant.ocid, limit: 1 });
    assert.deepEqual(first.workRequestCollection.items.map((w) => w.operationType), ['SELF_OPT_OUT']);
    assert.ok(first.opcNextPage);
    const second = await parent.oci.workRequest.listWorkRequests({ compartmentId: parent.tenant.ocid, limit: 1, page: first.opcNextPage });
    assert.deepEqual(second.workRequestCollection.items.map((w) => w.operationType), ['CREATE_SENDER_INVITATION']);
    assert.equal(second.opcNextPage, undefined);
    const oldestFirst = await parent.oci.workRequest.listWorkRequests({ compartmentId: parent.tenant.ocid, sortOrder: 'ASC' as never });
    assert.deepEqual(oldestFirst.workRequestCollection.items.map((w) => w.operationType), ['CREATE_SENDER_INVITATION', 'SELF_OPT_OUT']);
    const logs = await parent.oci.workRequest.listWorkRequestLogs({ workRequestId: second.workRequestCollection.items[0].id });
    assert.ok(logs.workRequestLogEntryCollection.items.length >= 2);
    const errors = await parent.oci.workRequest.listWorkRequestErrors({ workRequestId: second.workRequestCollection.items[0].id });
    assert.deepEqual(errors.workRequestErrorCollection.items, []);
    const other = await party();
    assert.equal((await ociError(other.oci.workRequest.listWorkRequests({ compartmentId: parent.tenant.ocid }))).statusCode, 404);
  });

  test('domains, domain governance, orders and link features answer 501 NotImplemented', async () => {
    const p = await party();
    for (const call of [
      () => p.oci.domain.listDomains({ compartmentId: p.tenant.ocid }),
      () => p.oci.domain.createDomain({ createDomainDetails: { compartmentId: p.tenant.ocid, domainName: 'example.com' } }),
      () => p.oci.domain.getDomain({ domainId: 'ocid1.domain.oc1..x' }),
      () => p.oci.domainGovernance.listDomainGovernances({ compartmentId: p.tenant.ocid }),
      () => p.oci.orders.getOrder({ activationToken: 'token' }),
      () => p.oci.orders.activateOrder({ activationToken: 'token', activateOrderDetails: { compartmentId: p.tenant.ocid } }),
      () => p.oci.linkFeatures.listLinkFeatures({ compartmentId: p.tenant.ocid }),
    ]) {
      const error = await ociError(call());
      assert.equal(error.statusCode, 501);
      assert.equal(error.serviceCode, 'NotImplemented');
    }
  });
});
