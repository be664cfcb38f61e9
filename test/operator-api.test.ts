import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestApp, operator, seedTenant, type TestApp } from './support/app.js';

const publicKeyPem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
    .publicKey;

describe('operator API', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('refuses calls without the operator token, in the admin envelope', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${t.operatorToken}`]) {
      const res = await t.app.inject({ method: 'GET', url: '/admin/v1/tenants', headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'NOT_AUTHENTICATED');
      assert.ok(res.headers['opc-request-id']);
    }
  });

  test('creates a tenant with its own subscription and admin, as the contract shapes it', async () => {
    const tenant = await operator(t, 'POST', '/tenants', { name: 'Acme', adminEmail: 'Boss@Acme.test', adminPassword: 'correct horse', subscriptionType: 'PAYG', homeRegion: 'eu-frankfurt-1' });
    assert.match(tenant.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(tenant.ocid, /^ocid1\.tenancy\.oc1\.\.aaaaaaaa[a-z2-7]{52}$/);
    assert.equal(tenant.name, 'Acme');
    assert.equal(tenant.realm, 'oc1');
    assert.equal(tenant.homeRegion, 'eu-frankfurt-1');
    assert.equal(tenant.subscriptionType, 'PAYG');
    assert.match(tenant.subscriptionId, /^ocid1\.organizationssubscription\.oc1\.\./);
    assert.equal(tenant.admin.email, 'boss@acme.test');
    assert.match(tenant.admin.ocid, /^ocid1\.user\.oc1\.\./);
    const defaults = await operator(t, 'POST', '/tenants', { name: 'Plain', adminEmail: 'p@plain.test' });
    assert.equal(defaults.subscriptionType, 'ANNUAL_COMMIT');
    assert.equal(defaults.homeRegion, 'us-ashburn-1');
    const list = await operator(t, 'GET', '/tenants');
    assert.deepEqual(
      list.filter((x: { id: string }) => [tenant.id, defaults.id].includes(x.id)).map((x: { name: string }) => x.name),
      ['Acme', 'Plain'],
    );
    assert.equal(list.find((x: { id: string }) => x.id === tenant.id).admin, undefined);
  });

  test('creates users with roles and groups, and refuses a duplicate email in the tenant', async () => {
    const tenant = await seedTenant(t);
    const user = await operator(t, 'POST', `/tenants/${tenant.id}/users`, {
      email: 'steward@x.test',
      name: 'Steward',
      password: 'long enough',
      roles: ['TenantMember', 'TenantDataSteward'],
      groups: ['linkAdmins'],
    });
    assert.deepEqual(user.roles.map((r: { name: string }) => r.name).sort(), ['TenantDataSteward', 'TenantMember']);
    assert.ok(user.roles.every((r: { id: string }) => /^[0-9a-f-]{36}$/.test(r.id)));
    assert.deepEqual(user.groups, ['linkAdmins']);
    const member = await operator(t, 'POST', `/tenants/${tenant.id}/users`, { email: 'member@x.test' });
    assert.deepEqual(member.roles.map((r: { name: string }) => r.name), ['TenantMember']);
    const dup = await operator(t, 'POST', `/tenants/${tenant.id}/users`, { email: 'STEWARD@x.test' }, 409);
    assert.equal(dup.code, 'USER_EXISTS');
    const other = await seedTenant(t);
    await operator(t, 'POST', `/tenants/${other.id}/users`, { email: 'steward@x.test' });
  });

  test('of five racing creations of one user, exactly one wins and the others conflict', async () => {
    const tenant = await seedTenant(t);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.app.inject({
          method: 'POST',
          url: `/admin/v1/tenants/${tenant.id}/users`,
          headers: { authorization: `Bearer ${t.operatorToken}` },
          payload: { email: 'race@x.test', password: 'racing password' },
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409]);
    const rows = await t.database.db.selectFrom('users').select('id').where('tenant_id', '=', tenant.id).where('email', '=', 'race@x.test').execute();
    assert.equal(rows.length, 1);
  });

  test('issues user tokens that act as the user on the OCS API until they expire', async () => {
    const tenant = await seedTenant(t);
    const { token, expiresAt } = await operator(t, 'POST', `/users/${tenant.admin.id}/tokens`, { ttlSeconds: 120 });
    assert.equal(Date.parse(expiresAt), t.clock.now() + 120_000);
    const roles = await t.app.inject({ method: 'GET', url: `/api/v1/Tenants/${tenant.id}/Roles`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(roles.statusCode, 200);
    t.clock.advance(121_000);
    const expired = await t.app.inject({ method: 'GET', url: `/api/v1/Tenants/${tenant.id}/Roles`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().Reason, 'NOT_AUTHENTICATED');
    await operator(t, 'POST', '/users/00000000-0000-7000-8000-000000000000/tokens', {}, 404);
  });

  test('registers API keys with the OCI fingerprint and keyId', async () => {
    const tenant = await seedTenant(t);
    const pem = publicKeyPem();
    const key = await operator(t, 'POST', `/users/${tenant.admin.id}/api-keys`, { publicKey: pem });
    assert.match(key.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    assert.equal(key.keyId, `${tenant.ocid}/${tenant.admin.ocid}/${key.fingerprint}`);
    assert.equal((await operator(t, 'POST', `/users/${tenant.admin.id}/api-keys`, { publicKey: pem }, 409)).code, 'API_KEY_EXISTS');
    const bad = await operator(t, 'POST', `/users/${tenant.admin.id}/api-keys`, { publicKey: `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(200)}\n-----END PUBLIC KEY-----` }, 400);
    assert.equal(bad.code, 'INVALID_PUBLIC_KEY');
  });

  test('creates clients, groups, policies, namespaces and subscriptions', async () => {
    const tenant = await seedTenant(t);
    const client = await operator(t, 'POST', `/tenants/${tenant.id}/clients`, { name: 'ingest', roles: ['TenantAdministrator'] });
    assert.match(client.clientId, /^[0-9a-f-]{36}$/);
    assert.ok(client.clientSecret.length >= 40);
    const user = await operator(t, 'POST', `/tenants/${tenant.id}/users`, { email: 'u@g.test' });
    const group = await operator(t, 'POST', `/tenants/${tenant.id}/groups`, { name: 'linkViewers', members: [user.id] });
    assert.deepEqual([group.name, group.members], ['linkViewers', [user.id]]);
    assert.equal((await operator(t, 'POST', `/tenants/${tenant.id}/groups`, { name: 'linkViewers', members: [] }, 409)).code, 'GROUP_EXISTS');
    const stranger = await seedTenant(t);
    const refused = await operator(t, 'POST', `/tenants/${tenant.id}/groups`, { name: 'mixed', members: [stranger.admin.id] }, 400);
    assert.equal(refused.code, 'UNKNOWN_MEMBER');
    const policy = await operator(t, 'POST', `/tenants/${tenant.id}/policies`, {
      name: 'viewers',
      statements: ['Allow group linkViewers to read organizations-links in tenancy'],
    });
    assert.match(policy.id, /^ocid1\.policy\./);
    const badPolicy = await operator(t, 'POST', `/tenants/${tenant.id}/policies`, { name: 'bad', statements: ['Allow group x to fly organizations-family in tenancy'] }, 400);
    assert.equal(badPolicy.code, 'INVALID_POLICY_STATEMENT');
    assert.deepEqual(await operator(t, 'POST', `/tenants/${tenant.id}/namespaces`, { id: 'plant-1' }), { id: 'plant-1' });
    assert.equal((await operator(t, 'POST', `/tenants/${tenant.id}/namespaces`, { id: 'plant-1' }, 409)).code, 'NAMESPACE_EXISTS');
    const sub = await operator(t, 'POST', `/tenants/${tenant.id}/subscriptions`, { displayName: 'Second' });
    assert.match(sub.subscriptionId, /^ocid1\.organizationssubscription\./);
    assert.notEqual(sub.subscriptionId, tenant.subscriptionId);
  });

  test('sets rate cards and stores usage idempotently, refusing a bad batch whole', async () => {
    const tenant = await seedTenant(t);
    const card = { items: [{ service: 'COMPUTE', unit: 'OCPU_HOUR', unitPrice: 0.05, currency: 'USD' }] };
    assert.deepEqual(await operator(t, 'PUT', `/subscriptions/${tenant.subscriptionId}/rate-card`, card), { subscriptionId: tenant.subscriptionId, ...card });
    await operator(t, 'PUT', '/subscriptions/ocid1.organizationssubscription.oc1..nope/rate-card', card, 404);
    const record = (id: string, tenancyId = tenant.ocid) => ({ id, tenancyId, service: 'COMPUTE', resource: 'vm-1', quantity: 2.5, unit: 'OCPU_HOUR', time: '2026-11-01T00:00:00Z' });
    assert.deepEqual(await operator(t, 'POST', '/usage', { records: [record('u1'), record('u2')] }), { accepted: 2 });
    assert.deepEqual(await operator(t, 'POST', '/usage', { records: [record('u2'), record('u3')] }), { accepted: 1 });
    const refused = await operator(t, 'POST', '/usage', { records: [record('u4'), record('u5', 'ocid1.tenancy.oc1..unknown')] }, 400);
    assert.equal(refused.code, 'UNKNOWN_TENANCY');
    assert.deepEqual(await operator(t, 'POST', '/usage', { records: [record('u4')] }), { accepted: 1 }, 'u4 was not kept from the refused batch');
    const rows = await t.database.db.selectFrom('usage_records').select('id').where('tenant_id', '=', tenant.id).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.id), ['u1', 'u2', 'u3', 'u4']);
  });

  test('records every state change in the audit log, newest first, filtered and paged', async () => {
    const tenant = await seedTenant(t);
    await operator(t, 'POST', `/tenants/${tenant.id}/namespaces`, { id: 'audited' });
    const page = await operator(t, 'GET', `/audit?tenantId=${tenant.id}`);
    const actions = page.items.map((e: { action: string }) => e.action);
    assert.deepEqual(actions, ['namespace.create', 'token.issue', 'user.create', 'tenant.create']);
    const created = page.items.find((e: { action: string }) => e.action === 'tenant.create');
    assert.deepEqual(created.actor, { type: 'operator', id: null, tenantId: null });
    assert.equal(created.tenantId, tenant.id);
    assert.equal(created.resourceType, 'Tenant');
    assert.equal(created.resourceId, tenant.id);
    assert.equal(created.before, null);
    assert.equal(created.after.name, tenant.name);
    assert.ok(!Number.isNaN(Date.parse(created.time)));
    const byResource = await operator(t, 'GET', `/audit?resourceId=audited`);
    assert.deepEqual(byResource.items.map((e: { action: string }) => e.action), ['namespace.create']);
    for (let i = 0; i < 101; i += 1) await operator(t, 'POST', `/tenants/${tenant.id}/namespaces`, { id: `ns-${i}` });
    const first = await operator(t, 'GET', `/audit?tenantId=${tenant.id}`);
    assert.equal(first.items.length, 100);
    assert.ok(first.nextPage);
    const second = await operator(t, 'GET', `/audit?tenantId=${tenant.id}&page=${first.nextPage}`);
    assert.equal(second.items.length, 105 - 100);
    assert.equal(second.nextPage, null);
    const ids = [...first.items, ...second.items].map((e: { id: string }) => e.id);
    assert.deepEqual(ids, [...ids].sort().reverse(), 'newest first across pages');
    assert.equal((await operator(t, 'GET', '/audit?page=%%%', undefined, 400)).code, 'INVALID_PAGE');
  });

  describe('rejects malformed input with 400 in the admin envelope, changing nothing', () => {
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/tenants', { name: 'x' }],
      ['POST', '/tenants', { name: 'x', adminEmail: 'not-an-email' }],
      ['POST', '/tenants', { name: 'x', adminEmail: 'a@b.test', subscriptionType: 'GOLD' }],
      ['POST', '/tenants', { name: 'x', adminEmail: 'a@b.test', homeRegion: 'mars-north-1' }],
      ['POST', '/tenants', { name: 'x', adminEmail: 'a@b.test', adminPassword: 'short' }],
      ['POST', '/tenants', { name: 'x'.repeat(201), adminEmail: 'a@b.test' }],
      ['POST', '/tenants', { name: 'x', adminEmail: 'a@b.test', extra: true }],
      ['POST', '/tenants', '{"name": '],
      ['POST', '/tenants/:tenant/users', { email: 'u@b.test', roles: ['Overlord'] }],
      ['POST', '/tenants/:tenant/users', { email: 7 }],
      ['POST', '/tenants/:tenant/users', { email: 'u@b.test', groups: ['bad name!'] }],
      ['POST', '/users/:user/tokens', { ttlSeconds: -5 }],
      ['POST', '/users/:user/tokens', { ttlSeconds: 'soon' }],
      ['POST', '/users/:user/api-keys', {}],
      ['POST', '/users/:user/api-keys', { publicKey: 'hello' }],
      ['POST', '/tenants/:tenant/clients', { name: 'c' }],
      ['POST', '/tenants/:tenant/clients', { name: 'c', roles: [] }],
      ['POST', '/tenants/:tenant/groups', { members: [] }],
      ['POST', '/tenants/:tenant/groups', { name: 'g', members: ['not-a-guid'] }],
      ['POST', '/tenants/:tenant/policies', { name: 'p', statements: [] }],
      ['POST', '/tenants/:tenant/policies', { name: 'p', statements: ['Allow group g to manage organizations-family in compartment c'] }],
      ['POST', '/tenants/:tenant/namespaces', { id: '../etc' }],
      ['POST', '/tenants/:tenant/namespaces', {}],
      ['POST', '/tenants/:tenant/subscriptions', { displayName: 42 }],
      ['PUT', '/subscriptions/:subscription/rate-card', { items: [{ service: 's', unit: 'u', unitPrice: -1, currency: 'USD' }] }],
      ['PUT', '/subscriptions/:subscription/rate-card', { items: [{ service: 's', unit: 'u', unitPrice: 1, currency: 'dollars' }] }],
      ['POST', '/usage', { records: [] }],
      ['POST', '/usage', { records: [{ id: 'r', tenancyId: 'x', service: 's', resource: 'r', quantity: 1, unit: 'u', time: 'yesterday' }] }],
      ['POST', '/usage', { records: [{ id: 'r', tenancyId: 'x', service: 's', resource: 'r', quantity: 'lots', unit: 'u', time: '2026-01-01T00:00:00Z' }] }],
      ['GET', '/audit?unknown=1', undefined],
    ];
    for (const [method, template, body] of cases) {
      test(`${method} ${template} ${typeof body === 'string' ? body : JSON.stringify(body ?? '')}`, async () => {
        const tenant = await seedTenant(t);
        const url = template
          .replace(':tenant', tenant.id)
          .replace(':user', tenant.admin.id)
          .replace(':subscription', tenant.subscriptionId);
        const before = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        const res = await t.app.inject({
          method: method as 'POST',
          url: `/admin/v1${url}`,
          headers: { authorization: `Bearer ${t.operatorToken}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
        });
        assert.equal(res.statusCode, 400, res.body);
        const error = res.json();
        assert.equal(typeof error.code, 'string');
        assert.ok(error.message.length > 10, error.message);
        const afterCount = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(afterCount.n), Number(before.n), 'no state changed');
      });
    }
  });
});
