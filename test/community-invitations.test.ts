import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { processInvitation } from '../src/modules/communities/invitations.service.js';
import type { AppError } from '../src/platform/errors.js';
import { createTestApp, operator, type SeededTenant, type TestApp } from './support/app.js';
import { act, capturingMailer, createCommunity, invite, join, ocs, seedClient, seedTenant, seedUser } from './support/communities.js';

const DAY = 86_400_000;

describe('community invitations: invite → accept → confirm', () => {
  let t: TestApp;
  const mailer = capturingMailer();
  before(async () => {
    t = await createTestApp({ mailer, env: { TENANTRY_PUBLIC_URL: 'https://tenantry.example' } });
  });
  after(() => t.close());

  async function setup() {
    const owner = await seedTenant(t);
    const joiner = await seedTenant(t);
    const community = await createCommunity(t, owner);
    return { owner, joiner, community };
  }

  /** Brings a fresh invitation into the given state. */
  async function invitationIn(state: string) {
    const s = await setup();
    const invitation = await invite(t, s.owner, s.community.Id);
    if (state === 'InvitationAccepted' || state === 'InvitationCompleted') await act(t, s.joiner.adminToken, invitation.Id, 'Accept');
    if (state === 'InvitationCompleted') await act(t, s.owner.adminToken, invitation.Id, 'Confirm');
    if (state === 'InvitationDeclined') await act(t, s.joiner.adminToken, invitation.Id, 'Decline');
    if (state === 'InvitationExpired') t.clock.advance(14 * DAY);
    const read = await ocs(t, s.owner.adminToken, 'GET', `/Communities/${s.community.Id}/Invitations/${invitation.Id}`, undefined, 200);
    assert.equal(read.body.State, state);
    return { ...s, invitation };
  }

  test('creates an invitation pending for 14 days, visible to the owner in list and get', async () => {
    const { owner, community } = await setup();
    const created = await invite(t, owner, community.Id, 'Partner@Invitee.test');
    assert.equal(created.State, 'InvitationCreated');
    assert.equal(created.IssuingTenantId, owner.id);
    assert.equal(created.InvitedTenantId, null);
    assert.equal(created.CommunityId, community.Id);
    assert.equal(created.CommunityName, community.Name);
    assert.equal(created.InvitationRecipient, 'partner@invitee.test');
    assert.equal(created.Accepted, null);
    assert.equal(Date.parse(created.Issued), t.clock.now());
    assert.equal(Date.parse(created.Expires) - Date.parse(created.Issued), 14 * DAY);
    const list = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations?skip=0&count=100`, undefined, 200);
    assert.deepEqual(list.body.map((i: { Id: string }) => i.Id), [created.Id]);
    const one = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${created.Id}`, undefined, 200);
    assert.deepEqual(one.body, created);
  });

  test('runs the whole handshake: accept records the tenant, confirm makes it an Active member', async () => {
    const { owner, joiner, community } = await setup();
    const invitation = await invite(t, owner, community.Id);
    const details = await ocs(t, joiner.adminToken, 'GET', `/CommunityInvitations/${invitation.Id}/Details`, undefined, 200);
    assert.deepEqual(
      { ...details.body, Expires: undefined },
      {
        Id: invitation.Id,
        CommunityName: community.Name,
        CommunityId: community.Id,
        InvitationState: 'InvitationCreated',
        ContactEmail: owner.admin.email,
        IssuingTenantName: owner.name,
        Expires: undefined,
        TenantAlreadyMemberOfCommunity: false,
      },
    );
    t.clock.advance(1000);
    const accepted = await act(t, joiner.adminToken, invitation.Id, 'Accept', { ContactEmail: 'ops@joiner.test' });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.body.State, 'InvitationAccepted');
    assert.equal(accepted.body.InvitedTenantId, joiner.id);
    assert.equal(accepted.body.AcceptedTenantName, joiner.name);
    assert.equal(accepted.body.AcceptedUserEmail, joiner.admin.email);
    assert.equal(Date.parse(accepted.body.Accepted), t.clock.now());
    // Not a member until the owner confirms.
    await ocs(t, joiner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 403);
    const pending = await ocs(t, joiner.adminToken, 'GET', `/Tenants/${joiner.id}/CommunityInvitations`, undefined, 200);
    assert.deepEqual(pending.body.map((i: { Id: string }) => i.Id), [invitation.Id]);

    const confirmed = await act(t, owner.adminToken, invitation.Id, 'Confirm');
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.body.State, 'InvitationCompleted');
    const seen = await ocs(t, joiner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200);
    const member = seen.body.Tenants.find((x: { Id: string }) => x.Id === joiner.id);
    assert.deepEqual(
      { Status: member.Status, IsOwner: member.IsOwner, ContactEmail: member.ContactEmail, Name: member.Name },
      { Status: 'Active', IsOwner: false, ContactEmail: 'ops@joiner.test', Name: joiner.name },
    );
    assert.equal((await ocs(t, joiner.adminToken, 'GET', `/Tenants/${joiner.id}/CommunityInvitations`, undefined, 200)).body.length, 0);
    const roles = await ocs(t, joiner.adminToken, 'GET', `/api/v1/Tenants/${joiner.id}/Roles?skip=0&count=100`, undefined, 200);
    const memberRole = roles.body.find((r: { Id: string }) => r.Id === community.MemberRoleId);
    assert.deepEqual([memberRole.RoleScope, memberRole.CommunityId], [2, community.Id]);
    const again = await ocs(t, joiner.adminToken, 'GET', `/Community/Invitations/${invitation.Id}/Details`, undefined, 200);
    assert.equal(again.body.TenantAlreadyMemberOfCommunity, true);
    assert.equal(again.body.InvitationState, 'InvitationCompleted');
  });

  test('accepting without ContactEmail uses the accepting user’s email; a client accepts with one', async () => {
    const { owner, joiner, community } = await setup();
    const first = await invite(t, owner, community.Id);
    await act(t, joiner.adminToken, first.Id, 'Accept');
    await act(t, owner.adminToken, first.Id, 'Confirm');
    const seen = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200);
    assert.equal(seen.body.Tenants.find((x: { Id: string }) => x.Id === joiner.id).ContactEmail, joiner.admin.email);

    const other = await seedTenant(t);
    const client = await seedClient(t, other, ['TenantAdministrator']);
    const second = await invite(t, owner, community.Id);
    const accepted = await act(t, client.token, second.Id, 'Accept', { ContactEmail: 'bot@other.test' });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.body.AcceptedUserEmail, null);
    assert.equal(accepted.body.InvitedTenantId, other.id);
  });

  test('Decline from InvitationCreated by the invitee, and from InvitationAccepted by the accepting tenant', async () => {
    const { owner, joiner, community } = await setup();
    const a = await invite(t, owner, community.Id);
    const declined = await act(t, joiner.adminToken, a.Id, 'Decline');
    assert.equal(declined.status, 200, declined.text);
    assert.equal(declined.body.State, 'InvitationDeclined');
    const b = await invite(t, owner, community.Id);
    await act(t, joiner.adminToken, b.Id, 'Accept');
    const cancelled = await act(t, joiner.adminToken, b.Id, 'Decline');
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.State, 'InvitationDeclined');
    await ocs(t, joiner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 403);
  });

  test('expires a pending invitation after the lifetime, in every read, and Resend renews it', async () => {
    const { owner, joiner, community } = await setup();
    const invitation = await invite(t, owner, community.Id);
    t.clock.advance(14 * DAY - 1);
    assert.equal((await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${invitation.Id}`)).body.State, 'InvitationCreated');
    t.clock.advance(1);
    const list = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations`, undefined, 200);
    assert.equal(list.body[0].State, 'InvitationExpired');
    assert.equal((await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${invitation.Id}`)).body.State, 'InvitationExpired');
    assert.equal((await ocs(t, joiner.adminToken, 'GET', `/CommunityInvitations/${invitation.Id}/Details`)).body.InvitationState, 'InvitationExpired');
    assert.equal((await act(t, joiner.adminToken, invitation.Id, 'Accept')).status, 400);

    t.clock.advance(5000);
    const resent = await act(t, owner.adminToken, invitation.Id, 'Resend');
    assert.ok([200, 202].includes(resent.status), resent.text);
    assert.equal(resent.body.State, 'InvitationCreated');
    assert.equal(Date.parse(resent.body.Issued), t.clock.now());
    assert.equal(Date.parse(resent.body.Expires), t.clock.now() + 14 * DAY);
    assert.equal((await act(t, joiner.adminToken, invitation.Id, 'Accept')).status, 200);
  });

  test('stores InvitationExpired through the outbox at the stored expiry; a renewed invitation stays pending', async () => {
    const { owner, community } = await setup();
    const stored = async (id: string) =>
      (await t.database.db.selectFrom('community_invitations').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
    const lapsing = await invite(t, owner, community.Id, 'lapse@x.test');
    const renewed = await invite(t, owner, community.Id, 'renew@x.test');
    await t.worker.drain();
    t.clock.advance(7 * DAY);
    await act(t, owner.adminToken, renewed.Id, 'Resend');
    await t.worker.drain();
    assert.equal(await stored(lapsing.Id), 'InvitationCreated', 'nothing is due before the expiry');
    t.clock.advance(7 * DAY);
    await t.worker.drain();
    assert.equal(await stored(lapsing.Id), 'InvitationExpired');
    assert.equal(await stored(renewed.Id), 'InvitationCreated', 'the first expiry job of a renewed invitation changes nothing');
    const audit = await operator(t, 'GET', `/audit?resourceId=${lapsing.Id}`);
    assert.deepEqual([audit.items[0].action, audit.items[0].actor.type], ['community.invitation.expire', 'system']);
    const resent = await act(t, owner.adminToken, lapsing.Id, 'Resend');
    assert.equal(resent.body.State, 'InvitationCreated');
    t.clock.advance(7 * DAY);
    await t.worker.drain();
    assert.equal(await stored(renewed.Id), 'InvitationExpired');
  });

  test('Resend of a pending invitation renews Issued and Expires', async () => {
    const { owner, community } = await setup();
    const invitation = await invite(t, owner, community.Id);
    t.clock.advance(3 * DAY);
    const resent = await act(t, owner.adminToken, invitation.Id, 'Resend');
    assert.ok([200, 202].includes(resent.status), resent.text);
    assert.equal(resent.body.State, 'InvitationCreated');
    assert.equal(Date.parse(resent.body.Issued), t.clock.now());
    assert.equal(Date.parse(resent.body.Expires), t.clock.now() + 14 * DAY);
  });

  test('skip/count pages forward without repeats while invitations are sent, and a deletion moves later pages as skip says', async () => {
    const { owner, community } = await setup();
    const page = async (skip: number) =>
      (await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations?skip=${skip}&count=2`, undefined, 200)).body.map((i: any) => i.InvitationRecipient);
    for (const n of [1, 2, 3, 4]) {
      await invite(t, owner, community.Id, `p${n}@page.test`);
      t.clock.advance(10);
    }
    assert.deepEqual(await page(0), ['p1@page.test', 'p2@page.test']);
    await invite(t, owner, community.Id, 'p5@page.test');
    assert.deepEqual(await page(2), ['p3@page.test', 'p4@page.test'], 'the page after the first, by where it ended');
    assert.deepEqual(await page(4), ['p5@page.test']);
    assert.deepEqual(await page(6), []);
    assert.deepEqual(await page(3), ['p4@page.test', 'p5@page.test'], 'a jump to a position no page ended at');
    assert.deepEqual(await page(3), ['p4@page.test', 'p5@page.test'], 'the same page again, now sought from the row before it');

    const [first] = (await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations?skip=0&count=1`, undefined, 200)).body;
    await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}/Invitations/${first.Id}`, undefined, 204);
    assert.deepEqual(await page(2), ['p4@page.test', 'p5@page.test'], 'after a deletion, skip counts the rows that are left');
  });

  test('Idempotency-Key: a request sent again gets the first answer and acts once; the key with another request is refused', async () => {
    const s = await setup();
    const call = (token: string, method: string, url: string, body: unknown, key: string) =>
      t.app.inject({
        method: method as 'POST',
        url: `/api/v1-preview${url}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        payload: JSON.stringify(body),
      });
    const create = () => call(s.owner.adminToken, 'POST', `/Communities/${s.community.Id}/Invitations`, { InvitationRecipient: 'once@idem.test' }, 'create-1');
    const [first, again] = [await create(), await create()];
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(again.statusCode, 201);
    assert.equal(again.json().Id, first.json().Id, 'the same invitation, not a second one');
    const listed = (await ocs(t, s.owner.adminToken, 'GET', `/Communities/${s.community.Id}/Invitations`, undefined, 200)).body;
    assert.equal(listed.filter((i: any) => i.InvitationRecipient === 'once@idem.test').length, 1);

    const other = await call(s.owner.adminToken, 'POST', `/Communities/${s.community.Id}/Invitations`, { InvitationRecipient: 'other@idem.test' }, 'create-1');
    assert.equal(other.statusCode, 409, other.body);
    assert.ok(other.json().Reason, 'in the OCS envelope');

    const accept = () => call(s.joiner.adminToken, 'PUT', `/CommunityInvitations/${first.json().Id}`, { Action: 'Accept' }, 'accept-1');
    const accepted = await accept();
    assert.equal(accepted.statusCode, 200, accepted.body);
    const replayed = await accept();
    assert.equal(replayed.statusCode, 200, 'a retried Accept replays its answer instead of failing as already accepted');
    assert.equal(replayed.json().State, 'InvitationAccepted');
    const plain = await act(t, s.joiner.adminToken, first.json().Id, 'Accept');
    assert.equal(plain.status, 400, 'without the key, a second Accept is refused as before');
  });

  test('a deleted invitation is gone for reads and actions', async () => {
    const { owner, joiner, community } = await setup();
    const invitation = await invite(t, owner, community.Id);
    await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 204);
    await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 404);
    await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 404);
    assert.equal((await act(t, joiner.adminToken, invitation.Id, 'Accept')).status, 404);
    await ocs(t, joiner.adminToken, 'GET', `/CommunityInvitations/${invitation.Id}/Details`, undefined, 404);
    assert.equal((await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations`)).body.length, 0);
  });

  describe('refuses invalid transitions with 400, changing nothing', () => {
    const invalid: Array<[string, string]> = [
      ['InvitationAccepted', 'Accept'],
      ['InvitationDeclined', 'Accept'],
      ['InvitationExpired', 'Accept'],
      ['InvitationCompleted', 'Accept'],
      ['InvitationCreated', 'Confirm'],
      ['InvitationDeclined', 'Confirm'],
      ['InvitationExpired', 'Confirm'],
      ['InvitationCompleted', 'Confirm'],
      ['InvitationDeclined', 'Decline'],
      ['InvitationExpired', 'Decline'],
      ['InvitationCompleted', 'Decline'],
      ['InvitationAccepted', 'Resend'],
      ['InvitationDeclined', 'Resend'],
      ['InvitationCompleted', 'Resend'],
    ];
    for (const [state, action] of invalid) {
      test(`${action} on ${state}`, async () => {
        const { owner, joiner, invitation, community } = await invitationIn(state);
        // The actor allowed to send this action in some state, so only the state is wrong.
        const actor = action === 'Confirm' || action === 'Resend' ? owner : joiner;
        const res = await act(t, actor.adminToken, invitation.Id, action);
        assert.equal(res.status, 400, res.text);
        if (state !== 'InvitationCompleted' || action !== 'Accept') assert.equal(res.body.Reason, 'INVALID_INVITATION_TRANSITION');
        const read = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 200);
        assert.equal(read.body.State, state);
      });
    }

    test('an unknown Action, after the invitation was found', async () => {
      const { joiner, invitation } = await invitationIn('InvitationCreated');
      for (const Action of ['Join', '', 7, null]) {
        const res = await ocs(t, joiner.adminToken, 'PUT', `/CommunityInvitations/${invitation.Id}`, { Action });
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.Reason, 'INVALID_INVITATION_ACTION');
      }
      const unknown = await ocs(t, joiner.adminToken, 'PUT', '/CommunityInvitations/01a20000-0000-7000-8000-000000000000', { Action: 'Join' });
      assert.equal(unknown.status, 404);
    });

    test('Accept by a tenant already in the community, the issuing tenant included', async () => {
      const { owner, joiner, community } = await setup();
      await join(t, owner, joiner, community.Id);
      const invitation = await invite(t, owner, community.Id);
      for (const tenant of [owner, joiner]) {
        const res = await act(t, tenant.adminToken, invitation.Id, 'Accept');
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.Reason, 'TENANT_ALREADY_MEMBER');
      }
      const plainOwnerMember = await seedUser(t, owner, ['TenantMember']);
      assert.equal((await act(t, plainOwnerMember.token, invitation.Id, 'Accept')).body.Reason, 'TENANT_ALREADY_MEMBER');
      assert.equal((await ocs(t, joiner.adminToken, 'GET', `/CommunityInvitations/${invitation.Id}/Details`)).body.TenantAlreadyMemberOfCommunity, true);
    });

    test('Confirm when the accepted tenant became a member meanwhile', async () => {
      const { owner, joiner, community } = await setup();
      const first = await invite(t, owner, community.Id);
      const second = await invite(t, owner, community.Id);
      await act(t, joiner.adminToken, first.Id, 'Accept');
      await act(t, joiner.adminToken, second.Id, 'Accept');
      assert.equal((await act(t, owner.adminToken, first.Id, 'Confirm')).status, 200);
      const res = await act(t, owner.adminToken, second.Id, 'Confirm');
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.Reason, 'TENANT_ALREADY_MEMBER');
      assert.equal((await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${second.Id}`)).body.State, 'InvitationAccepted');
    });
  });

  describe('refuses wrong actors with 403', () => {
    test('a member of the issuing tenant without community-admin permission sends Confirm or Resend', async () => {
      const { owner, invitation } = await invitationIn('InvitationAccepted');
      const plain = await seedUser(t, owner, ['TenantMember']);
      for (const action of ['Confirm', 'Resend']) assert.equal((await act(t, plain.token, invitation.Id, action)).status, 403);
    });

    test('the invitee sends Confirm or Resend', async () => {
      const { joiner, invitation, owner, community } = await invitationIn('InvitationAccepted');
      for (const action of ['Confirm', 'Resend']) assert.equal((await act(t, joiner.adminToken, invitation.Id, action)).status, 403);
      const fresh = await invite(t, owner, community.Id);
      assert.equal((await act(t, joiner.adminToken, fresh.Id, 'Resend')).status, 403);
    });

    test('an administrator of another member tenant (not the owner) sends Confirm or Resend', async () => {
      const { owner, joiner, community, invitation } = await invitationIn('InvitationAccepted');
      const member = await seedTenant(t);
      await join(t, owner, member, community.Id);
      for (const action of ['Confirm', 'Resend']) {
        const res = await act(t, member.adminToken, invitation.Id, action);
        assert.equal(res.status, 403, res.text);
        assert.equal(res.body.Reason, 'COMMUNITY_OWNER_ONLY');
      }
      assert.equal((await act(t, joiner.adminToken, invitation.Id, 'Decline')).status, 200, 'the state was left as it was');
    });

    test('a plain tenant member of the invitee sends Accept or Decline', async () => {
      const { joiner, invitation } = await invitationIn('InvitationCreated');
      const plain = await seedUser(t, joiner, ['TenantMember']);
      for (const action of ['Accept', 'Decline']) assert.equal((await act(t, plain.token, invitation.Id, action)).status, 403);
      const steward = await seedUser(t, joiner, ['TenantDataSteward']);
      assert.equal((await act(t, steward.token, invitation.Id, 'Accept')).status, 403);
      const ca = await seedUser(t, joiner, ['CommunityAdministrator']);
      assert.equal((await act(t, ca.token, invitation.Id, 'Accept')).status, 200);
    });

    test('a tenant other than the accepting one declines an accepted invitation; the issuer declines its own', async () => {
      const { owner, invitation } = await invitationIn('InvitationAccepted');
      const stranger = await seedTenant(t);
      assert.equal((await act(t, stranger.adminToken, invitation.Id, 'Decline')).status, 403);
      assert.equal((await act(t, owner.adminToken, invitation.Id, 'Decline')).status, 403);
    });

    test('only community administrators of the owner tenant invite, list-manage and delete invitations', async () => {
      const { owner, joiner, community } = await setup();
      await join(t, owner, joiner, community.Id);
      await ocs(t, joiner.adminToken, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'x@y.test' }, 403);
      const plain = await seedUser(t, owner, ['TenantMember']);
      await ocs(t, plain.token, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'x@y.test' }, 403);
      const invitation = await invite(t, owner, community.Id);
      await ocs(t, joiner.adminToken, 'DELETE', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 403);
      await ocs(t, plain.token, 'DELETE', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 403);
      const outsider = await seedTenant(t);
      await ocs(t, outsider.adminToken, 'GET', `/Communities/${community.Id}/Invitations`, undefined, 403);
      await ocs(t, outsider.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 403);
      // The invitee reads details only as an administrator of its tenant, and its own pending list only.
      const plainInvitee = await seedUser(t, outsider, ['TenantMember']);
      await ocs(t, plainInvitee.token, 'GET', `/CommunityInvitations/${invitation.Id}/Details`, undefined, 403);
      await ocs(t, outsider.adminToken, 'GET', `/Tenants/${joiner.id}/CommunityInvitations`, undefined, 403);
      await ocs(t, plainInvitee.token, 'GET', `/Tenants/${outsider.id}/CommunityInvitations`, undefined, 403);
    });
  });

  test('five tenants accepting one invitation at once: exactly one wins', async () => {
    const { owner, community } = await setup();
    const invitation = await invite(t, owner, community.Id);
    const tenants: SeededTenant[] = [];
    for (let i = 0; i < 5; i += 1) tenants.push(await seedTenant(t));
    const results = await Promise.all(tenants.map((x) => act(t, x.adminToken, invitation.Id, 'Accept')));
    const winners = results.filter((r) => r.status === 200);
    assert.equal(winners.length, 1, results.map((r) => `${r.status} ${r.text}`).join('\n'));
    assert.deepEqual(results.filter((r) => r.status !== 200).map((r) => r.status), [400, 400, 400, 400]);
    const read = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 200);
    assert.equal(read.body.InvitedTenantId, winners[0].body.InvitedTenantId);
    const audit = await operator(t, 'GET', `/audit?resourceId=${invitation.Id}`);
    assert.equal(audit.items.filter((e: { action: string }) => e.action === 'community.invitation.accept').length, 1);
  });

  test('racing accepts that all pass the first checks: the losers get 400 from the compare-and-set', { timeout: 20_000 }, async () => {
    const { owner, community } = await setup();
    const invitation = await invite(t, owner, community.Id);
    const racers = await Promise.all([1, 2, 3].map(() => seedTenant(t)));
    // Called side by side in one process, every call reads the invitation as pending before the
    // first one writes, so the losers fail on the guarded UPDATE inside their transaction.
    const results = await Promise.allSettled(
      racers.map((r) => processInvitation(t.deps, { type: 'user', id: r.admin.id, tenantId: r.id }, invitation.Id, { action: 'Accept' })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      assert.equal((r.reason as AppError).code, 'INVALID_INVITATION_TRANSITION');
      assert.match((r.reason as AppError).message, /InvitationAccepted/);
    }
  });

  test('a decline racing another tenant’s accept cannot undo that acceptance', { timeout: 30_000 }, async () => {
    const { owner, community } = await setup();
    const [accepter, decliner] = await Promise.all([seedTenant(t), seedTenant(t)]);
    const as = (x: SeededTenant) => ({ type: 'user' as const, id: x.admin.id, tenantId: x.id });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    // The decline starts a little later each round, so that in some round it has checked the
    // invitation as pending while the accept commits.
    for (let delay = 0; delay < 12; delay += 1) {
      const invitation = await invite(t, owner, community.Id);
      const results = await Promise.allSettled([
        processInvitation(t.deps, as(accepter), invitation.Id, { action: 'Accept' }),
        (async () => {
          for (let i = 0; i < delay; i += 1) await tick();
          return processInvitation(t.deps, as(decliner), invitation.Id, { action: 'Decline' });
        })(),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'], `round ${delay}`);
      const read = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${invitation.Id}`, undefined, 200);
      assert.equal(read.body.State, results[0].status === 'fulfilled' ? 'InvitationAccepted' : 'InvitationDeclined');
    }
  });

  test('two confirms racing: the tenant joins once', async () => {
    const { owner, joiner, community } = await setup();
    const invitation = await invite(t, owner, community.Id);
    await act(t, joiner.adminToken, invitation.Id, 'Accept');
    const results = await Promise.all([1, 2, 3].map(() => act(t, owner.adminToken, invitation.Id, 'Confirm')));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400, 400]);
    const seen = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200);
    assert.equal(seen.body.Tenants.length, 2);
  });

  test('sends the invitation, resend, accepted and confirmed emails through the outbox', async () => {
    const { owner, joiner, community } = await setup();
    await t.worker.drain();
    mailer.sent.length = 0;
    const invitation = await invite(t, owner, community.Id, 'someone@invitee.test');
    assert.equal(mailer.sent.length, 0, 'nothing leaves before the worker runs');
    await t.worker.drain();
    const [invitationMail] = mailer.sent.splice(0);
    assert.equal(invitationMail.to, 'someone@invitee.test');
    for (const text of [invitationMail.text, invitationMail.html]) {
      assert.ok(text.includes(community.Name) && text.includes(owner.name) && text.includes(invitation.Id), text);
    }
    const link = /https?:\/\/\S+/.exec(invitationMail.text)![0];
    assert.ok(link.startsWith('https://tenantry.example/console'), link);
    assert.ok(link.includes(invitation.Id));

    await act(t, owner.adminToken, invitation.Id, 'Resend');
    await t.worker.drain();
    const [resend] = mailer.sent.splice(0);
    assert.equal(resend.to, 'someone@invitee.test');
    assert.ok(resend.text.includes(invitation.Id) && resend.text.includes('https://tenantry.example/console'));

    await act(t, joiner.adminToken, invitation.Id, 'Accept', { ContactEmail: 'ops@joiner.test' });
    await t.worker.drain();
    const [accepted] = mailer.sent.splice(0);
    assert.equal(accepted.to, owner.admin.email);
    assert.ok(accepted.subject.includes('confirm') && accepted.text.includes(joiner.name) && accepted.text.includes(invitation.Id));

    await act(t, owner.adminToken, invitation.Id, 'Confirm');
    await t.worker.drain();
    const [confirmed] = mailer.sent.splice(0);
    assert.equal(confirmed.to, 'ops@joiner.test');
    assert.ok(confirmed.text.includes(community.Name) && confirmed.text.includes('https://tenantry.example/console'));
    await act(t, joiner.adminToken, (await invite(t, owner, community.Id)).Id, 'Decline');
    await t.worker.drain();
    assert.deepEqual(mailer.sent.splice(0).map((m) => m.to), ['partner@invitee.test'], 'a decline sends nothing');
  });
});

