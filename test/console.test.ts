import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, operator, type TestApp } from './support/app.js';

const PASSWORD = 'correct horse battery staple';

interface Browser {
  cookie: string;
  csrf: string;
}

describe('console sessions: sign-in, cookie, CSRF, and the API hooks', () => {
  let t: TestApp;
  let seq = 0;

  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  async function tenant(extra: Record<string, unknown> = {}) {
    seq += 1;
    return operator(t, 'POST', '/tenants', { name: `Console ${seq}`, adminEmail: `admin${seq}@console${seq}.test`, adminPassword: PASSWORD, ...extra });
  }

  async function signIn(email: string, password = PASSWORD, tenantId?: string) {
    return t.app.inject({ method: 'POST', url: '/console/api/sign-in', payload: { email, password, ...(tenantId ? { tenantId } : {}) } });
  }

  async function browserOf(email: string, tenantId?: string): Promise<Browser> {
    const res = await signIn(email, PASSWORD, tenantId);
    assert.equal(res.statusCode, 200, res.body);
    const cookie = res.cookies.find((c) => c.name === 'tenantry_session');
    assert.ok(cookie, 'a session cookie is set');
    return { cookie: `tenantry_session=${cookie.value}`, csrf: res.json().session.csrfToken };
  }

  const as = (b: Browser, method: string, url: string, payload?: unknown, withCsrf = true) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { cookie: b.cookie, ...(withCsrf ? { 'x-csrf-token': b.csrf } : {}) },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  test('failed sign-ins are limited per email: after ten wrong passwords in a row the next is 429 with Retry-After, right password or not; other emails go on', async () => {
    const target = await tenant();
    const other = await tenant();
    for (let i = 0; i < 10; i += 1) assert.equal((await signIn(target.admin.email, 'wrong password')).statusCode, 401);
    const refused = await signIn(target.admin.email);
    assert.equal(refused.statusCode, 429, refused.body);
    assert.ok(Number(refused.headers['retry-after']) >= 1, 'Retry-After in seconds');
    assert.equal(refused.cookies.length, 0, 'no session');
    assert.equal((await signIn(other.admin.email)).statusCode, 200);
  });

  test('successful sign-ins are not counted against the email', async () => {
    const a = await tenant();
    for (let i = 0; i < 12; i += 1) assert.equal((await signIn(a.admin.email)).statusCode, 200, `sign-in ${i + 1}`);
    for (let i = 0; i < 9; i += 1) assert.equal((await signIn(a.admin.email, 'wrong password')).statusCode, 401);
    assert.equal((await signIn(a.admin.email)).statusCode, 200, 'nine failures leave one attempt');
  });

  test('signing in with email and password sets an HttpOnly, SameSite=Strict session cookie and names the tenant', async () => {
    const a = await tenant();
    const res = await signIn(a.admin.email.toUpperCase());
    assert.equal(res.statusCode, 200, res.body);
    const cookie = res.cookies.find((c) => c.name === 'tenantry_session')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/');
    assert.ok(cookie.value.length >= 40);
    const body = res.json();
    assert.equal(body.status, 'signed-in');
    assert.deepEqual([body.session.tenant.id, body.session.tenant.name, body.session.tenant.ocid], [a.id, a.name, a.ocid]);
    assert.equal(body.session.user.email, a.admin.email);
    assert.ok(!JSON.stringify(body).includes(cookie.value), 'the session id is only in the cookie');

    const me = await t.app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie: `tenantry_session=${cookie.value}` } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().tenant.name, a.name);
    assert.equal(me.json().csrfToken, body.session.csrfToken);

    const stored = await t.database.db.selectFrom('console_sessions').selectAll().where('user_id', '=', a.admin.id).execute();
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0].id_hash, cookie.value, 'only a hash of the session id is stored');
    assert.equal(stored[0].expires_at - stored[0].created_at, 8 * 3600 * 1000);
  });

  test('a wrong password or an unknown email is refused with the same 401 and no cookie', async () => {
    const a = await tenant();
    for (const res of [await signIn(a.admin.email, 'wrong password'), await signIn('nobody@nowhere.test')]) {
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().message, 'The email or the password is wrong.');
      assert.equal(res.cookies.length, 0);
    }
    const none = await t.app.inject({ method: 'GET', url: '/console/api/session' });
    assert.equal(none.statusCode, 401);
  });

  test('an email with users in two tenants first lists those tenants, then signs in to the one picked', async () => {
    const a = await tenant();
    const b = await tenant();
    const shared = `shared${seq}@both.test`;
    await operator(t, 'POST', `/tenants/${a.id}/users`, { email: shared, password: PASSWORD, roles: ['TenantAdministrator'] });
    await operator(t, 'POST', `/tenants/${b.id}/users`, { email: shared, password: PASSWORD, roles: ['TenantMember'] });
    const first = await signIn(shared);
    assert.equal(first.statusCode, 200);
    assert.equal(first.json().status, 'choose-tenant');
    assert.deepEqual(first.json().tenants.map((x: { id: string }) => x.id).sort(), [a.id, b.id].sort());
    assert.equal(first.cookies.length, 0);
    const picked = await signIn(shared, PASSWORD, b.id);
    assert.equal(picked.json().session.tenant.id, b.id);
    const stranger = await tenant();
    assert.equal((await signIn(shared, PASSWORD, stranger.id)).statusCode, 401, 'a tenant the user is not in cannot be picked');
  });

  test('the session cookie authenticates the OCS and OCI APIs as the signed-in user', async () => {
    const a = await tenant();
    const browser = await browserOf(a.admin.email);
    const created = await as(browser, 'POST', '/api/v1-preview/Communities', { Name: 'From the browser' });
    assert.equal(created.statusCode, 201, created.body);
    const listed = await as(browser, 'GET', '/api/v1-preview/Communities');
    assert.deepEqual(listed.json().map((c: { Name: string }) => c.Name), ['From the browser']);
    const sent = await as(browser, 'GET', `/20230401/senderInvitations?compartmentId=${encodeURIComponent(a.ocid)}`);
    assert.equal(sent.statusCode, 200, sent.body);
    assert.deepEqual(sent.json().items, []);
    const audit = await operator(t, 'GET', `/audit?tenantId=${a.id}`);
    const create = audit.items.find((e: { action: string }) => e.action === 'community.create');
    assert.deepEqual(create?.actor, { type: 'user', id: a.admin.id, tenantId: a.id });
  });

  test('a cross-site POST carrying the cookie but not the CSRF header is refused and changes nothing', async () => {
    const a = await tenant();
    const browser = await browserOf(a.admin.email);
    const ocs = await as(browser, 'POST', '/api/v1-preview/Communities', { Name: 'Forged' }, false);
    assert.equal(ocs.statusCode, 401);
    assert.match(ocs.json().Error, /X-CSRF-Token/);
    const wrong = await as({ ...browser, csrf: 'x'.repeat(43) }, 'POST', '/api/v1-preview/Communities', { Name: 'Forged' });
    assert.equal(wrong.statusCode, 401);
    const oci = await as(browser, 'POST', '/20230401/senderInvitations', { compartmentId: a.ocid, recipientTenancyId: a.ocid }, false);
    assert.equal(oci.statusCode, 401);
    assert.equal(oci.json().code, 'NotAuthenticated');
    assert.deepEqual((await as(browser, 'GET', '/api/v1-preview/Communities')).json(), []);
    const signOut = await as(browser, 'POST', '/console/api/sign-out', undefined, false);
    assert.equal(signOut.statusCode, 401, 'another site cannot sign the user out either');
    assert.equal((await as(browser, 'GET', '/console/api/session')).statusCode, 200);
    const crossSiteSignIn = await t.app.inject({
      method: 'POST',
      url: '/console/api/sign-in',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { email: a.admin.email, password: PASSWORD },
    });
    assert.equal(crossSiteSignIn.statusCode, 403);
    const foreignOriginSignIn = await t.app.inject({
      method: 'POST',
      url: '/console/api/sign-in',
      headers: { origin: 'https://evil.example' },
      payload: { email: a.admin.email, password: PASSWORD },
    });
    assert.equal(foreignOriginSignIn.statusCode, 403);
    assert.equal(foreignOriginSignIn.cookies.length, 0, 'no session for a sign-in another site sent');
  });

  test('a POST with the cookie and even the right CSRF token is refused 403 when another site sent it (Origin, Sec-Fetch-Site), and changes nothing', async () => {
    const a = await tenant();
    const browser = await browserOf(a.admin.email);
    const forged = (headers: Record<string, string>, url = '/api/v1-preview/Communities', payload: object = { Name: 'Forged' }) =>
      t.app.inject({ method: 'POST', url, headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrf, ...headers }, payload });
    const foreign: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { host: 'console.test:8080', origin: 'http://console.test:8081' }];
    for (const headers of foreign) {
      const res = await forged(headers);
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.equal(res.json().Reason, 'CROSS_SITE_REQUEST');
    }
    const oci = await forged({ origin: 'https://evil.example' }, '/20230401/senderInvitations', { compartmentId: a.ocid, recipientTenancyId: a.ocid });
    assert.deepEqual([oci.statusCode, oci.json().code], [404, 'NotAuthorizedOrNotFound'], 'OCI does not tell forbidden from not found');
    assert.equal((await forged({ origin: 'https://evil.example' }, '/console/api/sign-out', {})).statusCode, 403);
    assert.deepEqual((await as(browser, 'GET', '/api/v1-preview/Communities')).json(), [], 'nothing was created');
    assert.equal((await as(browser, 'GET', '/console/api/session')).statusCode, 200, 'the session is still there');
    // The console's own page (same host) and TENANTRY_PUBLIC_URL are the origins that may.
    const own = await forged({ host: 'console.test:8080', origin: 'http://console.test:8080', 'sec-fetch-site': 'same-origin' }, '/api/v1-preview/Communities', { Name: 'Mine' });
    assert.equal(own.statusCode, 201, own.body);
    const viaPublicUrl = await forged({ origin: new URL(t.config.publicUrl).origin }, '/api/v1-preview/Communities', { Name: 'Mine too' });
    assert.equal(viaPublicUrl.statusCode, 201, viaPublicUrl.body);
  });

  test('a session of tenant A cannot read tenant B: its community is refused and its OCI compartment is not found', async () => {
    const a = await tenant();
    const b = await tenant();
    const browserA = await browserOf(a.admin.email);
    const browserB = await browserOf(b.admin.email);
    const community = (await as(browserB, 'POST', '/api/v1-preview/Communities', { Name: 'B only' })).json();
    const read = await as(browserA, 'GET', `/api/v1-preview/Communities/${community.Id}`);
    assert.ok([403, 404].includes(read.statusCode), read.body);
    assert.deepEqual((await as(browserA, 'GET', '/api/v1-preview/Communities')).json(), []);
    const invitations = await as(browserA, 'GET', `/api/v1-preview/Communities/${community.Id}/Invitations`);
    assert.ok([403, 404].includes(invitations.statusCode), invitations.body);
    const foreign = await as(browserA, 'GET', `/20230401/senderInvitations?compartmentId=${encodeURIComponent(b.ocid)}`);
    assert.equal(foreign.statusCode, 404, foreign.body);
    const roles = await as(browserA, 'GET', `/api/v1/Tenants/${b.id}/Roles`);
    assert.equal(roles.statusCode, 403);
  });

  test('an Authorization header wins over the cookie: a bad bearer token with a good cookie is refused', async () => {
    const a = await tenant();
    const browser = await browserOf(a.admin.email);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1-preview/Communities', headers: { cookie: browser.cookie, authorization: 'Bearer nope' } });
    assert.equal(res.statusCode, 401);
  });

  test('signing out ends the session everywhere and clears the cookie; an expired session is refused', async () => {
    const a = await tenant();
    const browser = await browserOf(a.admin.email);
    const out = await as(browser, 'POST', '/console/api/sign-out');
    assert.equal(out.statusCode, 204);
    const cleared = out.cookies.find((c) => c.name === 'tenantry_session');
    assert.equal(cleared?.value, '');
    assert.equal(cleared?.maxAge, 0);
    assert.equal((await as(browser, 'GET', '/api/v1-preview/Communities')).statusCode, 401);
    assert.equal((await as(browser, 'GET', '/console/api/session')).statusCode, 401);

    const later = await browserOf(a.admin.email);
    assert.equal((await as(later, 'GET', '/api/v1-preview/Communities')).statusCode, 200);
    t.clock.advance(8 * 3600 * 1000);
    assert.equal((await as(later, 'GET', '/api/v1-preview/Communities')).statusCode, 401);
    assert.equal((await as(later, 'GET', '/console/api/session')).statusCode, 401);
  });

  test('the console is served under /console with a single-page fallback and strict security headers', async () => {
    const root = await t.app.inject({ method: 'GET', url: '/console/' });
    assert.equal(root.statusCode, 200, root.body);
    assert.match(String(root.headers['content-type']), /text\/html/);
    assert.match(root.body, /<div id="root">/);
    assert.match(String(root.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(root.headers['x-frame-options'], 'DENY');
    assert.match(String(root.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(root.headers['x-content-type-options'], 'nosniff');
    assert.equal(root.headers['referrer-policy'], 'same-origin');
    const bare = await t.app.inject({ method: 'GET', url: '/console' });
    assert.equal(bare.statusCode, 200);
    assert.equal(bare.body, root.body);
    const deep = await t.app.inject({ method: 'GET', url: '/console/communities/0f8fad5b-d9cb-469f-a165-70867728950e/invitations/x' });
    assert.equal(deep.statusCode, 200);
    assert.equal(deep.body, root.body);
    const asset = /src="\/console\/(assets\/[^"]+\.js)"/.exec(root.body)?.[1];
    assert.ok(asset, root.body);
    const js = await t.app.inject({ method: 'GET', url: `/console/${asset}` });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['cache-control']), /immutable/);
    const api = await t.app.inject({ method: 'GET', url: '/console/api/nothing' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'NOT_FOUND');
    // The session API's JSON answers: the same headers, a policy that loads nothing, and no caching.
    for (const answer of [api, await t.app.inject({ method: 'GET', url: '/console/api/session' })]) {
      assert.equal(answer.headers['x-frame-options'], 'DENY');
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      assert.equal(answer.headers['referrer-policy'], 'same-origin');
      assert.equal(answer.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
      assert.equal(answer.headers['cache-control'], 'no-store');
    }
  });
});
