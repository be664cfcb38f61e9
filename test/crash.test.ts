import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { replayOrRun, type StoredResponse } from '../src/modules/organizations/retry-tokens.service.js';
import { recordChange } from '../src/modules/audit/audit.service.js';
import { inTransaction } from '../src/platform/db/transaction.js';
import { SYSTEM } from '../src/platform/principal.js';
import { createTestApp, createTestDatabase, ENGINE, seedTenant, type TestApp, type TestDatabase } from './support/app.js';
import { ociClients, type OciClients } from './support/oci.js';
import { auditTrail, http, remoteOperator, remoteTenant, type RemoteTenant } from './support/remote.js';
import { freePort, startServer, type ServerProcess } from './support/server.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';

// Crash safety: writers drive community (create → invite → accept → confirm) and organization
// (child tenancy → createSenderInvitation → accept) flows against a server process that is
// SIGKILLed at random moments and restarted on the same store. Afterwards every acknowledged
// request must be in the store and the audit trail, no invitation may be in an impossible state,
// every email must have gone out once per event, and every work request must have finished.
// TENANTRY_LONG_TESTS=1 kills 25 times instead of 4; TENANTRY_CRASH_SEED replays a schedule.

const LONG = process.env.TENANTRY_LONG_TESTS === '1';
const KILLS = LONG ? 25 : 4;
const SEED = Number(process.env.TENANTRY_CRASH_SEED ?? Date.now() % 2 ** 31);
const OPERATOR_TOKEN = 'operator-token-for-crashes';

/** mulberry32: a seeded schedule, so a failing run can be replayed with TENANTRY_CRASH_SEED. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A request the server answered 2xx: what must now be in the store, its audit event, its email. */
interface Acked {
  what: string;
  id: string;
  audit: string;
  /** The email the event sends: its recipient and a text it names. */
  mail?: { to: string; names: string };
}

/** The connection was refused or cut: the outcome is unknown, so nothing is expected of it. */
const isConnectionError = (error: unknown) => {
  const e = error as { cause?: { code?: string }; statusCode?: number; message?: string; name?: string };
  return e.name === 'TimeoutError' || e.cause?.code !== undefined || e.statusCode === -1 || /fetch failed|ECONN|socket hang up|other side closed/i.test(e.message ?? '');
};

