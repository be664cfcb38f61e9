import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { authorize } from '../src/modules/identity/identity.service.js';
import { AppError } from '../src/platform/errors.js';
import { createTestApp, operator, seedTenant, type TestApp } from './support/app.js';

describe('identity', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { TENANTRY_PUBLIC_URL: 'http://tenantry.test:9999' } });
  });
  after(() => t.close());

  test('the OpenID discovery document names an absolute token endpoint on the public URL', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/identity/.well-known/openid-configuration', headers: { accept: '*/*' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().token_endpoint, 'http://tenantry.test:9999/identity/connect/token');
    const doubled = await t.app.inject({ method: 'GET', url: '//identity/.well-known/openid-configuration' });
    assert.equal(doubled.statusCode, 200, 'a base URL with a trailing slash still discovers');
  });

  test('client credentials (form or HTTP Basic) get a bearer token that acts as the client', async () => {
    const tenant = await seedTenant(t);
    const client = await operator(t, 'POST', `/tenants/${tenant.id}/clients`, { name: 'ingest', roles: ['TenantAdministrator'] });
    const form = await t.app.inject({
      method: 'POST',
      url: '/identity/connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `client_id=${client.clientId}&client_secret=${encodeURIComponent(client.clientSecret)}&grant_type=client_credentials`,
    });
    assert.equal(form.statusCode, 200, form.body);
    const token = form.json();
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.expires_in, 3600);
    assert.ok(token.access_token.length >= 40);
    const basic = await t.app.inject({
      method: 'POST',
      url: '/identity/connect/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(basic.statusCode, 200, basic.body);
    const roles = await t.app.inject({ method: 'GET', url: `/api/v1/Tenants/${tenant.id}/Roles`, headers: { authorization: `Bearer ${token.access_token}` } });
    assert.equal(roles.statusCode, 200);
  });

  test('a wrong secret, an unknown client or another grant gets an OAuth2 error body', async () => {
    const tenant = await seedTenant(t);
    const client = await operator(t, 'POST', `/tenants/${tenant.id}/clients`, { name: 'c', roles: ['TenantMember'] });
    const cases: Array<[string, number, string]> = [
      [`client_id=${client.clientId}&client_secret=wrong&grant_type=client_credentials`, 401, 'invalid_client'],
      [`client_id=00000000-0000-7000-8000-000000000000&client_secret=x&grant_type=client_credentials`, 401, 'invalid_client'],
      [`client_id=${client.clientId}&client_secret=x&grant_type=password`, 400, 'unsupported_grant_type'],
      ['grant_type=client_credentials', 400, 'invalid_request'],
      ['', 400, 'invalid_request'],
    ];
    for (const [payload, status, error] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/identity/connect/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
      assert.equal(res.statusCode, status, payload);
      assert.equal(res.json().error, error, payload);
      assert.equal(typeof res.json().error_description, 'string');
    }
  });

  test('the OCS Roles route lists the tenant roles, case-insensitively, with doubled slashes and an empty JSON body', async () => {
    const tenant = await seedTenant(t);
    const headers = { authorization: `Bearer ${tenant.adminToken}`, 'content-type': 'application/json', accept: 'application/json' };
    for (const url of [`/api/v1/Tenants/${tenant.id}/Roles?skip=0&count=100`, `/API/V1-PREVIEW//tenants/${tenant.id}/roles`, `/api/v1-preview/Tenants/${tenant.id}/Roles?skip=&count=`]) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      const roles = res.json();
      assert.deepEqual(roles.map((r: { Name: string }) => r.Name).sort(), ['CommunityAdministrator', 'TenantAdministrator', 'TenantDataSteward', 'TenantMember']);
      for (const role of roles) {
        assert.equal(role.RoleScope, 1);
        assert.equal(role.TenantId, tenant.id);
        assert.equal(role.CommunityId, null);
        assert.match(role.RoleTypeId, /^[0-9a-f-]{36}$/);
      }
    }
    const paged = await t.app.inject({ method: 'GET', url: `/api/v1/Tenants/${tenant.id}/Roles?skip=1&count=2`, headers });
    assert.equal(paged.json().length, 2);
  });

  test('OCS errors use the ErrorResponse envelope with an Operation-Id', async () => {
    const tenant = await seedTenant(t);
    const other = await seedTenant(t);
    const unauthenticated = await t.app.inject({ method: 'GET', url: `/api/v1/Tenants/${tenant.id}/Roles` });
    assert.equal(unauthenticated.statusCode, 401);
    const body = unauthenticated.json();
    assert.deepEqual(Object.keys(body).sort(), ['Error', 'OperationId', 'Reason', 'Resolution']);
    assert.equal(unauthenticated.headers['operation-id'], body.OperationId);
    const foreign = await t.app.inject({ method: 'GET', url: `/api/v1/Tenants/${other.id}/Roles`, headers: { authorization: `Bearer ${tenant.adminToken}` } });
    assert.equal(foreign.statusCode, 403);
    assert.equal(foreign.json().Reason, 'FORBIDDEN');
    const badPaging = await t.app.inject({ method: 'GET', url: `/api/v1/Tenants/${tenant.id}/Roles?count=-4`, headers: { authorization: `Bearer ${tenant.adminToken}` } });
    assert.equal(badPaging.statusCode, 400);
    assert.equal(badPaging.json().Reason, 'INVALID_REQUEST');
    const badJson = await t.app.inject({
      method: 'POST',
      url: `/api/v1/Tenants/${tenant.id}/Roles`,
      headers: { authorization: `Bearer ${tenant.adminToken}`, 'content-type': 'application/json' },
      payload: '{"Name":',
    });
    assert.equal(badJson.statusCode, 400);
    assert.equal(badJson.json().Reason, 'INVALID_JSON');
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/Nowhere', headers: { authorization: `Bearer ${tenant.adminToken}` } });
    assert.equal(unknown.statusCode, 404);
    assert.ok(unknown.json().OperationId);
  });

  test('request ids are echoed from opc-request-id or generated', async () => {
    const echoed = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'opc-request-id': 'ABC-123' } });
    assert.equal(echoed.headers['opc-request-id'], 'ABC-123');
    const generated = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(generated.headers['opc-request-id']), /^[0-9A-F]{32}$/);
  });

  test('Administrators may do everything; other users only what a policy of their tenant grants', async () => {
    const tenant = await seedTenant(t);
    const admin = { type: 'user' as const, id: tenant.admin.id, tenantId: tenant.id };
    await authorize(t.deps, admin, { verb: 'manage', resourceType: 'organizations-sender-invitation' });
    const viewer = await operator(t, 'POST', `/tenants/${tenant.id}/users`, { email: 'viewer@x.test', groups: ['linkViewers'] });
    const asViewer = { type: 'user' as const, id: viewer.id, tenantId: tenant.id };
    const request = { verb: 'read' as const, resourceType: 'organizations-link' };
    await assert.rejects(authorize(t.deps, asViewer, request), (e: unknown) => e instanceof AppError && e.kind === 'forbidden');
    await operator(t, 'POST', `/tenants/${tenant.id}/policies`, { name: 'p', statements: ['Allow group linkViewers to read organizations-links in tenancy'] });
    await authorize(t.deps, asViewer, request);
    await assert.rejects(authorize(t.deps, asViewer, { verb: 'manage', resourceType: 'organizations-link' }));
    const other = await seedTenant(t);
    const stranger = await operator(t, 'POST', `/tenants/${other.id}/users`, { email: 'viewer@x.test', groups: ['linkViewers'] });
    await assert.rejects(
      authorize(t.deps, { type: 'user', id: stranger.id, tenantId: other.id }, request),
      'a policy of one tenant grants nothing in another',
    );
  });
});
