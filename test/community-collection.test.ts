import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './support/app.js';
import { ocs, seedTenant, seedUser } from './support/communities.js';

describe('the community collection access control list (§2.5)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('by default administrators create communities and manage the list; members only read', async () => {
    const tenant = await seedTenant(t);
    const acl = await ocs(t, tenant.adminToken, 'GET', `/Tenants/${tenant.id}/AccessControl/Communities`, undefined, 200);
    const roles = (await ocs(t, tenant.adminToken, 'GET', `/api/v1/Tenants/${tenant.id}/Roles`, undefined, 200)).body as Array<{ Id: string; Name: string }>;
    const rightsOf = (name: string) =>
      acl.body.RoleTrusteeAccessControlEntries.find((e: { Trustee: { ObjectId: string } }) => e.Trustee.ObjectId === roles.find((r) => r.Name === name)!.Id)?.AccessRights;
    assert.deepEqual([rightsOf('TenantAdministrator'), rightsOf('CommunityAdministrator'), rightsOf('TenantMember')], [15, 3, 1]);

    const member = await seedUser(t, tenant, ['TenantMember']);
    assert.deepEqual((await ocs(t, member.token, 'GET', `/Tenants/${tenant.id}/AccessRights/Communities`, undefined, 200)).body, ['Read']);
    assert.deepEqual((await ocs(t, tenant.adminToken, 'GET', `/Tenants/${tenant.id}/AccessRights/Communities`, undefined, 200)).body, ['Read', 'Write', 'Delete', 'ManageAccessControl']);
    await ocs(t, member.token, 'POST', '/Communities', { Name: 'Not mine to make' }, 403);
    await ocs(t, member.token, 'GET', `/Tenants/${tenant.id}/AccessControl/Communities`, undefined, 403);
    await ocs(t, member.token, 'PUT', `/Tenants/${tenant.id}/AccessControl/Communities`, acl.body, 403);
  });

  test('granting Write to Tenant Members lets them create communities; another tenant cannot touch the list', async () => {
    const tenant = await seedTenant(t);
    const member = await seedUser(t, tenant, ['TenantMember']);
    const roles = (await ocs(t, tenant.adminToken, 'GET', `/api/v1/Tenants/${tenant.id}/Roles`, undefined, 200)).body as Array<{ Id: string; Name: string }>;
    const acl = (await ocs(t, tenant.adminToken, 'GET', `/Tenants/${tenant.id}/AccessControl/Communities`, undefined, 200)).body;
    acl.RoleTrusteeAccessControlEntries.find((e: { Trustee: { ObjectId: string } }) => e.Trustee.ObjectId === roles.find((r) => r.Name === 'TenantMember')!.Id).AccessRights = 3;
    await ocs(t, tenant.adminToken, 'PUT', `/Tenants/${tenant.id}/AccessControl/Communities`, acl, 204);
    await ocs(t, member.token, 'POST', '/Communities', { Name: 'Members may' }, 201);

    const stranger = await seedTenant(t);
    await ocs(t, stranger.adminToken, 'GET', `/Tenants/${tenant.id}/AccessControl/Communities`, undefined, 403);
    await ocs(t, stranger.adminToken, 'PUT', `/Tenants/${tenant.id}/AccessControl/Communities`, acl, 403);
    const foreignRole = { RoleTrusteeAccessControlEntries: [{ Trustee: { Type: 3, ObjectId: roles[0].Id }, AccessType: 0, AccessRights: 15 }] };
    await ocs(t, stranger.adminToken, 'PUT', `/Tenants/${stranger.id}/AccessControl/Communities`, foreignRole, 400);
    await ocs(t, tenant.adminToken, 'PUT', `/Tenants/${tenant.id}/AccessControl/Communities`, { RoleTrusteeAccessControlEntries: 'all' }, 400);
  });
});