/** Refused: the server was down and did nothing; anything else cut mid-request may have committed. */
const wasRefused = (error: unknown) => /ECONNREFUSED/.test(String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety: SIGKILL at random moments loses nothing acknowledged', () => {
  let store: TestDatabase;
  let smtp: TestSmtpServer;
  let server: ServerProcess;
  let url: string;
  const env: Record<string, string> = {};
  const op = remoteOperator(() => url, OPERATOR_TOKEN);
  const clients: OciClients[] = [];

  before(async () => {
    store = await createTestDatabase();
    smtp = await startSmtpServer();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    Object.assign(env, store.env, {
      PORT: String(port),
      TENANTRY_OPERATOR_TOKEN: OPERATOR_TOKEN,
      SMTP_URL: smtp.url,
      TENANTRY_LOG_LEVEL: 'warn',
      TENANTRY_WORKER_POLL: '100ms',
      // A job claimed by a killed worker is due again after its lease.
      TENANTRY_WORKER_LEASE: '2s',
      TENANTRY_ORGANIZATION_CHILD_LIMIT: '100000',
    });
    server = await startServer(env);
  });
  after(async () => {
    for (const c of clients) c.close();
    await server?.stop('SIGKILL');
    await smtp?.close();
    await store?.drop();
  });

  test(`${KILLS} kills while community and organization invitations are created, accepted and confirmed`, { timeout: LONG ? 900_000 : 240_000 }, async () => {
    const acked: Acked[] = [];
    const unexpected: string[] = [];
    let unknown = 0;
    /** Creates whose first request was cut by a kill and that a retry with the same token finished. */
    let retried = 0;
    let answersLost = 0;
    let stopped = false;
    const ack = (a: Acked) => acked.push(a);
    /** A write: its 2xx answer, or undefined when the connection failed (outcome unknown). */
    const write = async (method: string, path: string, token: string, body: unknown, expected: number) => {
      try {
        const res = await http(url, method, path, { token, body });
        if (res.status === expected) return res.body;
        unexpected.push(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        if (!wasRefused(error)) unknown += 1;
      }
      return undefined;
    };
    /** A read retried until the server is back (reads change nothing). */
    const reread = async <T>(read: () => Promise<T>): Promise<T> => {
      for (let i = 0; ; i++) {
        try {
          return await read();
        } catch (error) {
          if (!isConnectionError(error) || i > 600) throw error;
          await sleep(100);
        }
      }
    };

    // Parties are seeded before the first kill.
    const communityLanes = await Promise.all([0, 1].map(async () => ({ owner: await remoteTenant(op), joiner: await remoteTenant(op) })));
    const parent = await remoteTenant(op, { subscriptionType: 'ANNUAL_COMMIT' });
    const parentOci = await ociClients(op, url, parent.admin, parent.ocid, { noRetries: true });
    clients.push(parentOci);
    const flows = { community: 0, organization: 0 };
    const workRequestClient = new Map<string, OciClients>();

    async function communityFlow(lane: { owner: RemoteTenant; joiner: RemoteTenant }, n: number) {
      const community = await write('POST', '/api/v1-preview/Communities', lane.owner.adminToken, { Name: `Crash ${n}`, Description: 'd' }, 201);
      if (!community) return;
      ack({ what: 'community', id: community.Id, audit: 'community.create' });
      const recipient = `invitee-${n}@crash.test`;
      const invitation = await write('POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, lane.owner.adminToken, { InvitationRecipient: recipient }, 201);
      if (!invitation) return;
      ack({ what: 'invitation.create', id: invitation.Id, audit: 'community.invitation.create', mail: { to: recipient, names: invitation.Id } });
      const contact = `contact-${n}@crash.test`;
      const accepted = await write('PUT', `/api/v1-preview/CommunityInvitations/${invitation.Id}`, lane.joiner.adminToken, { Action: 'Accept', ContactEmail: contact }, 200);
      if (!accepted) return;
      ack({ what: 'invitation.accept', id: invitation.Id, audit: 'community.invitation.accept', mail: { to: lane.owner.admin.email, names: invitation.Id } });
      const confirmed = await write('PUT', `/api/v1-preview/CommunityInvitations/${invitation.Id}`, lane.owner.adminToken, { Action: 'Confirm' }, 200);
      if (!confirmed) return;
      ack({ what: 'invitation.confirm', id: invitation.Id, audit: 'community.invitation.confirm', mail: { to: contact, names: invitation.Id } });
      flows.community += 1;
    }

    /** A fresh child tenancy each time: a tenancy joins one organization. */
    async function organizationFlow(n: number) {
      const email = `child-admin-${n}@crash.test`;
      const child = await write('POST', '/admin/v1/tenants', OPERATOR_TOKEN, { name: `Child ${n}`, adminEmail: email, subscriptionType: 'PAYG' }, 201);
      if (!child) return;
      ack({ what: 'tenant', id: child.id, audit: 'tenant.create', mail: { to: email, names: child.id } });
      let childOci: OciClients;
      try {
        childOci = await ociClients(op, url, child.admin, child.ocid, { noRetries: true });
      } catch (error) {
        if (!isConnectionError(error)) unexpected.push(String(error));
        else if (!wasRefused(error)) unknown += 1;
        return;
      }
      clients.push(childOci);
      const to = `org-invitee-${n}@crash.test`;
      // Sent with an opc-retry-token and retried with it through the kills, as an SDK user would:
      // the retry replays the first answer, or runs the request when the first never ran.
      const create = () =>
        parentOci.sender.createSenderInvitation({
          createSenderInvitationDetails: { compartmentId: parent.ocid, recipientTenancyId: child.ocid, recipientEmailAddress: to },
          opcRetryToken: `crash-${SEED}-${n}`,
        });
      let sentId: string | undefined;
      let cut = false;
      for (let attempt = 0; !sentId && !stopped; attempt++) {
        try {
          const sent = await create();
          sentId = sent.senderInvitation.id;
          ack({ what: 'work-request', id: sent.opcWorkRequestId!, audit: '' });
          workRequestClient.set(sent.opcWorkRequestId!, parentOci);
          if (cut) retried += 1;
        } catch (error) {
          const e = error as { statusCode?: number; serviceCode?: string; message?: string };
          if (isConnectionError(error)) {
            cut ||= !wasRefused(error);
            await sleep(100);
          } else if (e.serviceCode === 'IncorrectState' && attempt < 150) {
            await sleep(200); // the token's first request is still in flight (or died; its claim ends with the lease)
          } else if (e.serviceCode === 'Conflict' && /answer was lost/.test(e.message ?? '')) {
            // It ran once but its answer died with the server: the invitation is there to be read.
            const listed = await reread(() => parentOci.sender.listSenderInvitations({ compartmentId: parent.ocid, otherTenancyId: child.ocid } as never));
            const mine = listed.senderInvitationCollection.items.filter((x) => x.recipientTenancyId === child.ocid);
            if (mine.length !== 1) unexpected.push(`answer lost, ${mine.length} invitations to ${child.ocid}`);
            sentId = mine[0]?.id;
            answersLost += 1;
            if (!sentId) return;
          } else {
            unexpected.push(`createSenderInvitation retried ${attempt} times: ${e.statusCode} ${e.serviceCode} ${e.message}`);
            return;
          }
        }
      }
      if (!sentId) return;
      ack({ what: 'sender-invitation.create', id: sentId, audit: 'sender-invitation.create', mail: { to, names: sentId } });
      let recipientInvitationId: string | undefined;
      for (let i = 0; i < 300 && !recipientInvitationId; i++) {
        const got = await reread(() => parentOci.sender.getSenderInvitation({ senderInvitationId: sentId }));
        recipientInvitationId = got.senderInvitation.recipientInvitationId;
        if (!recipientInvitationId) await sleep(50);
      }
      assert.ok(recipientInvitationId, `sender invitation ${sentId} got its recipient invitation`);
      const accepted = await sdkWrite(() => childOci.recipient.acceptRecipientInvitation({ recipientInvitationId: recipientInvitationId! }));
      if (!accepted) return;
      ack({ what: 'recipient-invitation.accept', id: recipientInvitationId, audit: 'recipient-invitation.accept' });
      ack({ what: 'work-request', id: accepted.opcWorkRequestId!, audit: '' });
      workRequestClient.set(accepted.opcWorkRequestId!, childOci);
      flows.organization += 1;
    }

    async function sdkWrite<T>(call: () => Promise<T>): Promise<T | undefined> {
      try {
        return await call();
      } catch (error) {
        if (isConnectionError(error)) {
          if (!wasRefused(error)) unknown += 1;
          return undefined;
        }
        const e = error as { statusCode?: number; serviceCode?: string; message?: string };
        unexpected.push(`OCI ${e.statusCode} ${e.serviceCode} ${e.message}`);
        return undefined;
      }
    }

    const lane = async (flow: (n: number) => Promise<void>) => {
      for (let n = 0; !stopped; n++) {
        try {
          await flow(n);
        } catch (error) {
          if (!isConnectionError(error)) throw error;
          if (!wasRefused(error)) unknown += 1;
        }
        // While the server is down, every flow ends at its first request.
        await sleep(50);
      }
    };
    let seq = 0;
    const lanes = Promise.all([
      ...communityLanes.map((l) => lane(() => communityFlow(l, ++seq))),
      lane(() => organizationFlow(++seq)),
    ]);

    // The SDK warns on the console about every refused connection; the kills make many.
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!/^(All retry attempts|Request cannot be retried)/.test(String(args[0]))) warn(...args);
    };
    const rand = random(SEED);
    let kills = 0;
    try {
      for (; kills < KILLS; kills++) {
        await sleep(300 + rand() * 1200);
        assert.equal(await server.stop('SIGKILL'), 'SIGKILL');
        await sleep(rand() * 300);
        server = await startServer(env);
      }
      await sleep(1500);
    } finally {
      stopped = true;
      await lanes;
      console.warn = warn;
    }
    assert.deepEqual(unexpected, [], 'no request was refused or failed except by the kills');
    assert.ok(flows.community > 0 && flows.organization > 0, `whole flows completed (${JSON.stringify(flows)})`);

    // Quiet: every due job has run (a job held by a killed worker comes back after its lease).
    const db = store.database.db;
    const due = async () =>
      Number((await db.selectFrom('outbox_jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').where('run_at', '<=', Date.now()).executeTakeFirstOrThrow()).n);
    for (let i = 0; (await due()) > 0; i++) {
      assert.ok(i < 600, 'the outbox drains within 60 s of the last restart');
      await sleep(100);
    }

    // 1. Every acknowledged request is in the store (read back through the API) and audited.
    const audit = (await auditTrail(op)).keys;
    const tenants = new Set(((await op('GET', '/tenants')) as Array<{ id: string }>).map((t) => t.id));
    const lost: string[] = [];
    const owners = new Map(communityLanes.map((l) => [l.joiner.id, l.owner]));
    for (const a of acked) {
      if (a.audit && !audit.has(`${a.audit} ${a.id}`)) lost.push(`${a.what} ${a.id}: no audit event ${a.audit}`);
    }
    const invitationState = new Map<string, string>();
    for (const a of acked) {
      if (a.what === 'tenant' && !tenants.has(a.id)) lost.push(`tenant ${a.id}`);
      if (a.what.startsWith('invitation.') && !invitationState.has(a.id)) {
        const row = await db.selectFrom('community_invitations').select(['community_id', 'invited_tenant_id', 'issuing_tenant_id']).where('id', '=', a.id).executeTakeFirst();
        const owner = communityLanes.find((l) => l.owner.id === row?.issuing_tenant_id)?.owner;
        const res = row && owner ? await http(url, 'GET', `/api/v1-preview/Communities/${row.community_id}/Invitations/${a.id}`, { token: owner.adminToken }) : undefined;
        invitationState.set(a.id, res?.status === 200 ? res.body.State : `missing (${res?.status})`);
      }
      const state = invitationState.get(a.id);
      if (a.what === 'invitation.create' && !['InvitationCreated', 'InvitationAccepted', 'InvitationCompleted'].includes(state!)) lost.push(`invitation ${a.id}: ${state}`);
      if (a.what === 'invitation.accept' && !['InvitationAccepted', 'InvitationCompleted'].includes(state!)) lost.push(`accepted invitation ${a.id}: ${state}`);
      if (a.what === 'invitation.confirm') {
        if (state !== 'InvitationCompleted') lost.push(`confirmed invitation ${a.id}: ${state}`);
        const row = await db.selectFrom('community_invitations').select(['community_id', 'invited_tenant_id']).where('id', '=', a.id).executeTakeFirstOrThrow();
        const community = await http(url, 'GET', `/api/v1-preview/Communities/${row.community_id}`, { token: owners.get(row.invited_tenant_id!)!.adminToken });
        if (!community.body.Tenants?.some((t: { Id: string }) => t.Id === row.invited_tenant_id)) lost.push(`confirmed invitation ${a.id}: the joiner is no member`);
      }
      if (a.what === 'community') {
        const owner = communityLanes.map((l) => l.owner);
        const found = await Promise.all(owner.map((o) => http(url, 'GET', `/api/v1-preview/Communities/${a.id}`, { token: o.adminToken })));
        if (!found.some((r) => r.status === 200)) lost.push(`community ${a.id}`);
      }
      if (a.what === 'sender-invitation.create') {
        const got = await parentOci.sender.getSenderInvitation({ senderInvitationId: a.id });
        if (got.senderInvitation.lifecycleState === 'CREATING') lost.push(`sender invitation ${a.id}: still CREATING`);
      }
      if (a.what === 'recipient-invitation.accept') {
        const row = await db.selectFrom('org_recipient_invitations').select(['status', 'lifecycle_state']).where('id', '=', a.id).executeTakeFirst();
        if (row?.status !== 'ACCEPTED') lost.push(`accepted recipient invitation ${a.id}: ${row?.status}/${row?.lifecycle_state}`);
      }
      if (a.what === 'work-request') {
        const wr = await workRequestClient.get(a.id)!.workRequest.getWorkRequest({ workRequestId: a.id });
        const row = await db.selectFrom('org_work_requests').select(['status', 'finished_at']).where('id', '=', a.id).executeTakeFirst();
        if (row?.status !== 'SUCCEEDED' || row.finished_at === null) lost.push(`work request ${a.id}: ${row?.status}`);
        if (wr.workRequest.status !== 'SUCCEEDED' || !wr.workRequest.timeFinished) lost.push(`work request ${a.id} has no timeFinished`);
      }
    }

    // 2. No invitation in an impossible state, anywhere in the store (acknowledged or not).
    const impossible: string[] = [];
    const ci = await db.selectFrom('community_invitations').selectAll().execute();
    const members = await db.selectFrom('community_tenants').select(['community_id', 'tenant_id', 'is_owner']).execute();
    const member = new Set(members.map((m) => `${m.community_id} ${m.tenant_id}`));
    for (const r of ci) {
      const acceptedFields = r.invited_tenant_id !== null && r.accepted_at !== null && r.accepted_by !== null;
      if (r.state === 'InvitationCreated' && (r.invited_tenant_id !== null || r.accepted_at !== null)) impossible.push(`${r.id} created but accepted by ${r.invited_tenant_id}`);
      if (['InvitationAccepted', 'InvitationCompleted'].includes(r.state) && !acceptedFields) impossible.push(`${r.id} ${r.state} without acceptor`);
      if (r.accepted_at !== null && r.accepted_at < r.issued_at) impossible.push(`${r.id} accepted before it was issued`);
      if (r.expires_at <= r.issued_at || r.updated_at < r.created_at) impossible.push(`${r.id} times out of order`);
      if (r.state === 'InvitationCompleted' && !member.has(`${r.community_id} ${r.invited_tenant_id}`)) impossible.push(`${r.id} completed, tenant not a member`);
      if (!audit.has(`community.invitation.create ${r.id}`)) impossible.push(`${r.id} stored without its audit event`);
    }
    const completed = new Set(ci.filter((r) => r.state === 'InvitationCompleted').map((r) => `${r.community_id} ${r.invited_tenant_id}`));
    for (const m of members) {
      if (!m.is_owner && !completed.has(`${m.community_id} ${m.tenant_id}`)) impossible.push(`member ${m.tenant_id} of ${m.community_id} without a completed invitation`);
    }
    const owned = new Map<string, number>();
    for (const m of members) if (m.is_owner) owned.set(m.community_id, (owned.get(m.community_id) ?? 0) + 1);
    for (const [community, count] of owned) if (count !== 1) impossible.push(`community ${community} has ${count} owners`);
    const senders = await db.selectFrom('org_sender_invitations').selectAll().execute();
    const recipients = new Map((await db.selectFrom('org_recipient_invitations').selectAll().execute()).map((r) => [r.id, r]));
    const children = new Set((await db.selectFrom('org_tenancies').select(['tenant_id', 'role']).where('role', '=', 'CHILD').execute()).map((t) => t.tenant_id));
    for (const s of senders) {
      const mirror = s.recipient_invitation_id ? recipients.get(s.recipient_invitation_id) : undefined;
      if (['CREATING', 'UPDATING'].includes(s.lifecycle_state)) impossible.push(`sender invitation ${s.id} still ${s.lifecycle_state}`);
      if (s.status === 'PENDING' && s.lifecycle_state === 'ACTIVE' && mirror?.status !== 'PENDING') impossible.push(`sender invitation ${s.id} pending, its mirror ${mirror?.status}`);
      if (s.status === 'ACCEPTED' && (mirror?.status !== 'ACCEPTED' || !children.has(s.recipient_tenant_id))) impossible.push(`sender invitation ${s.id} accepted, mirror ${mirror?.status}, child ${children.has(s.recipient_tenant_id)}`);
      if (!audit.has(`sender-invitation.create ${s.id}`)) impossible.push(`sender invitation ${s.id} stored without its audit event`);
    }
    for (const r of recipients.values()) if (r.status === 'ACCEPTED' && !children.has(r.tenant_id)) impossible.push(`recipient invitation ${r.id} accepted, tenancy no child`);

    // 3. Every work request (acknowledged or not) reached a terminal state with its times in order.
    const wrs = await db.selectFrom('org_work_requests').selectAll().execute();
    for (const w of wrs) {
      if (!['SUCCEEDED', 'FAILED', 'CANCELED'].includes(w.status) || w.finished_at === null) impossible.push(`work request ${w.id} ${w.status} finished ${w.finished_at}`);
      else if (w.started_at === null || w.accepted_at > w.started_at || w.started_at > w.finished_at) impossible.push(`work request ${w.id} times out of order`);
    }
    const dead = await db.selectFrom('outbox_jobs').select(['id', 'type', 'last_error']).where('status', '=', 'dead').execute();
    for (const d of dead) impossible.push(`job ${d.type} ${d.id} gave up: ${d.last_error}`);

    // 4. Email: each acknowledged event delivered; never two different messages for one event.
    const undelivered: string[] = [];
    const mailFor = (m: NonNullable<Acked['mail']>) => smtp.messages.filter((x) => x.to.includes(m.to) && x.text.includes(m.names));
    const expectedMail = acked.filter((a) => a.mail);
    for (let i = 0; i < 100 && expectedMail.some((a) => mailFor(a.mail!).length === 0); i++) await sleep(100);
    for (const a of expectedMail) {
      const ids = new Set(mailFor(a.mail!).map((x) => x.messageId));
      if (ids.size !== 1) undelivered.push(`${a.what} ${a.id} → ${a.mail!.to}: ${ids.size} distinct messages`);
    }
    const byContent = new Map<string, Set<string>>();
    for (const m of smtp.messages) {
      const key = `${m.to.join()} ${m.subject} ${m.text}`;
      byContent.set(key, (byContent.get(key) ?? new Set()).add(m.messageId));
    }
    for (const [key, ids] of byContent) if (ids.size > 1) undelivered.push(`${ids.size} different messages of one event: ${key.slice(0, 120)}`);
    const sentJobs = Number(
      (await sql<{ n: number }>`SELECT count(*) AS n FROM outbox_jobs WHERE type = 'mail.send' AND status = 'done'`.execute(db)).rows[0].n,
    );
    const distinct = new Set(smtp.messages.map((m) => m.messageId)).size;
    if (distinct !== sentJobs) undelivered.push(`${sentJobs} mail jobs done, ${distinct} distinct messages received`);

    const verified = acked.length;
    console.log(
      `crash: engine=${ENGINE} seed=${SEED} kills=${kills} verified=${verified} lost=${lost.length} unknown=${unknown} ` +
        `flows=${flows.community}+${flows.organization} retried=${retried} answersLost=${answersLost} mails=${smtp.messages.length} redelivered=${smtp.messages.length - distinct} impossible=${impossible.length}`,
    );
    assert.deepEqual(lost, [], 'every acknowledged request is in the store and the audit log');
    assert.deepEqual(impossible, [], 'no invitation, membership or work request in an impossible state');
    assert.deepEqual(undelivered, [], 'every email once per event');
    assert.equal(kills, KILLS);
  });
});

