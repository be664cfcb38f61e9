import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, ENGINE, type TestDatabase } from './support/app.js';
import { ociClients, type OciClients } from './support/oci.js';
import { http, remoteOperator, remoteTenant, type HttpAnswer, type RemoteTenant } from './support/remote.js';
import { startServer, type ServerProcess } from './support/server.js';

// Races across processes: several `tenantry serve` processes on one store, each with its own
// worker; two answers to one invitation sent at once to two of them. Of each pair exactly one
// wins and the loser is told so in its dialect's envelope (OCS 400 ErrorResponse, OCI 409
// {code, message}); concurrent first uses of one opc-retry-token create one resource.
// In-process races (one process, many requests) are in community-invitations and
// organizations-invitations/edges tests; these add what only separate processes can show.

const LONG = process.env.TENANTRY_LONG_TESTS === '1';
const ROUNDS = LONG ? 30 : 6;
const PROCESSES = ENGINE === 'postgres' ? 3 : 2;
const OPERATOR_TOKEN = 'operator-token-for-races';

/** `statuses`: 400 (the state moved on), or 403 where the winner made the loser a stranger to the invitation. */
function assertOcsLoser(res: HttpAnswer, what: string, statuses = [400]) {
  assert.ok(statuses.includes(res.status), `${what}: the loser is refused ${statuses.join('/')} (${res.status} ${res.text})`);
  for (const field of ['OperationId', 'Error', 'Reason', 'Resolution']) assert.equal(typeof res.body[field], 'string', `${what}: ErrorResponse.${field}`);
}

function assertOciLoser(error: unknown, what: string) {
  const e = error as { statusCode?: number; serviceCode?: string; message?: string; opcRequestId?: string };
  assert.equal(e.statusCode, 409, `${what}: the loser is refused 409 (${e.statusCode} ${e.serviceCode} ${e.message})`);
  assert.ok(['Conflict', 'IncorrectState'].includes(e.serviceCode!), `${what}: ${e.serviceCode}`);
  assert.ok(e.message && e.opcRequestId, `${what}: {code, message} with opc-request-id`);
}

/** Races decided with exactly one winner so far, by kind (printed as the figures of the run). */
const decided: Record<string, number> = {};

/** Of settled racers, the one that won and the one that lost (failing unless exactly one won). */
function oneWinner<T>(results: PromiseSettledResult<T>[], what: string): { winner: number; loser: unknown } {
  const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
  assert.equal(won.length, 1, `${what}: exactly one winner (${results.map((r) => (r.status === 'fulfilled' ? 'won' : (r.reason as Error).message)).join(' | ')})`);
  decided[what] = (decided[what] ?? 0) + 1;
  const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  return { winner: won[0], loser: lost.reason };
}