describe('community invitations: daily cap and configured lifetime', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { TENANTRY_INVITATIONS_PER_DAY: '2', TENANTRY_COMMUNITY_INVITATION_TTL: '2s' } });
  });
  after(() => t.close());

  test('refuses a tenant’s invitations past the cap in 24 hours with 429, deleted ones counted', async () => {
    const owner = await seedTenant(t);
    const community = await createCommunity(t, owner);
    const first = await invite(t, owner, community.Id, 'a@x.test');
    await invite(t, owner, community.Id, 'b@x.test');
    await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}/Invitations/${first.Id}`, undefined, 204);
    const refused = await ocs(t, owner.adminToken, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'c@x.test' }, 429);
    assert.equal(refused.body.Reason, 'INVITATION_RATE_LIMITED');
    const other = await seedTenant(t);
    await invite(t, other, (await createCommunity(t, other)).Id, 'c@x.test');
    t.clock.advance(DAY);
    await invite(t, owner, community.Id, 'c@x.test');
  });

  test('holds the cap when a tenant creates invitations concurrently', async () => {
    const owner = await seedTenant(t);
    const [a, b] = [await createCommunity(t, owner), await createCommunity(t, owner)];
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        ocs(t, owner.adminToken, 'POST', `/Communities/${i % 2 ? a.Id : b.Id}/Invitations`, { InvitationRecipient: `r${i}@x.test` }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 201, 429, 429, 429, 429]);
  });

  test('expires invitations after TENANTRY_COMMUNITY_INVITATION_TTL', async () => {
    const owner = await seedTenant(t);
    const joiner = await seedTenant(t);
    const community = await createCommunity(t, owner);
    const invitation = await invite(t, owner, community.Id);
    assert.equal(Date.parse(invitation.Expires) - Date.parse(invitation.Issued), 2000);
    t.clock.advance(2000);
    assert.equal((await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Invitations/${invitation.Id}`)).body.State, 'InvitationExpired');
    const res = await act(t, joiner.adminToken, invitation.Id, 'Accept');
    assert.equal(res.status, 400);
    assert.equal(res.body.Reason, 'INVALID_INVITATION_TRANSITION');
  });
});