describe('an opc-retry-token held by a request that died with its process', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { TENANTRY_WORKER_LEASE: '2s' } });
  });
  after(() => t.close());

  /** A use case's one transaction: an audit event, so that what committed can be counted. */
  const write = (tenantId: string, marker: string) =>
    inTransaction(t.database, (trx) => recordChange(trx, SYSTEM, t.clock.now(), { tenantId, action: 'crash.test', resourceType: 'Test', resourceId: marker }));
  const committed = async (marker: string) => (await t.database.db.selectFrom('audit_events').select('id').where('resource_id', '=', marker).execute()).length;
  const answer = (body: string): StoredResponse => ({ status: 200, headers: {}, body });

  test('is taken over after the lease when its operation committed nothing; the dead request cannot commit afterwards', async () => {
    const tenant = await seedTenant(t);
    let resume!: () => void;
    // The first request claims the token and stops before its transaction (as if SIGKILLed there).
    const dead = replayOrRun(t.deps, tenant.id, 'tok-1', 'h', async () => {
      await new Promise<void>((r) => (resume = r));
      await write(tenant.id, 'tok-1-first');
      return answer('first');
    });
    await new Promise((r) => setImmediate(r));
    const busy = await replayOrRun(t.deps, tenant.id, 'tok-1', 'h', async () => answer('early')).catch((e) => e);
    assert.equal(busy.code, 'INCORRECT_STATE', 'within the lease the first request may still be alive');
    t.clock.advance(2_001);
    const retried = await replayOrRun(t.deps, tenant.id, 'tok-1', 'h', async () => {
      await write(tenant.id, 'tok-1-retry');
      return answer('retry');
    });
    assert.deepEqual(retried.body, 'retry', 'the retry ran the operation');
    resume();
    await assert.rejects(dead, /took it over/, 'the first request, had it lived, is refused at its commit');
    assert.deepEqual([await committed('tok-1-first'), await committed('tok-1-retry')], [0, 1], 'the operation committed once');
    assert.deepEqual((await replayOrRun(t.deps, tenant.id, 'tok-1', 'h', async () => answer('again'))).body, 'retry', 'later retries replay its answer');
  });

  test('whose operation committed but whose answer was lost is answered 409 Conflict after the lease, never run twice', async () => {
    const tenant = await seedTenant(t);
    void replayOrRun(t.deps, tenant.id, 'tok-2', 'h', async () => {
      await write(tenant.id, 'tok-2-first');
      await new Promise(() => {}); // dies after its commit, before its answer is stored
      return answer('never');
    });
    while ((await committed('tok-2-first')) === 0) await sleep(5);
    t.clock.advance(2_001);
    const lost = await replayOrRun(t.deps, tenant.id, 'tok-2', 'h', async () => {
      await write(tenant.id, 'tok-2-retry');
      return answer('retry');
    }).catch((e) => e);
    assert.equal(lost.code, 'ORG_RULE_CONFLICT');
    assert.match(lost.message, /carried out, but its answer was lost/);
    assert.equal(await committed('tok-2-retry'), 0);
  });
});
