import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as common from 'oci-common';
import { createRateLimiter } from '../src/platform/http/rate-limit.js';
import { createTestApp, operator, seedTenant, type SeededTenant, type TestApp } from './support/app.js';
import { createCommunity, ocs, seedClient, seedUser } from './support/communities.js';
import { ociClients, ociError, type OciClients } from './support/oci.js';

const DAY_S = 86_400;

/** Signs one OCI request with the SDK's own signer and sends it with fetch, so headers can be read. */
async function signedFetch(provider: common.AuthenticationDetailsProvider, url: string, method: 'GET' | 'POST', body?: unknown) {
  const headers = new Headers({ 'content-type': 'application/json' });
  const text = body === undefined ? undefined : JSON.stringify(body);
  const request = { method, uri: url, headers, body: text };
  await new common.DefaultRequestSigner(provider).signHttpRequest(request);
  headers.delete('host');
  const res = await fetch(url, { method, headers, body: text });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function apiKeyProvider(t: TestApp, tenant: SeededTenant, user: { id: string; ocid: string }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const { fingerprint } = await operator(t, 'POST', `/users/${user.id}/api-keys`, { publicKey });
  return new common.SimpleAuthenticationDetailsProvider(tenant.ocid, user.ocid, fingerprint, privateKey, null);
}

describe('TENANTRY_INVITATIONS_PER_DAY: one cap over both dialects', () => {
  let t: TestApp;
  let url: string;
  const opened: OciClients[] = [];

  before(async () => {
    t = await createTestApp({ env: { TENANTRY_INVITATIONS_PER_DAY: '3' } });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    for (const oci of opened) oci.close();
    await t.close();
  });

  const parent = async () => {
    const tenant = await seedTenant(t, { subscriptionType: 'ANNUAL_COMMIT' });
    const oci = await ociClients(t, url, tenant.admin, tenant.ocid);
    opened.push(oci);
    return { tenant, oci, provider: await apiKeyProvider(t, tenant, tenant.admin) };
  };
  const child = () => seedTenant(t, { subscriptionType: 'PAYG' });
  const senderInvitation = (compartmentId: string, recipientTenancyId: string) => ({ compartmentId, recipientTenancyId });

  /** Everything a refused create could have touched: the tenant's invitations in both dialects and its audit trail. */
  async function footprint(tenant: SeededTenant, oci: OciClients, communityId: string) {
    const community = await ocs(t, tenant.adminToken, 'GET', `/Communities/${communityId}/Invitations`, undefined, 200);
    const sender = await oci.sender.listSenderInvitations({ compartmentId: tenant.ocid });
    const audit = await operator(t, 'GET', `/audit?tenantId=${tenant.id}`);
    return { community: community.body, sender: sender.senderInvitationCollection.items.map((i) => i.id), audit: audit.items.map((e: { id: string }) => e.id) };
  }

  test('counts community and sender invitations together: the 4th is refused 429 in either dialect with Retry-After, and changes nothing', async () => {
    const p = await parent();
    const community = await createCommunity(t, p.tenant);
    // The admin's token lives a day; this user's outlives the clock moves below.
    const admin = await seedUser(t, p.tenant, ['TenantAdministrator']);
    const [c1, c2] = [await child(), await child()];
    const started = t.clock.now();
    await ocs(t, admin.token, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'one@x.test' }, 201);
    t.clock.advance(60_000);
    await p.oci.sender.createSenderInvitation({ createSenderInvitationDetails: senderInvitation(p.tenant.ocid, c1.ocid) });
    t.clock.advance(60_000);
    await ocs(t, admin.token, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'three@x.test' }, 201);
    t.clock.advance(60_000);
    const before = await footprint(p.tenant, p.oci, community.Id);
    // The oldest counted invitation leaves the 24-hour window 3 minutes earlier than a fresh one would.
    const expectedWait = String(DAY_S - (t.clock.now() - started) / 1000);
    assert.equal(expectedWait, String(DAY_S - 180));

    const refusedOcs = await ocs(t, admin.token, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'four@x.test' }, 429);
    assert.equal(refusedOcs.headers['retry-after'], expectedWait);
    assert.deepEqual(Object.keys(refusedOcs.body).sort(), ['Error', 'OperationId', 'Reason', 'Resolution']);
    assert.equal(refusedOcs.body.Reason, 'INVITATION_RATE_LIMITED');
    assert.match(refusedOcs.body.Error, /3 invitations/);

    const refusedOci = await signedFetch(p.provider, `${url}/20230401/senderInvitations`, 'POST', senderInvitation(p.tenant.ocid, c2.ocid));
    assert.equal(refusedOci.status, 429);
    assert.equal(refusedOci.headers.get('retry-after'), expectedWait);
    assert.deepEqual(Object.keys(refusedOci.body).sort(), ['code', 'message']);
    assert.equal(refusedOci.body.code, 'TooManyRequests');
    const viaSdk = await ociError(p.oci.sender.createSenderInvitation({ createSenderInvitationDetails: senderInvitation(p.tenant.ocid, c2.ocid) }));
    assert.deepEqual([viaSdk.statusCode, viaSdk.serviceCode], [429, 'TooManyRequests']);

    assert.deepEqual(await footprint(p.tenant, p.oci, community.Id), before, 'the refused creates left no invitation and no audit event');

    // Another tenant is not held by this one's cap.
    const other = await seedTenant(t);
    await ocs(t, other.adminToken, 'POST', `/Communities/${(await createCommunity(t, other)).Id}/Invitations`, { InvitationRecipient: 'o@x.test' }, 201);

    // One second before the first invitation leaves the window: still refused, Retry-After 1.
    // (The clock goes back afterwards: OCI signatures carry the real time.)
    t.clock.advance((Number(expectedWait) - 1) * 1000);
    try {
      const almost = await ocs(t, admin.token, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'four@x.test' }, 429);
      assert.equal(almost.headers['retry-after'], '1');
      t.clock.advance(1000);
      await ocs(t, admin.token, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'four@x.test' }, 201);
      await ocs(t, admin.token, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'five@x.test' }, 429);
    } finally {
      t.clock.advance(started - t.clock.now());
    }
  });

  test('racing creates in both dialects store exactly the cap; the next is refused in each dialect', async () => {
    const p = await parent();
    const community = await createCommunity(t, p.tenant);
    const children = [await child(), await child(), await child()];
    const created = await Promise.allSettled([
      ...children.map((c) => p.oci.sender.createSenderInvitation({ createSenderInvitationDetails: senderInvitation(p.tenant.ocid, c.ocid) })),
      ...[1, 2, 3].map((i) => ocs(t, p.tenant.adminToken, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: `r${i}@x.test` })),
    ]);
    const statuses = created.map((r) =>
      r.status === 'fulfilled' ? ('status' in (r.value as object) ? (r.value as { status: number }).status : 200) : (r.reason as { statusCode: number }).statusCode,
    );
    assert.equal(statuses.filter((s) => s === 200 || s === 201).length, 3, `statuses ${statuses}`);
    assert.equal(statuses.filter((s) => s === 429).length, 3, `statuses ${statuses}`);
    const sent = (await p.oci.sender.listSenderInvitations({ compartmentId: p.tenant.ocid })).senderInvitationCollection.items.length;
    const invited = (await ocs(t, p.tenant.adminToken, 'GET', `/Communities/${community.Id}/Invitations`, undefined, 200)).body.length;
    assert.equal(sent + invited, 3, 'exactly the cap was stored');
    const next = await ocs(t, p.tenant.adminToken, 'POST', `/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'late@x.test' }, 429);
    assert.ok(Number(next.headers['retry-after']) > DAY_S - 60 && Number(next.headers['retry-after']) <= DAY_S, String(next.headers['retry-after']));
    const c4 = await child();
    const nextOci = await ociError(p.oci.sender.createSenderInvitation({ createSenderInvitationDetails: senderInvitation(p.tenant.ocid, c4.ocid) }));
    assert.deepEqual([nextOci.statusCode, nextOci.serviceCode], [429, 'TooManyRequests']);
  });
});

describe('TENANTRY_RATE_LIMIT: a token bucket per principal', () => {
  test('a bucket holds `burst` tokens, refills at the rate, and names the seconds until the next token', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 }, () => now);
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('u')), [0, 0, 0, 1], 'three at once, the fourth waits');
    assert.equal(limiter.take('v'), 0, 'another principal has its own bucket');
    now += 499;
    assert.equal(limiter.take('u'), 1);
    now += 1;
    assert.equal(limiter.take('u'), 0, 'one token back after half a second at 2 a second');
    now += 60_000;
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('u')), [0, 0, 0, 1], 'a quiet minute refills to the burst, not beyond');
    const slow = createRateLimiter({ perSecond: 1, burst: 1 }, () => now);
    slow.take('s');
    assert.equal(slow.take('s'), 1);
    const slower = createRateLimiter({ perSecond: 0.25, burst: 1 }, () => now);
    slower.take('s');
    assert.equal(slower.take('s'), 4, 'Retry-After rounds up to whole seconds');
  });

  test('a refunded token is back in the bucket, never past its size', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 2 }, () => 0);
    assert.deepEqual([limiter.take('u'), limiter.take('u'), limiter.take('u')], [0, 0, 1]);
    limiter.refund('u');
    assert.deepEqual([limiter.take('u'), limiter.take('u')], [0, 1], 'one refund, one token');
    limiter.refund('v');
    assert.deepEqual([limiter.take('v'), limiter.take('v'), limiter.take('v')], [0, 0, 1], 'a full bucket stays full');
  });

  test('buckets that refilled are forgotten once many principals were seen', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 10, burst: 1 }, () => now);
    for (let i = 0; i < 10_000; i++) limiter.take(`p${i}`);
    assert.equal(limiter.size, 10_000);
    now += 1000;
    limiter.take('late');
    assert.equal(limiter.size, 1, 'every idle full bucket was dropped');
  });

  describe('over HTTP', () => {
    let t: TestApp;
    let url: string;
    let tenant: SeededTenant;

    before(async () => {
      t = await createTestApp({ env: { TENANTRY_RATE_LIMIT: '2', TENANTRY_RATE_LIMIT_BURST: '10' } });
      url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      tenant = await seedTenant(t);
    });
    after(() => t.close());

    /** Sends until the first 429 (at most `limit` tries); returns how many went through and the refusal. */
    async function exhaust<R extends { status: number }>(call: () => Promise<R>, limit = 20): Promise<{ passed: number; refused: R }> {
      for (let passed = 0; passed < limit; passed++) {
        const res = await call();
        if (res.status === 429) return { passed, refused: res };
        assert.ok(res.status < 400, `unexpected ${res.status}`);
      }
      throw new Error(`no 429 after ${limit} requests`);
    }
    const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

    test('a user past its burst is refused 429 in the OCS envelope with Retry-After, a refused POST stores nothing, and it recovers after Retry-After', async () => {
      const user = await seedUser(t, tenant, ['TenantAdministrator']);
      const { passed, refused } = await exhaust(() => ocs(t, user.token, 'GET', '/Communities'));
      assert.ok(passed >= 10 && passed <= 12, `${passed} requests passed`);
      assert.equal(refused.body.Reason, 'RATE_LIMITED');
      assert.deepEqual(Object.keys(refused.body).sort(), ['Error', 'OperationId', 'Reason', 'Resolution']);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.equal(retryAfter, 1);
      await ocs(t, user.token, 'POST', '/Communities', { Name: 'Refused', Description: 'd' }, 429);
      const other = await seedUser(t, tenant, ['TenantAdministrator']);
      await ocs(t, other.token, 'GET', '/Communities', undefined, 200);
      const client = await seedClient(t, tenant, ['TenantAdministrator']);
      await ocs(t, client.token, 'GET', '/Communities', undefined, 200);

      await sleep(retryAfter);
      const listed = await ocs(t, user.token, 'GET', '/Communities', undefined, 200);
      assert.deepEqual(listed.body, [], 'the refused POST created no community');
    });

    test('a user signing OCI requests is refused 429 TooManyRequests with Retry-After, then recovers', async () => {
      const provider = await apiKeyProvider(t, tenant, tenant.admin);
      const list = () => signedFetch(provider, `${url}/20230401/senderInvitations?compartmentId=${encodeURIComponent(tenant.ocid)}`, 'GET');
      const { passed, refused } = await exhaust(list);
      assert.ok(passed >= 10 && passed <= 12, `${passed} requests passed`);
      assert.deepEqual(refused.body, { code: 'TooManyRequests', message: refused.body.message });
      assert.match(refused.body.message, /requests a second/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.equal(retryAfter, 1);
      await sleep(retryAfter);
      assert.equal((await list()).status, 200);
    });

    test('the operator is limited too, in the operator envelope', async () => {
      await sleep(5); // whatever the set-up took from the operator's bucket comes back
      const { passed, refused } = await exhaust(async () => {
        const res = await t.app.inject({ method: 'GET', url: '/admin/v1/tenants', headers: { authorization: `Bearer ${t.operatorToken}` } });
        return { status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'] };
      });
      assert.ok(passed >= 10 && passed <= 12, `${passed} requests passed`);
      assert.equal(refused.body.code, 'RATE_LIMITED');
      assert.equal(refused.retryAfter, '1');
    });
  });

  test('TENANTRY_RATE_LIMIT=0 switches the limit off', async () => {
    // A burst of 1 would refuse the second request if the limit were on.
    const t = await createTestApp({ env: { TENANTRY_RATE_LIMIT: '0', TENANTRY_RATE_LIMIT_BURST: '1' } });
    try {
      const tenant = await seedTenant(t);
      for (let i = 0; i < 50; i++) await ocs(t, tenant.adminToken, 'GET', '/Communities', undefined, 200);
    } finally {
      await t.close();
    }
  });
});
