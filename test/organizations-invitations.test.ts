import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as common from 'oci-common';
import type * as tm from 'oci-tenantmanagercontrolplane';
import { createTestApp, operator, seedTenant, type SeededTenant, type TestApp } from './support/app.js';
import { ociClients, ociError, type OciClients } from './support/oci.js';

interface Party {
  tenant: SeededTenant;
  oci: OciClients;
}

describe('OCI Organizations: invitations through the official SDK', () => {
  let t: TestApp;
  let url: string;
  const opened: OciClients[] = [];

  const party = async (subscriptionType = 'ANNUAL_COMMIT'): Promise<Party> => {
    const tenant = await seedTenant(t, { subscriptionType });
    const oci = await ociClients(t, url, tenant.admin, tenant.ocid);
    opened.push(oci);
    return { tenant, oci };
  };

  const invite = async (from: Party, to: Party, details: Record<string, unknown> = {}) => {
    const res = await from.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: from.tenant.ocid, recipientTenancyId: to.tenant.ocid, ...details },
    });
    const wr = await from.oci.waitFor(res.opcWorkRequestId);
    assert.equal(wr.status, 'SUCCEEDED');
    const sent = (await from.oci.sender.getSenderInvitation({ senderInvitationId: res.senderInvitation.id })).senderInvitation;
    return { created: res, sent };
  };

  before(async () => {
    t = await createTestApp({ liveWorker: true, env: { TENANTRY_ORGANIZATION_CHILD_LIMIT: '3' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const oci of opened) oci.close();
    await t.close();
  });

  test('creating a sender invitation answers CREATING with a work request that finishes and creates the recipient invitation', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const res = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: {
        compartmentId: parent.tenant.ocid,
        recipientTenancyId: child.tenant.ocid,
        recipientEmailAddress: 'admin@child.example',
        displayName: 'Invite child',
        subjects: ['LINK' as never, 'GOVERNANCE' as never],
        freeformTags: { team: 'finops' },
        definedTags: { ns: { k: 'v' } },
      },
    });
    assert.equal(res.senderInvitation.lifecycleState, 'CREATING');
    assert.equal(res.senderInvitation.status, 'PENDING');
    assert.equal(res.senderInvitation.compartmentId, parent.tenant.ocid);
    assert.match(res.senderInvitation.id, /^ocid1\.senderinvitation\.oc1\.\./);
    assert.match(res.opcWorkRequestId ?? '', /^ocid1\.organizationsworkrequest\.oc1\.\./);
    assert.ok(res.etag);
    assert.ok(res.opcRequestId);

    const wr = await parent.oci.waitFor(res.opcWorkRequestId);
    assert.equal(wr.status, 'SUCCEEDED');
    assert.equal(wr.operationType, 'CREATE_SENDER_INVITATION');
    assert.equal(wr.percentComplete, 100);
    assert.ok(wr.timeStarted && wr.timeFinished);

    const sent = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: res.senderInvitation.id })).senderInvitation;
    assert.equal(sent.lifecycleState, 'ACTIVE');
    assert.equal(sent.status, 'PENDING');
    assert.match(sent.recipientInvitationId ?? '', /^ocid1\.recipientinvitation\./);
    assert.deepEqual(sent.freeformTags, { team: 'finops' });
    assert.deepEqual(sent.definedTags, { ns: { k: 'v' } });

    const received = (await child.oci.recipient.getRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! })).recipientInvitation;
    assert.equal(received.compartmentId, child.tenant.ocid);
    assert.equal(received.senderTenancyId, parent.tenant.ocid);
    assert.equal(received.senderInvitationId, sent.id);
    assert.deepEqual(received.subjects, ['LINK', 'GOVERNANCE']);
    assert.equal(received.status, 'PENDING');
    assert.equal(received.lifecycleState, 'ACTIVE');
    assert.equal(received.displayName, 'Invite child');

    const listed = await child.oci.recipient.listRecipientInvitations({ compartmentId: child.tenant.ocid, status: 'PENDING' as never });
    assert.deepEqual(listed.recipientInvitationCollection.items.map((i) => i.id), [received.id]);
  });

  test('the recipient accepts: it becomes an ACTIVE child with a CORE link and the default subscription', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const { sent } = await invite(parent, child, { subjects: ['LINK', 'GOVERNANCE'] });
    const accepted = await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! });
    const wr = await child.oci.waitFor(accepted.opcWorkRequestId);
    assert.equal(wr.status, 'SUCCEEDED');
    assert.equal(wr.operationType, 'ACCEPT_RECIPIENT_INVITATION');
    assert.equal(wr.compartmentId, child.tenant.ocid);

    const ri = (await child.oci.recipient.getRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! })).recipientInvitation;
    assert.equal(ri.status, 'ACCEPTED');
    assert.equal(ri.lifecycleState, 'INACTIVE');
    const si = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: sent.id })).senderInvitation;
    assert.equal(si.status, 'ACCEPTED');

    const orgs = (await parent.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
    assert.equal(orgs.length, 1);
    assert.equal(orgs[0].compartmentId, parent.tenant.ocid);
    assert.equal(orgs[0].defaultUcmSubscriptionId, parent.tenant.subscriptionId);
    assert.equal(orgs[0].parentName, parent.tenant.name);
    const tenancies = (await parent.oci.organization.listOrganizationTenancies({ organizationId: orgs[0].id })).organizationTenancyCollection.items;
    const byId = new Map(tenancies.map((x) => [x.tenancyId, x]));
    assert.equal(byId.get(parent.tenant.ocid)?.role, 'PARENT');
    assert.equal(byId.get(child.tenant.ocid)?.role, 'CHILD');
    assert.equal(byId.get(child.tenant.ocid)?.lifecycleState, 'ACTIVE');
    assert.equal(byId.get(child.tenant.ocid)?.governanceStatus, 'OPTED_IN');
    assert.equal(byId.get(child.tenant.ocid)?.name, child.tenant.name);

    const links = (await parent.oci.link.listLinks({ childTenancyId: child.tenant.ocid })).linkCollection.items;
    assert.equal(links.length, 1);
    assert.equal(links[0].feature, 'CORE');
    assert.equal(links[0].lifecycleState, 'ACTIVE');
    assert.equal(links[0].parentTenancyId, parent.tenant.ocid);
    const childSees = (await child.oci.link.getLink({ linkId: links[0].id })).link;
    assert.equal(childSees.childTenancyId, child.tenant.ocid);

    const mappings = (await parent.oci.subscription.listSubscriptionMappings({ subscriptionId: parent.tenant.subscriptionId })).subscriptionMappingCollection.items;
    const mapping = mappings.find((m) => m.compartmentId === child.tenant.ocid);
    assert.equal(mapping?.isExplicitlyAssigned, false);
    assert.equal(mapping?.lifecycleState, 'ACTIVE');
    const assigned = (await child.oci.subscription.listAssignedSubscriptions({ compartmentId: child.tenant.ocid })).assignedSubscriptionCollection.items;
    assert.deepEqual(assigned.map((s) => s.id), [parent.tenant.subscriptionId]);

    // The child's organization is the parent's; the child cannot invite now.
    const childOrgs = (await child.oci.organization.listOrganizations({ compartmentId: child.tenant.ocid })).organizationCollection.items;
    assert.deepEqual(childOrgs.map((o) => o.id), [orgs[0].id]);
    const third = await party('PAYG');
    const refused = await ociError(
      child.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: child.tenant.ocid, recipientTenancyId: third.tenant.ocid } }),
    );
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.serviceCode, 'Conflict');

    // A closed invitation cannot be answered again.
    const again = await ociError(child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! }));
    assert.equal(again.statusCode, 409);
    assert.equal(again.serviceCode, 'Conflict');
  });

  test('the recipient ignores an invitation synchronously; the sender revokes another asynchronously', async () => {
    const parent = await party();
    const a = await party('PAYG');
    const b = await party();
    const first = await invite(parent, a);
    const ignored = await a.oci.recipient.ignoreRecipientInvitation({ recipientInvitationId: first.sent.recipientInvitationId! });
    assert.equal(ignored.recipientInvitation.status, 'IGNORED');
    assert.equal(ignored.recipientInvitation.lifecycleState, 'INACTIVE');
    assert.ok(ignored.etag);

    const second = await invite(parent, b);
    const canceled = await parent.oci.sender.cancelSenderInvitation({ senderInvitationId: second.sent.id });
    const wr = await parent.oci.waitFor(canceled.opcWorkRequestId);
    assert.equal(wr.operationType, 'CANCEL_SENDER_INVITATION');
    assert.equal(wr.status, 'SUCCEEDED');
    const si = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: second.sent.id })).senderInvitation;
    assert.equal(si.status, 'CANCELED');
    assert.equal(si.lifecycleState, 'INACTIVE');
    const ri = (await b.oci.recipient.getRecipientInvitation({ recipientInvitationId: second.sent.recipientInvitationId! })).recipientInvitation;
    assert.equal(ri.status, 'CANCELED');
    const late = await ociError(b.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: ri.id }));
    assert.equal(late.statusCode, 409);
    const twice = await ociError(parent.oci.sender.cancelSenderInvitation({ senderInvitationId: second.sent.id }));
    assert.equal(twice.statusCode, 409);
    // Canceled, the pending slot is free again: the same recipient can be invited anew.
    await invite(parent, b);
  });

  test('updates need the current etag: a stale if-match is 412 NoEtagMatch', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const { sent } = await invite(parent, child);
    const current = await parent.oci.sender.getSenderInvitation({ senderInvitationId: sent.id });
    const stale = await ociError(
      parent.oci.sender.updateSenderInvitation({ senderInvitationId: sent.id, ifMatch: 'stale', updateSenderInvitationDetails: { displayName: 'renamed' } }),
    );
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.serviceCode, 'NoEtagMatch');
    const updated = await parent.oci.sender.updateSenderInvitation({
      senderInvitationId: sent.id,
      ifMatch: current.etag,
      updateSenderInvitationDetails: { displayName: 'renamed', freeformTags: { a: 'b' } },
    });
    assert.equal(updated.senderInvitation.displayName, 'renamed');
    assert.deepEqual(updated.senderInvitation.freeformTags, { a: 'b' });
    assert.notEqual(updated.etag, current.etag);
    const reused = await ociError(
      parent.oci.sender.updateSenderInvitation({ senderInvitationId: sent.id, ifMatch: current.etag, updateSenderInvitationDetails: { displayName: 'again' } }),
    );
    assert.equal(reused.statusCode, 412);

    const ri = await child.oci.recipient.getRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! });
    const mine = await child.oci.recipient.updateRecipientInvitation({
      recipientInvitationId: ri.recipientInvitation.id,
      ifMatch: ri.etag,
      updateRecipientInvitationDetails: { displayName: 'from parent', freeformTags: { seen: 'yes' } },
    });
    assert.equal(mine.recipientInvitation.displayName, 'from parent');
    assert.deepEqual(mine.recipientInvitation.freeformTags, { seen: 'yes' });
    // The sender's copy is its own.
    assert.equal((await parent.oci.sender.getSenderInvitation({ senderInvitationId: sent.id })).senderInvitation.displayName, 'renamed');
  });

  test('lists sender invitations with filters, sorting and opc-next-page paging', async () => {
    const parent = await party();
    const recipients = [await party('PAYG'), await party(), await party('PAYG')];
    const names = ['charlie', 'alpha', 'bravo'];
    for (const [i, r] of recipients.entries()) {
      await invite(parent, r, { displayName: names[i] });
      t.clock.advance(1000);
    }
    const byName = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, sortBy: 'displayName' as never, sortOrder: 'ASC' as never, limit: 2 });
    assert.deepEqual(byName.senderInvitationCollection.items.map((i) => i.displayName), ['alpha', 'bravo']);
    assert.ok(byName.opcNextPage);
    const rest = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, sortBy: 'displayName' as never, sortOrder: 'ASC' as never, limit: 2, page: byName.opcNextPage });
    assert.deepEqual(rest.senderInvitationCollection.items.map((i) => i.displayName), ['charlie']);
    assert.equal(rest.opcNextPage, undefined);

    const newestFirst = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid });
    assert.deepEqual(newestFirst.senderInvitationCollection.items.map((i) => i.displayName), ['bravo', 'alpha', 'charlie']);

    const all = [];
    const first: tm.requests.ListSenderInvitationsRequest = { compartmentId: parent.tenant.ocid, limit: 1 };
    for await (const res of common.paginateResponses(first, (req) => parent.oci.sender.listSenderInvitations(req))) {
      all.push(...(res as tm.responses.ListSenderInvitationsResponse).senderInvitationCollection.items);
    }
    assert.equal(all.length, 3);

    const toAlpha = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, recipientTenancyId: recipients[1].tenant.ocid });
    assert.deepEqual(toAlpha.senderInvitationCollection.items.map((i) => i.displayName), ['alpha']);
    const named = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, displayName: 'bravo' });
    assert.deepEqual(named.senderInvitationCollection.items.map((i) => i.displayName), ['bravo']);
    const accepted = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, status: 'ACCEPTED' as never });
    assert.equal(accepted.senderInvitationCollection.items.length, 0);
    const active = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, lifecycleState: 'ACTIVE' as never });
    assert.equal(active.senderInvitationCollection.items.length, 3);

    const missing = await ociError(parent.oci.sender.listSenderInvitations({ compartmentId: undefined as never }));
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.serviceCode, 'MissingParameter');
    const badPage = await ociError(parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, page: 'not-a-token' }));
    assert.equal(badPage.statusCode, 400);
  });

  test('opc-next-page is a keyset cursor: invitations sent while paging neither repeat nor shift a page; a cursor of another order is refused', async () => {
    const parent = await party();
    for (const name of ['one', 'two']) {
      await invite(parent, await party(), { displayName: name });
      t.clock.advance(1000);
    }
    const first = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, limit: 1 });
    assert.deepEqual(first.senderInvitationCollection.items.map((i) => i.displayName), ['two']);
    await invite(parent, await party(), { displayName: 'three' });
    const second = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, limit: 1, page: first.opcNextPage });
    assert.deepEqual(second.senderInvitationCollection.items.map((i) => i.displayName), ['one'], 'an offset would have shown "two" again');
    assert.equal(second.opcNextPage, undefined);

    const otherOrder = await ociError(
      parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, sortBy: 'displayName' as never, limit: 1, page: first.opcNextPage }),
    );
    assert.equal(otherOrder.statusCode, 400);
  });

  test('subscription types decide who may invite and be invited; no self-invitation, no second pending one, same realm only', async () => {
    const annual = await party();
    const payg = await party('PAYG');
    for (const type of ['FREE_TIER', 'TRIAL']) {
      const restricted = await party(type);
      const cannotSend = await ociError(
        restricted.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: restricted.tenant.ocid, recipientTenancyId: payg.tenant.ocid } }),
      );
      assert.equal(cannotSend.statusCode, 409, type);
      const cannotReceive = await ociError(
        annual.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: annual.tenant.ocid, recipientTenancyId: restricted.tenant.ocid } }),
      );
      assert.equal(cannotReceive.statusCode, 409, type);
    }
    const missing = await ociError(
      annual.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: annual.tenant.ocid } as never }),
    );
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.serviceCode, 'MissingParameter');
    const malformed = await ociError(
      annual.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: annual.tenant.ocid, recipientTenancyId: payg.tenant.ocid, subjects: ['EVERYTHING' as never] } }),
    );
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.serviceCode, 'InvalidParameter');
    const self = await ociError(
      annual.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: annual.tenant.ocid, recipientTenancyId: annual.tenant.ocid } }),
    );
    assert.equal(self.statusCode, 409);
    assert.equal(self.serviceCode, 'Conflict');

    // PAYG may invite (and be invited).
    await invite(payg, await party());
    await invite(annual, payg);
    const duplicate = await ociError(
      annual.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: annual.tenant.ocid, recipientTenancyId: payg.tenant.ocid } }),
    );
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.serviceCode, 'Conflict');

    const otherRealm = await ociError(
      annual.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: annual.tenant.ocid, recipientTenancyId: 'ocid1.tenancy.oc2..aaaaaaaaexample' } }),
    );
    assert.equal(otherRealm.statusCode, 400);
    assert.equal(otherRealm.serviceCode, 'InvalidParameter');
    const otherCompartment = await ociError(
      annual.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: payg.tenant.ocid, recipientTenancyId: (await party()).tenant.ocid } }),
    );
    assert.equal(otherCompartment.statusCode, 404);
    assert.equal(otherCompartment.serviceCode, 'NotAuthorizedOrNotFound');
  });

  test('an organization cannot grow past its child-tenancy limit (LimitExceeded), and a work request that hits it fails with the error listed', async () => {
    const parent = await party();
    const kids = [await party('PAYG'), await party('PAYG'), await party('PAYG')];
    const sent = [];
    for (const kid of kids) sent.push((await invite(parent, kid)).sent);
    const fourth = await party('PAYG');
    const over = await ociError(
      parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: fourth.tenant.ocid } }),
    );
    assert.equal(over.statusCode, 400);
    assert.equal(over.serviceCode, 'LimitExceeded');

    // Pending invitations count at sending time; children count again at acceptance. A created
    // child takes the last place, so the last acceptance fails in its work request.
    for (const [i, kid] of kids.slice(0, 2).entries()) {
      const res = await kid.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent[i].recipientInvitationId! });
      assert.equal((await kid.oci.waitFor(res.opcWorkRequestId)).status, 'SUCCEEDED');
    }
    const created = await parent.oci.organization.createChildTenancy({
      createChildTenancyDetails: { compartmentId: parent.tenant.ocid, tenancyName: `limitkid${Date.now()}`, homeRegion: 'us-ashburn-1', adminEmail: 'kid@limit.test' },
    });
    assert.equal((await parent.oci.waitFor(created.opcWorkRequestId)).status, 'SUCCEEDED');
    const res = await kids[2].oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent[2].recipientInvitationId! });
    const wr = await kids[2].oci.waitFor(res.opcWorkRequestId);
    assert.equal(wr.status, 'FAILED');
    assert.ok(wr.timeFinished);
    const errors = (await kids[2].oci.workRequest.listWorkRequestErrors({ workRequestId: wr.id })).workRequestErrorCollection.items;
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'LimitExceeded');
    const logs = (await kids[2].oci.workRequest.listWorkRequestLogs({ workRequestId: wr.id })).workRequestLogEntryCollection.items;
    assert.ok(logs.length >= 2);
    const ri = (await kids[2].oci.recipient.getRecipientInvitation({ recipientInvitationId: sent[2].recipientInvitationId! })).recipientInvitation;
    assert.equal(ri.status, 'FAILED');
    const mine = (await kids[2].oci.workRequest.listWorkRequests({ compartmentId: kids[2].tenant.ocid })).workRequestCollection.items;
    assert.deepEqual(mine.map((w) => w.id), [wr.id]);
  });

  test('a child tenancy refused by the child limit in its work request leaves no tenancy behind', async () => {
    const parent = await party();
    const create = (name: string) =>
      parent.oci.organization.createChildTenancy({
        createChildTenancyDetails: { compartmentId: parent.tenant.ocid, tenancyName: name, homeRegion: 'us-ashburn-1', adminEmail: `${name}@limit.test` },
      });
    const stamp = Date.now();
    for (const name of [`first${stamp}`, `second${stamp}`]) assert.equal((await parent.oci.waitFor((await create(name)).opcWorkRequestId)).status, 'SUCCEEDED');
    // One place left (limit 3), two creates sent at once: both are accepted, one work request wins.
    const racing = [`third${stamp}`, `fourth${stamp}`];
    const requests = await Promise.all(racing.map(create));
    const outcomes = await Promise.all(requests.map((r) => parent.oci.waitFor(r.opcWorkRequestId)));
    assert.deepEqual(outcomes.map((w) => w.status).sort(), ['FAILED', 'SUCCEEDED']);
    const names = new Set((await operator<{ name: string }[]>(t, 'GET', '/tenants')).map((x) => x.name));
    assert.deepEqual(
      racing.filter((name) => names.has(name)),
      [racing[outcomes.findIndex((w) => w.status === 'SUCCEEDED')]],
      'only the tenancy whose work request succeeded exists',
    );
  });

  test('another tenancy’s invitations and work requests are NotAuthorizedOrNotFound', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const stranger = await party();
    const { created, sent } = await invite(parent, child);
    for (const call of [
      () => stranger.oci.sender.getSenderInvitation({ senderInvitationId: sent.id }),
      () => stranger.oci.sender.cancelSenderInvitation({ senderInvitationId: sent.id }),
      () => stranger.oci.recipient.getRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! }),
      () => stranger.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! }),
      () => parent.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! }),
      () => child.oci.sender.getSenderInvitation({ senderInvitationId: sent.id }),
      () => stranger.oci.workRequest.getWorkRequest({ workRequestId: created.opcWorkRequestId! }),
      () => stranger.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid }),
    ]) {
      const error = await ociError(call());
      assert.equal(error.statusCode, 404);
      assert.equal(error.serviceCode, 'NotAuthorizedOrNotFound');
      assert.ok(error.opcRequestId);
    }
    const unknown = await ociError(parent.oci.sender.getSenderInvitation({ senderInvitationId: 'ocid1.senderinvitation.oc1..nope' }));
    assert.equal(unknown.statusCode, 404);
  });

  test('a user outside Administrators needs an IAM policy for each operation', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const member = await operator(t, 'POST', `/tenants/${parent.tenant.id}/users`, { email: `member${Date.now()}@p.test` });
    const viewer = await ociClients(t, url, member, parent.tenant.ocid);
    opened.push(viewer);
    const details = { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid };
    const denied = await ociError(viewer.sender.createSenderInvitation({ createSenderInvitationDetails: details }));
    assert.equal(denied.statusCode, 404);
    assert.equal(denied.serviceCode, 'NotAuthorizedOrNotFound');
    assert.equal((await ociError(viewer.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid }))).statusCode, 404);

    await operator(t, 'POST', `/tenants/${parent.tenant.id}/groups`, { name: 'linkViewers', members: [member.id] });
    await operator(t, 'POST', `/tenants/${parent.tenant.id}/policies`, { name: 'viewers', statements: ['Allow group linkViewers to read organizations-sender-invitations in tenancy'] });
    assert.equal((await viewer.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid })).senderInvitationCollection.items.length, 0);
    assert.equal((await ociError(viewer.sender.createSenderInvitation({ createSenderInvitationDetails: details }))).statusCode, 404);

    await operator(t, 'POST', `/tenants/${parent.tenant.id}/policies`, { name: 'admins', statements: ['Allow group linkViewers to manage organizations-family in tenancy'] });
    const res = await viewer.sender.createSenderInvitation({ createSenderInvitationDetails: details });
    assert.equal((await viewer.waitFor(res.opcWorkRequestId)).status, 'SUCCEEDED');
  });

  test('a group allowed only to manage recipient invitations accepts and follows its work request, but sends nothing', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const { sent } = await invite(parent, child);
    const accepter = await operator(t, 'POST', `/tenants/${child.tenant.id}/users`, { email: `accepter${Date.now()}@c.test` });
    await operator(t, 'POST', `/tenants/${child.tenant.id}/groups`, { name: 'linkAccepters', members: [accepter.id] });
    await operator(t, 'POST', `/tenants/${child.tenant.id}/policies`, {
      name: 'accepters',
      statements: ['allow group linkAccepters to manage organizations-recipient-invitations in tenancy'],
    });
    const oci = await ociClients(t, url, accepter, child.tenant.ocid);
    opened.push(oci);
    const received = (await oci.recipient.listRecipientInvitations({ compartmentId: child.tenant.ocid })).recipientInvitationCollection.items;
    assert.deepEqual(received.map((r) => r.id), [sent.recipientInvitationId]);
    const res = await oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! });
    assert.equal((await oci.waitFor(res.opcWorkRequestId)).status, 'SUCCEEDED');
    const third = await party('PAYG');
    const refused = await ociError(
      oci.sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: child.tenant.ocid, recipientTenancyId: third.tenant.ocid } }),
    );
    assert.equal(refused.statusCode, 404);
    assert.equal((await ociError(oci.organization.listOrganizations({ compartmentId: child.tenant.ocid }))).statusCode, 404);
  });

  test('an unsigned request is 401 NotAuthenticated before its body is looked at', async () => {
    const res = await fetch(`${url}/20230401/senderInvitations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"bad":true}' });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).code, 'NotAuthenticated');
    assert.ok(res.headers.get('opc-request-id'));
  });

  test('opc-retry-token replays the first answer for the same request and refuses a different one', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const other = await party('PAYG');
    const details = { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, displayName: 'once' };
    const first = await parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: details, opcRetryToken: 'token-1' });
    const again = await parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: details, opcRetryToken: 'token-1' });
    assert.equal(again.senderInvitation.id, first.senderInvitation.id);
    assert.equal(again.opcWorkRequestId, first.opcWorkRequestId);
    assert.equal(again.etag, first.etag);
    const changed = await ociError(
      parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: { ...details, recipientTenancyId: other.tenant.ocid }, opcRetryToken: 'token-1' }),
    );
    assert.equal(changed.statusCode, 409);
    assert.equal(changed.serviceCode, 'InvalidatedRetryToken');
    const list = await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid });
    assert.equal(list.senderInvitationCollection.items.length, 1);
    // Tokens are per tenancy: another tenancy may use the same one.
    const elsewhere = await child.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: child.tenant.ocid, recipientTenancyId: other.tenant.ocid },
      opcRetryToken: 'token-1',
    });
    assert.notEqual(elsewhere.senderInvitation.id, first.senderInvitation.id);
  });

  test('two racing accepts of one invitation: exactly one wins', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const { sent } = await invite(parent, child);
    const results = await Promise.allSettled([
      child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! }),
      child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.equal(lost[0].reason.statusCode, 409);
    await child.oci.waitFor((won[0] as PromiseFulfilledResult<{ opcWorkRequestId?: string }>).value.opcWorkRequestId);
    const orgs = (await parent.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
    const tenancies = (await parent.oci.organization.listOrganizationTenancies({ organizationId: orgs[0].id })).organizationTenancyCollection.items;
    assert.equal(tenancies.filter((x) => x.role === 'CHILD').length, 1);
  });

  test('two racing invitations from one sender to one recipient: exactly one is created', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const details = { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid };
    const results = await Promise.allSettled([
      parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: details }),
      parent.oci.sender.createSenderInvitation({ createSenderInvitationDetails: details }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal(lost.reason.statusCode, 409);
    assert.equal(lost.reason.serviceCode, 'Conflict');
    assert.equal((await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid })).senderInvitationCollection.items.length, 1);
  });

  test('a recipient accepting two organizations at once joins exactly one; the other is refused or fails in its work request', async () => {
    const [p1, p2] = [await party(), await party()];
    const child = await party('PAYG');
    const a = await invite(p1, child);
    const b = await invite(p2, child);
    const settled = await Promise.allSettled([
      child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: a.sent.recipientInvitationId! }),
      child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: b.sent.recipientInvitationId! }),
    ]);
    const outcomes = [];
    for (const res of settled) {
      if (res.status === 'rejected') outcomes.push(`refused ${res.reason.statusCode}`);
      else outcomes.push((await child.oci.waitFor(res.value.opcWorkRequestId)).status);
    }
    assert.deepEqual(outcomes.filter((o) => o !== 'SUCCEEDED').map((o) => (o === 'FAILED' || o === 'refused 409' ? 'lost' : o)), ['lost'], outcomes.join());
    assert.equal(outcomes.filter((o) => o === 'SUCCEEDED').length, 1, outcomes.join());
    const orgs = (await child.oci.organization.listOrganizations({ compartmentId: child.tenant.ocid })).organizationCollection.items;
    assert.equal(orgs.length, 1);
    const links = (await child.oci.link.listLinks({ childTenancyId: child.tenant.ocid, lifecycleState: 'ACTIVE' as never })).linkCollection.items;
    assert.equal(links.length, 1);
  });
});