describe(`races across ${PROCESSES} server processes on one ${ENGINE} store`, () => {
  let store: TestDatabase;
  const servers: ServerProcess[] = [];
  const clients: OciClients[] = [];
  const op = remoteOperator(() => servers[0].url, OPERATOR_TOKEN);
  /** Round i sends its two requests to two different processes. */
  const pair = (i: number) => [servers[i % servers.length].url, servers[(i + 1) % servers.length].url];

  before(async () => {
    store = await createTestDatabase();
    const env = { ...store.env, TENANTRY_OPERATOR_TOKEN: OPERATOR_TOKEN, TENANTRY_LOG_LEVEL: 'warn', TENANTRY_WORKER_POLL: '100ms', TENANTRY_ORGANIZATION_CHILD_LIMIT: '10000' };
    for (let i = 0; i < PROCESSES; i++) servers.push(await startServer(env));
  });
  after(async () => {
    const pairs = Object.values(decided).reduce((a, b) => a + b, 0);
    console.log(`races: engine=${ENGINE} processes=${PROCESSES} decided=${pairs} ${Object.entries(decided).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    for (const c of clients) c.close();
    for (const s of servers) await s.stop();
    await store?.drop();
  });

  describe('OCS community invitations', () => {
    let owner: RemoteTenant;
    let communityId: string;
    const ocs = (base: string, token: string, method: string, path: string, body?: unknown) => http(base, method, `/api/v1-preview${path}`, { token, body });
    const act = (base: string, tenant: RemoteTenant, invitationId: string, Action: string) =>
      ocs(base, tenant.adminToken, 'PUT', `/CommunityInvitations/${invitationId}`, { Action, ContactEmail: `contact@${tenant.id}.test` });
    const invite = async () => {
      const res = await ocs(servers[0].url, owner.adminToken, 'POST', `/Communities/${communityId}/Invitations`, { InvitationRecipient: 'racer@races.test' });
      assert.equal(res.status, 201, res.text);
      return res.body.Id as string;
    };
    const stateOf = async (id: string) => (await ocs(servers[0].url, owner.adminToken, 'GET', `/Communities/${communityId}/Invitations/${id}`)).body;
    const isMember = async (tenantId: string) =>
      (await ocs(servers[0].url, owner.adminToken, 'GET', `/Communities/${communityId}`)).body.Tenants.some((t: { Id: string }) => t.Id === tenantId);

    /** Two answers at once; exactly one 2xx, the other 400 in the OCS envelope. */
    async function race(what: string, a: () => Promise<HttpAnswer>, b: () => Promise<HttpAnswer>, loserStatuses?: number[]) {
      const answers = await Promise.all([a(), b()]);
      const results = answers.map((r) => (r.status < 300 ? ({ status: 'fulfilled', value: r } as const) : ({ status: 'rejected', reason: Object.assign(new Error(`${r.status} ${r.text}`), r) } as const)));
      const { winner } = oneWinner(results, `ocs ${what}`);
      assertOcsLoser(answers[1 - winner], what, loserStatuses);
      return winner;
    }

    before(async () => {
      owner = await remoteTenant(op);
      const res = await ocs(servers[0].url, owner.adminToken, 'POST', '/Communities', { Name: 'Racing', Description: 'd' });
      assert.equal(res.status, 201, res.text);
      communityId = res.body.Id;
    });

    test(`accept vs accept by two tenants, ${ROUNDS} rounds: one tenant holds the acceptance`, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const [x, y] = await Promise.all([remoteTenant(op), remoteTenant(op)]);
        const id = await invite();
        const [p, q] = pair(i);
        const winner = await race('accept/accept', () => act(p, x, id, 'Accept'), () => act(q, y, id, 'Accept'));
        const invitation = await stateOf(id);
        assert.equal(invitation.State, 'InvitationAccepted');
        assert.equal(invitation.AcceptedTenantName, [x, y][winner].name);
      }
    });

    test(`accept vs decline (by another tenant) of a pending invitation, ${ROUNDS} rounds`, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const [x, y] = await Promise.all([remoteTenant(op), remoteTenant(op)]);
        const id = await invite();
        const [p, q] = pair(i);
        // Once x has accepted, only x may decline: y is then refused 403 (actor checked before state).
        const winner = await race('accept/decline', () => act(p, x, id, 'Accept'), () => act(q, y, id, 'Decline'), [400, 403]);
        assert.equal((await stateOf(id)).State, winner === 0 ? 'InvitationAccepted' : 'InvitationDeclined');
      }
    });

    test(`confirm vs confirm, and confirm vs the invitee's cancel (decline), ${ROUNDS} rounds each: joined once or not at all`, async () => {
      for (let i = 0; i < 2 * ROUNDS; i++) {
        const joiner = await remoteTenant(op);
        const id = await invite();
        assert.equal((await act(servers[0].url, joiner, id, 'Accept')).status, 200);
        const [p, q] = pair(i);
        const cancel = i % 2 === 1;
        const winner = await race(cancel ? 'confirm/cancel' : 'confirm/confirm', () => act(p, owner, id, 'Confirm'), () => act(q, cancel ? joiner : owner, id, cancel ? 'Decline' : 'Confirm'));
        const confirmed = !cancel || winner === 0;
        assert.equal((await stateOf(id)).State, confirmed ? 'InvitationCompleted' : 'InvitationDeclined');
        assert.equal(await isMember(joiner.id), confirmed);
      }
    });

    test(`resend vs accept, ${ROUNDS} rounds: the accept always wins (a resend keeps the invitation pending), a resend after it is refused`, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const x = await remoteTenant(op);
        const id = await invite();
        const [p, q] = pair(i);
        const [accepted, resent] = await Promise.all([act(p, x, id, 'Accept'), act(q, owner, id, 'Resend')]);
        assert.equal(accepted.status, 200, accepted.text);
        if (resent.status === 202) assert.equal(resent.body.State, 'InvitationCreated', 'a resend that won went first');
        else assertOcsLoser(resent, 'resend after accept');
        assert.equal((await stateOf(id)).State, 'InvitationAccepted');
      }
    });
  });

  describe('OCI organization invitations', () => {
    interface Party {
      tenant: RemoteTenant;
      /** SDK clients of this party, one set per server process. */
      at: OciClients[];
    }
    let parent: Party;
    const party = async (subscriptionType: string): Promise<Party> => {
      const tenant = await remoteTenant(op, { subscriptionType });
      const at = await Promise.all(servers.map((s) => ociClients(op, s.url, tenant.admin, tenant.ocid)));
      clients.push(...at);
      return { tenant, at };
    };
    const invite = async (child: Party) => {
      const res = await parent.at[0].sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid } });
      assert.equal((await parent.at[0].waitFor(res.opcWorkRequestId)).status, 'SUCCEEDED');
      const sent = (await parent.at[0].sender.getSenderInvitation({ senderInvitationId: res.senderInvitation.id })).senderInvitation;
      return { senderId: sent.id, recipientId: sent.recipientInvitationId! };
    };
    const statusOf = async (senderId: string) => (await parent.at[0].sender.getSenderInvitation({ senderInvitationId: senderId })).senderInvitation;
    const isChild = async (child: Party) => {
      const [org] = (await parent.at[0].organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
      if (!org) return false;
      const tenancies = (await parent.at[0].organization.listOrganizationTenancies({ organizationId: org.id })).organizationTenancyCollection.items;
      return tenancies.some((t) => t.tenancyId === child.tenant.ocid && t.role === 'CHILD' && t.lifecycleState === 'ACTIVE');
    };
    before(async () => {
      parent = await party('ANNUAL_COMMIT');
    });

    test(`accept vs accept, accept vs ignore, accept vs the sender's cancel, cancel vs cancel, ignore vs ignore: ${ROUNDS} rounds each`, async () => {
      const combos = ['accept/accept', 'accept/ignore', 'accept/cancel', 'cancel/cancel', 'ignore/ignore'] as const;
      for (const combo of combos) {
        for (let i = 0; i < ROUNDS; i++) {
          const child = await party('PAYG');
          const { senderId, recipientId } = await invite(child);
          const p = i % servers.length;
          const q = (i + 1) % servers.length;
          const call = (action: string, at: number) => {
            if (action === 'accept') return child.at[at].recipient.acceptRecipientInvitation({ recipientInvitationId: recipientId });
            if (action === 'ignore') return child.at[at].recipient.ignoreRecipientInvitation({ recipientInvitationId: recipientId });
            return parent.at[at].sender.cancelSenderInvitation({ senderInvitationId: senderId });
          };
          const [first, second] = combo.split('/');
          const results = await Promise.allSettled([call(first, p), call(second, q)]);
          const { winner, loser } = oneWinner(results, `oci ${combo}`);
          assertOciLoser(loser, combo);
          const action = [first, second][winner];
          const value = (results[winner] as PromiseFulfilledResult<{ opcWorkRequestId?: string }>).value;
          if (action !== 'ignore') {
            const owner = action === 'accept' ? child : parent;
            const wr = await owner.at[0].waitFor(value.opcWorkRequestId);
            assert.equal(wr.status, 'SUCCEEDED', `${combo}: the winner's work request`);
            assert.ok(wr.timeFinished);
          }
          const sent = await statusOf(senderId);
          const expected = { accept: 'ACCEPTED', cancel: 'CANCELED', ignore: 'PENDING' }[action];
          assert.equal(sent.status, expected, `${combo} won by ${action}`);
          assert.equal(await isChild(child), action === 'accept', `${combo}: joined exactly when the accept won`);
        }
      }
    });

    test(`concurrent first uses of one opc-retry-token on ${PROCESSES} processes create one sender invitation, ${ROUNDS} rounds`, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const child = await party('PAYG');
        const token = `race-${i}-${child.tenant.id}`;
        const details = { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid };
        const create = (at: OciClients) => at.sender.createSenderInvitation({ createSenderInvitationDetails: details, opcRetryToken: token });
        const results = await Promise.allSettled(parent.at.map(create));
        const ids = new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.senderInvitation.id] : [])));
        assert.equal(ids.size, 1, `one resource: ${results.map((r) => (r.status === 'fulfilled' ? r.value.senderInvitation.id : `${r.reason.statusCode} ${r.reason.serviceCode}`)).join(' | ')}`);
        for (const r of results) if (r.status === 'rejected') assertOciLoser(r.reason, 'a retry of a request still in flight');
        decided['retry-token'] = (decided['retry-token'] ?? 0) + 1;
        const listed = (await parent.at[0].sender.listSenderInvitations({ compartmentId: parent.tenant.ocid, otherTenancyId: child.tenant.ocid } as never)).senderInvitationCollection.items;
        assert.equal(listed.filter((x) => x.recipientTenancyId === child.tenant.ocid).length, 1);
        // Once answered, every process replays the first answer.
        for (const at of parent.at) assert.equal((await create(at)).senderInvitation.id, [...ids][0]);
      }
    });
  });
});
