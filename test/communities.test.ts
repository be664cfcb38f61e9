import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LOCAL_IDENTITY_PROVIDER_ID } from '../src/modules/communities/communities.errors.js';
import { createTestApp, operator, type SeededTenant, type TestApp } from './support/app.js';
import { act, createCommunity, invite, join, ocs, seedClient, seedTenant, seedUser } from './support/communities.js';

const UNKNOWN = '01a20000-0000-7000-8000-00000000abcd';
const LOCAL_IDP = LOCAL_IDENTITY_PROVIDER_ID;

describe('communities', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  /** An owner with a community and a confirmed member tenant. */
  async function withMember() {
    const owner = await seedTenant(t);
    const member = await seedTenant(t);
    const community = await createCommunity(t, owner);
    await join(t, owner, member, community.Id);
    return { owner, member, community };
  }

  test('creates a community owned by the caller’s tenant, with a member role the creator holds', async () => {
    const owner = await seedTenant(t);
    const res = await ocs(t, owner.adminToken, 'POST', '/Communities', { Name: 'Refinery', Description: 'Flows', PreferredRegionId: 'West-US', ContactEmail: 'ops@owner.test' }, 201);
    const c = res.body;
    assert.deepEqual(
      [c.Name, c.DisplayName, c.Description, c.PreferredRegionId, c.Alias, c.StreamsContributedCount],
      ['Refinery', 'Refinery', 'Flows', 'West-US', null, 0],
    );
    assert.ok(Math.abs(Date.parse(c.DateCreated) - t.clock.now()) < 1000);
    assert.deepEqual(c.Tenants, [
      { Id: owner.id, Name: owner.name, Status: 'Active', IsOwner: true, UserCount: 1, ClientCount: 0, PreferredRegionId: null, ContactEmail: 'ops@owner.test', CommunityAlias: null },
    ]);
    assert.deepEqual(c.CommunityRoles.map((r: any) => [r.Id, r.Name, r.RoleScope, r.CommunityId, r.TenantId]), [[c.MemberRoleId, 'Refinery Community Member', 2, c.Id, null]]);
    const users = await ocs(t, owner.adminToken, 'GET', `/Communities/${c.Id}/Tenants/${owner.id}/Users`, undefined, 200);
    assert.deepEqual(users.body.map((u: any) => [u.Id, u.Email, u.RoleIds]), [[owner.admin.id, owner.admin.email, [c.MemberRoleId]]]);
    const roles = await ocs(t, owner.adminToken, 'GET', `/api/v1/Tenants/${owner.id}/Roles`, undefined, 200);
    assert.ok(roles.body.some((r: any) => r.Id === c.MemberRoleId && r.RoleScope === 2));
    const audit = await operator(t, 'GET', `/audit?resourceId=${c.Id}`);
    assert.deepEqual(audit.items.map((e: any) => [e.action, e.tenantId]), [['community.create', owner.id]]);
  });

  test('a client-credential client creates a community and holds its member role', async () => {
    const owner = await seedTenant(t);
    const client = await seedClient(t, owner, ['TenantAdministrator']);
    const c = (await ocs(t, client.token, 'POST', '/Communities', { Name: 'By client' }, 201)).body;
    assert.deepEqual([c.Tenants[0].UserCount, c.Tenants[0].ClientCount, c.Tenants[0].ContactEmail], [0, 1, null]);
    const clients = await ocs(t, client.token, 'GET', `/Communities/${c.Id}/Tenants/${owner.id}/ClientCredentialClients`, undefined, 200);
    assert.deepEqual(clients.body.map((x: any) => [x.Id, x.Enabled, x.AccessTokenLifetime, x.RoleIds]), [[client.id, true, 3600, [c.MemberRoleId]]]);
  });

  test('lists only the communities of the caller’s tenant, paged with skip and count', async () => {
    const a = await seedTenant(t);
    const b = await seedTenant(t);
    const mine = [];
    for (let i = 0; i < 3; i += 1) mine.push((await createCommunity(t, a)).Id);
    await createCommunity(t, b);
    assert.deepEqual((await ocs(t, a.adminToken, 'GET', '/Communities?skip=0&count=100', undefined, 200)).body.map((c: any) => c.Id), mine);
    assert.deepEqual((await ocs(t, a.adminToken, 'GET', '/Communities?skip=1&count=1', undefined, 200)).body.map((c: any) => c.Id), [mine[1]]);
    assert.deepEqual((await ocs(t, a.adminToken, 'GET', '/Communities?query=&skip=&count=', undefined, 200)).body.length, 3);
    for (const q of ['count=0', 'count=1001', 'skip=-1', 'skip=x']) await ocs(t, a.adminToken, 'GET', `/Communities?${q}`, undefined, 400);
    const plain = await seedUser(t, a, ['TenantMember']);
    assert.equal((await ocs(t, plain.token, 'GET', '/Communities', undefined, 200)).body.length, 3);
  });

  test('refuses creation to plain members (403), without a name (400), and to a name its tenant owns in any case (409)', async () => {
    const owner = await seedTenant(t);
    const plain = await seedUser(t, owner, ['TenantMember', 'TenantDataSteward']);
    await ocs(t, plain.token, 'POST', '/Communities', { Name: 'No' }, 403);
    const ca = await seedUser(t, owner, ['CommunityAdministrator']);
    await ocs(t, ca.token, 'POST', '/Communities', { Name: 'Shared' }, 201);
    for (const body of [{}, { Name: '' }, { Name: '   ' }, { Name: 'x'.repeat(201) }, { Name: 'ok', ContactEmail: 'not-an-email' }, undefined]) {
      const res = await ocs(t, owner.adminToken, 'POST', '/Communities', body, 400);
      assert.ok(res.body.OperationId && res.body.Error && res.body.Reason && res.body.Resolution);
    }
    const dup = await ocs(t, owner.adminToken, 'POST', '/Communities', { Name: 'SHARED' }, 409);
    assert.equal(dup.body.Reason, 'COMMUNITY_NAME_TAKEN');
    const other = await seedTenant(t);
    await ocs(t, other.adminToken, 'POST', '/Communities', { Name: 'Shared' }, 201);
  });

  test('answers 404 for an unknown community, 403 to a tenant outside an existing one, 400 for a non-GUID id', async () => {
    const { owner, community } = await withMember();
    const outsider = await seedTenant(t);
    const paths = ['', '/Roles', '/Invitations', `/Tenants/${owner.id}/Users`, `/Tenants/${owner.id}/ClientCredentialClients`, `/Tenants/${owner.id}/AccessRights`];
    for (const path of paths) {
      await ocs(t, outsider.adminToken, 'GET', `/Communities/${UNKNOWN}${path}`, undefined, 404);
      const denied = await ocs(t, outsider.adminToken, 'GET', `/Communities/${community.Id}${path}`, undefined, 403);
      assert.equal(denied.body.Reason, 'COMMUNITY_ACCESS_DENIED');
      await ocs(t, outsider.adminToken, 'GET', `/Communities/not-a-guid${path}`, undefined, 400);
    }
    await ocs(t, outsider.adminToken, 'PUT', `/Communities/${community.Id}`, { Name: 'Mine now' }, 403);
    await ocs(t, outsider.adminToken, 'DELETE', `/Communities/${community.Id}`, undefined, 403);
    await ocs(t, outsider.adminToken, 'DELETE', `/Communities/${UNKNOWN}`, undefined, 404);
    const noToken = await t.app.inject({ method: 'GET', url: `/api/v1-preview/Communities/${community.Id}` });
    assert.equal(noToken.statusCode, 401);
  });

  test('lets only the owner’s community administrators edit and delete; deleting ends every member’s access', async () => {
    const { owner, member, community } = await withMember();
    const plainOwnerUser = await seedUser(t, owner, ['TenantMember']);
    await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}`, { Name: 'Hijack' }, 403);
    await ocs(t, plainOwnerUser.token, 'PUT', `/Communities/${community.Id}`, { Name: 'Hijack' }, 403);
    const edited = await ocs(t, owner.adminToken, 'PUT', `/Communities/${community.Id}`, { Name: 'Renamed', Description: 'new', PreferredRegionId: 'EU-West' }, 200);
    assert.deepEqual([edited.body.Name, edited.body.Description, edited.body.PreferredRegionId], ['Renamed', 'new', 'EU-West']);
    assert.equal(edited.body.CommunityRoles[0].Name, 'Renamed Community Member');
    const seen = await ocs(t, member.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200);
    assert.equal(seen.body.Name, 'Renamed');
    await createCommunity(t, owner, { Name: 'Taken' });
    assert.equal((await ocs(t, owner.adminToken, 'PUT', `/Communities/${community.Id}`, { Name: 'taken' }, 409)).body.Reason, 'COMMUNITY_NAME_TAKEN');

    const memberUser = await seedUser(t, member, ['TenantMember']);
    await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${member.id}/Users/${memberUser.id}`, [community.MemberRoleId], 201);
    await ocs(t, member.adminToken, 'DELETE', `/Communities/${community.Id}`, undefined, 403);
    await ocs(t, plainOwnerUser.token, 'DELETE', `/Communities/${community.Id}`, undefined, 403);
    await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}`, undefined, 204);
    for (const token of [owner.adminToken, member.adminToken, memberUser.token]) await ocs(t, token, 'GET', `/Communities/${community.Id}`, undefined, 404);
    assert.equal((await ocs(t, member.adminToken, 'GET', '/Communities', undefined, 200)).body.length, 0);
    const roles = await ocs(t, member.adminToken, 'GET', `/api/v1/Tenants/${member.id}/Roles`, undefined, 200);
    assert.ok(!roles.body.some((r: any) => r.Id === community.MemberRoleId));
  });

  test('in a member tenant, the member role or a community-admin role is needed to view the community', async () => {
    const { member, community } = await withMember();
    const plain = await seedUser(t, member, ['TenantMember']);
    await ocs(t, plain.token, 'GET', `/Communities/${community.Id}`, undefined, 403);
    await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${member.id}/Users/${plain.id}`, [community.MemberRoleId], 201);
    await ocs(t, plain.token, 'GET', `/Communities/${community.Id}`, undefined, 200);
    await ocs(t, plain.token, 'GET', `/Communities/${community.Id}/Roles`, undefined, 200);
    // A member is not an administrator.
    await ocs(t, plain.token, 'PATCH', `/Communities/${community.Id}/Tenants/${member.id}`, { Status: 'Paused' }, 403);
  });

  test('shows each tenant its own alias as DisplayName and keeps aliases private', async () => {
    const { owner, member, community } = await withMember();
    await ocs(t, member.adminToken, 'PATCH', `/Communities/${community.Id}/Tenants/${member.id}`, { CommunityAlias: 'Our name' }, 200);
    const mine = (await ocs(t, member.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200)).body;
    assert.deepEqual([mine.Name, mine.DisplayName, mine.Alias], [community.Name, 'Our name', 'Our name']);
    assert.equal(mine.Tenants.find((x: any) => x.Id === member.id).CommunityAlias, 'Our name');
    const theirs = (await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200)).body;
    assert.deepEqual([theirs.DisplayName, theirs.Alias], [community.Name, null]);
    assert.equal(theirs.Tenants.find((x: any) => x.Id === member.id).CommunityAlias, null);
    const listed = (await ocs(t, member.adminToken, 'GET', '/Communities', undefined, 200)).body;
    assert.equal(listed[0].DisplayName, 'Our name');
    const unresolved = (await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}?resolveCompanyName=false`, undefined, 200)).body;
    assert.ok(unresolved.Tenants.every((x: any) => x.Name === null));
  });

  describe('community tenants', () => {
    test('a tenant pauses and resumes its sharing and edits its own contact, region and alias; 204 when nothing changes', async () => {
      const { owner, member, community } = await withMember();
      const url = `/Communities/${community.Id}/Tenants/${member.id}`;
      const paused = await ocs(t, member.adminToken, 'PUT', url, { Status: 'Paused', PreferredRegionId: 'EU', ContactEmail: 'new@member.test', CommunityAlias: 'A' }, 200);
      assert.deepEqual(
        [paused.body.Id, paused.body.Status, paused.body.PreferredRegionId, paused.body.ContactEmail, paused.body.CommunityAlias, paused.body.IsOwner],
        [member.id, 'Paused', 'EU', 'new@member.test', 'A', false],
      );
      assert.equal((await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}`)).body.Tenants.find((x: any) => x.Id === member.id).Status, 'Paused');
      const same = await ocs(t, member.adminToken, 'PUT', url, { Status: 'Paused' });
      assert.equal(same.status, 204);
      // PUT leaves null fields alone; merge-patch null clears them.
      const put = await ocs(t, member.adminToken, 'PUT', url, { Status: 'Active', CommunityAlias: null }, 200);
      assert.deepEqual([put.body.Status, put.body.CommunityAlias], ['Active', 'A']);
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1-preview${url}`,
        headers: { authorization: `Bearer ${member.adminToken}`, 'content-type': 'application/merge-patch+json' },
        payload: JSON.stringify({ CommunityAlias: null, PreferredRegionId: null }),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([res.json().CommunityAlias, res.json().PreferredRegionId, res.json().ContactEmail], [null, null, 'new@member.test']);
      assert.equal((await ocs(t, member.adminToken, 'PATCH', url, {})).status, 204);
      for (const body of [{ Status: 'None' }, { Status: 'Remove' }, { Status: 3 }, { ContactEmail: 'nope' }]) {
        await ocs(t, member.adminToken, 'PUT', url, body, 400);
      }
      await ocs(t, member.adminToken, 'PATCH', url, { Status: null }, 400);
      const audit = await operator(t, 'GET', `/audit?resourceId=${community.Id}/${member.id}`);
      assert.ok(audit.items.some((e: any) => e.action === 'community.tenant.update' && e.after.status === 'Paused'));
    });

    test('a tenant cannot change another tenant’s membership; an unknown tenant is 404', async () => {
      const { owner, member, community } = await withMember();
      await ocs(t, owner.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${member.id}`, { Status: 'Paused' }, 403);
      await ocs(t, member.adminToken, 'PATCH', `/Communities/${community.Id}/Tenants/${owner.id}`, { CommunityAlias: 'x' }, 403);
      await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${UNKNOWN}`, { Status: 'Paused' }, 404);
    });

    test('the owner removes a member, whose grants go with it; it can be invited again and starts empty', async () => {
      const { owner, member, community } = await withMember();
      const user = await seedUser(t, member, ['TenantMember']);
      await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${member.id}/Users/${user.id}`, [community.MemberRoleId], 201);
      await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${member.id}`, undefined, 204);
      await ocs(t, member.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 403);
      await ocs(t, user.token, 'GET', `/Communities/${community.Id}`, undefined, 403);
      const seen = (await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200)).body;
      assert.deepEqual(seen.Tenants.map((x: any) => x.Id), [owner.id]);
      await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${member.id}`, undefined, 404);
      await join(t, owner, member, community.Id);
      const users = await ocs(t, member.adminToken, 'GET', `/Communities/${community.Id}/Tenants/${member.id}/Users`, undefined, 200);
      assert.deepEqual(users.body, []);
    });

    test('a tenant that leaves or is removed has its streams unshared, so it joins again with nothing shared', async () => {
      const { owner, member, community } = await withMember();
      await operator(t, 'POST', `/tenants/${member.id}/namespaces`, { id: 'data' });
      const base = `/api/v1/Tenants/${member.id}/Namespaces/data`;
      const type = { Id: 'Reading', SdsTypeCode: 'Object', Properties: [{ Id: 'Time', IsKey: true, SdsType: { SdsTypeCode: 'DateTime' } }] };
      assert.ok([201, 302].includes((await ocs(t, member.adminToken, 'POST', `${base}/Types/Reading`, type)).status));
      await ocs(t, member.adminToken, 'POST', `${base}/Streams/flow`, { TypeId: 'Reading' }, 201);
      await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${member.id}/Users/${member.admin.id}`, [community.MemberRoleId], 201);
      const acl = (await ocs(t, member.adminToken, 'GET', `${base}/Streams/flow/AccessControl`, undefined, 200)).body;
      acl.RoleTrusteeAccessControlEntries.push({ Trustee: { Type: 3, ObjectId: community.MemberRoleId }, AccessType: 0, AccessRights: 1 });
      await ocs(t, member.adminToken, 'PUT', `${base}/Streams/flow/AccessControl`, acl, 204);
      const shared = async () =>
        (await ocs(t, member.adminToken, 'GET', `${base}/Streams/flow/AccessControl`, undefined, 200)).body.RoleTrusteeAccessControlEntries.some(
          (e: any) => e.Trustee.ObjectId === community.MemberRoleId,
        );
      assert.equal(await shared(), true);
      for (const leave of [true, false]) {
        if (!(await shared())) {
          acl.RoleTrusteeAccessControlEntries = acl.RoleTrusteeAccessControlEntries.filter((e: any) => e.Trustee.ObjectId !== community.MemberRoleId);
          acl.RoleTrusteeAccessControlEntries.push({ Trustee: { Type: 3, ObjectId: community.MemberRoleId }, AccessType: 0, AccessRights: 1 });
          await ocs(t, member.adminToken, 'PUT', `${base}/Streams/flow/AccessControl`, acl, 204);
        }
        await ocs(t, leave ? member.adminToken : owner.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${member.id}`, undefined, 204);
        assert.equal(await shared(), false, leave ? 'after leaving' : 'after removal');
        await join(t, owner, member, community.Id);
        await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${member.id}/Users/${member.admin.id}`, [community.MemberRoleId], 201);
        const search = await ocs(t, owner.adminToken, 'GET', `/search/communities/${community.Id}/streams`);
        if (search.status === 200) assert.equal(search.body.filter((x: any) => x.TenantId === member.id).length, 0);
      }
    });

    test('a member leaves; the owner can neither leave nor be removed; a member cannot remove another', async () => {
      const { owner, member, community } = await withMember();
      const third = await seedTenant(t);
      await join(t, owner, third, community.Id);
      await ocs(t, member.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${third.id}`, undefined, 403);
      await ocs(t, member.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${owner.id}`, undefined, 403);
      const ownerLeaves = await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${owner.id}`, undefined, 400);
      assert.equal(ownerLeaves.body.Reason, 'OWNER_CANNOT_LEAVE');
      const plain = await seedUser(t, member, ['TenantMember']);
      await ocs(t, plain.token, 'DELETE', `/Communities/${community.Id}/Tenants/${member.id}`, undefined, 403);
      await ocs(t, member.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${member.id}`, undefined, 204);
      await ocs(t, member.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 403);
      const audit = await operator(t, 'GET', `/audit?resourceId=${community.Id}/${member.id}`);
      assert.equal(audit.items[0].action, 'community.tenant.leave');
    });

    test('reports the caller’s access rights: owner admins all but leave, member admins 1823, members view', async () => {
      const { owner, member, community } = await withMember();
      const ext = (tok: string, tenant: SeededTenant) => ocs(t, tok, 'GET', `/Communities/${community.Id}/Tenants/${tenant.id}/ExtendedAccessRights`, undefined, 200);
      const sum = (bits: number[]) => bits.reduce((a, b) => a + b, 0);
      assert.equal(sum((await ext(owner.adminToken, owner)).body), 2045);
      assert.equal(sum((await ext(member.adminToken, member)).body), 1823);
      const names = (await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}/Tenants/${owner.id}/AccessRights`, undefined, 200)).body;
      assert.ok(names.includes('ManageTenants') && !names.includes('LeaveCommunity'));
      const user = await seedUser(t, member, ['TenantMember']);
      await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${member.id}/Users/${user.id}`, [community.MemberRoleId], 201);
      assert.deepEqual((await ext(user.token, member)).body, [1]);
      await ocs(t, member.adminToken, 'GET', `/Communities/${community.Id}/Tenants/${owner.id}/AccessRights`, undefined, 403);
    });

    test('a tenant chooses which of its roles administer the community (access control) and its owner', async () => {
      const { member, community } = await withMember();
      const base = `/Communities/${community.Id}/Tenants/${member.id}`;
      const acl = (await ocs(t, member.adminToken, 'GET', `${base}/AccessControl`, undefined, 200)).body;
      assert.equal(acl.RoleTrusteeAccessControlEntries.length, 2);
      assert.ok(acl.RoleTrusteeAccessControlEntries.every((e: any) => e.Trustee.Type === 3 && e.AccessType === 0 && e.AccessRights === 1823));
      const roles = (await ocs(t, member.adminToken, 'GET', `/api/v1/Tenants/${member.id}/Roles`)).body;
      const ca = roles.find((r: any) => r.Name === 'CommunityAdministrator');
      const caUser = await seedUser(t, member, ['CommunityAdministrator']);
      await ocs(t, member.adminToken, 'PUT', `${base}/AccessControl`, { RoleTrusteeAccessControlEntries: [{ Trustee: { Type: 1, ObjectId: caUser.id }, AccessType: 0, AccessRights: 1823 }] }, 400);
      await ocs(t, member.adminToken, 'PUT', `${base}/AccessControl`, { RoleTrusteeAccessControlEntries: [{ Trustee: { Type: 3, ObjectId: UNKNOWN }, AccessType: 0, AccessRights: 1 }] }, 400);
      await ocs(t, member.adminToken, 'PUT', `${base}/AccessControl`, { RoleTrusteeAccessControlEntries: [{ Trustee: { Type: 3, ObjectId: ca.Id }, AccessType: 0, AccessRights: 1823 }] }, 204);
      // The tenant administrator role no longer administers this community; the CA role still does.
      await ocs(t, member.adminToken, 'PATCH', base, { CommunityAlias: 'x' }, 403);
      await ocs(t, caUser.token, 'PATCH', base, { CommunityAlias: 'x' }, 200);
      const owner = (await ocs(t, caUser.token, 'GET', `${base}/Owner`, undefined, 200)).body;
      assert.deepEqual(owner, { Type: 1, ObjectId: member.admin.id, TenantId: member.id });
      await ocs(t, caUser.token, 'PUT', `${base}/Owner`, { Type: 1, ObjectId: caUser.id }, 204);
      assert.equal((await ocs(t, caUser.token, 'GET', `${base}/Owner`)).body.ObjectId, caUser.id);
      await ocs(t, caUser.token, 'PUT', `${base}/Owner`, { Type: 1, ObjectId: UNKNOWN }, 400);
      await ocs(t, caUser.token, 'PUT', `${base}/Users/${caUser.id}`, [community.MemberRoleId], 201);
      assert.equal((await ocs(t, caUser.token, 'DELETE', `${base}/Users/${caUser.id}`, undefined, 400)).body.Reason, 'COMMUNITY_OWNER_PRINCIPAL');
    });
  });

  describe('community users and clients', () => {
    test('a tenant adds its own users with the member role (201, then 200), lists, counts and removes them', async () => {
      const { owner, member, community } = await withMember();
      const base = `/Communities/${community.Id}/Tenants/${member.id}/Users`;
      const user = await seedUser(t, member, ['TenantMember'], 'reader@member.test');
      const added = await ocs(t, member.adminToken, 'PUT', `${base}/${user.id}`, [community.MemberRoleId], 201);
      assert.deepEqual([added.body.Id, added.body.Email, added.body.RoleIds], [user.id, 'reader@member.test', [community.MemberRoleId]]);
      await ocs(t, member.adminToken, 'PUT', `${base}/${user.id}`, [community.MemberRoleId], 200);
      const list = await ocs(t, owner.adminToken, 'GET', `${base}?skip=0&count=100`, undefined, 200);
      assert.deepEqual(list.body.map((u: any) => u.Id), [user.id]);
      assert.equal(list.headers['total-count'], '1');
      const head = await t.app.inject({ method: 'HEAD', url: `/api/v1-preview${base}`, headers: { authorization: `Bearer ${owner.adminToken}` } });
      assert.equal(head.statusCode, 200);
      assert.equal(head.headers['total-count'], '1');
      assert.equal(head.body, '');
      assert.equal((await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}`)).body.Tenants.find((x: any) => x.Id === member.id).UserCount, 1);
      await ocs(t, member.adminToken, 'DELETE', `${base}/${user.id}`, undefined, 204);
      await ocs(t, member.adminToken, 'DELETE', `${base}/${user.id}`, undefined, 404);
      const after = await t.app.inject({ method: 'HEAD', url: `/api/v1-preview${base}`, headers: { authorization: `Bearer ${member.adminToken}` } });
      assert.equal(after.headers['total-count'], '0');
    });

    test('refuses foreign principals, missing member role, unknown roles and non-admins', async () => {
      const { owner, member, community } = await withMember();
      const base = `/Communities/${community.Id}/Tenants/${member.id}/Users`;
      const user = await seedUser(t, member, ['TenantMember']);
      assert.equal((await ocs(t, member.adminToken, 'PUT', `${base}/${user.id}`, [], 400)).body.Reason, 'MEMBER_ROLE_REQUIRED');
      assert.equal((await ocs(t, member.adminToken, 'PUT', `${base}/${user.id}`, [community.MemberRoleId, UNKNOWN], 400)).body.Reason, 'UNKNOWN_COMMUNITY_ROLE');
      await ocs(t, member.adminToken, 'PUT', `${base}/${user.id}`, { RoleIds: [] }, 400);
      await ocs(t, member.adminToken, 'PUT', `${base}/${owner.admin.id}`, [community.MemberRoleId], 404);
      await ocs(t, owner.adminToken, 'PUT', `${base}/${user.id}`, [community.MemberRoleId], 403);
      await ocs(t, user.token, 'PUT', `${base}/${user.id}`, [community.MemberRoleId], 403);
    });

    test('a tenant adds its own client-credential clients the same way', async () => {
      const { owner, member, community } = await withMember();
      const base = `/Communities/${community.Id}/Tenants/${member.id}/ClientCredentialClients`;
      const client = await seedClient(t, member, ['TenantMember']);
      const added = await ocs(t, member.adminToken, 'PUT', `${base}/${client.id}`, [community.MemberRoleId], 201);
      assert.deepEqual([added.body.Id, added.body.RoleIds, added.body.Tags], [client.id, [community.MemberRoleId], []]);
      await ocs(t, member.adminToken, 'PUT', `${base}/${client.id}`, [community.MemberRoleId], 200);
      const list = await ocs(t, owner.adminToken, 'GET', base, undefined, 200);
      assert.deepEqual([list.body.map((c: any) => c.Id), list.headers['total-count']], [[client.id], '1']);
      await ocs(t, client.token, 'GET', `/Communities/${community.Id}`, undefined, 200);
      const ownerClient = await seedClient(t, owner, ['TenantMember']);
      await ocs(t, member.adminToken, 'PUT', `${base}/${ownerClient.id}`, [community.MemberRoleId], 404);
      await ocs(t, member.adminToken, 'DELETE', `${base}/${client.id}`, undefined, 204);
      await ocs(t, client.token, 'GET', `/Communities/${community.Id}`, undefined, 403);
    });
    test('a tenant adds its own groups, whose members become implicit community members; claims lists are empty', async () => {
      const { owner, member, community } = await withMember();
      const idp = `/Communities/${community.Id}/Tenants/${member.id}/IdentityProviders/${LOCAL_IDP}`;
      const user = await seedUser(t, member, ['TenantMember']);
      const group = await operator(t, 'POST', `/tenants/${member.id}/groups`, { name: 'readers', members: [user.id] });
      await ocs(t, user.token, 'GET', `/Communities/${community.Id}`, undefined, 403);
      const added = await ocs(t, member.adminToken, 'PUT', `${idp}/Groups/${group.id}`, undefined, 200);
      assert.deepEqual(added.body, { Id: group.id, Name: 'readers', Email: null, IsClusterManagementAllowed: false });
      await ocs(t, user.token, 'GET', `/Communities/${community.Id}`, undefined, 200);
      const list = await ocs(t, owner.adminToken, 'GET', `${idp}/Groups`, undefined, 200);
      assert.deepEqual([list.body.Results.map((g: any) => g.Id), list.body.SkipToken, list.headers['total-count']], [[group.id], null, '1']);
      const head = await ocs(t, owner.adminToken, 'HEAD', `${idp}/Groups`, undefined, 200);
      assert.equal(head.headers['total-count'], '1');
      await ocs(t, owner.adminToken, 'PUT', `${idp}/Groups/${group.id}`, undefined, 403);
      const ownerGroup = await operator(t, 'POST', `/tenants/${owner.id}/groups`, { name: 'theirs', members: [] });
      await ocs(t, member.adminToken, 'PUT', `${idp}/Groups/${ownerGroup.id}`, undefined, 404);
      await ocs(t, member.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${member.id}/IdentityProviders/${UNKNOWN}/Groups/${group.id}`, undefined, 404);
      await ocs(t, member.adminToken, 'DELETE', `${idp}/Groups/${group.id}`, undefined, 204);
      await ocs(t, user.token, 'GET', `/Communities/${community.Id}`, undefined, 403);
      const claims = await ocs(t, member.adminToken, 'GET', `${idp}/Claims`, undefined, 200);
      assert.deepEqual([claims.body, claims.headers['total-count']], [[], '0']);
      assert.equal((await ocs(t, member.adminToken, 'PUT', `${idp}/Claims/some-claim`, undefined, 404)).body.Reason, 'IDENTITY_PROVIDER_CLAIM_NOT_FOUND');
      await ocs(t, owner.adminToken, 'DELETE', `${idp}/Claims/some-claim`, undefined, 403);
    });
  });

  describe('legacy and client-compatibility paths', () => {
    test('serves /Tenants/{own tenant}/Communities… as the OCS sample library calls them, and refuses another tenant’s id', async () => {
      const { owner, member, community } = await withMember();
      const legacy = `/api/v1-preview/Tenants/${owner.id}/Communities`;
      const created = await ocs(t, owner.adminToken, 'POST', legacy, { Name: 'Legacy', Description: 'no contact' }, 201);
      assert.deepEqual((await ocs(t, owner.adminToken, 'GET', `${legacy}?skip=0&count=100`, undefined, 200)).body.map((c: any) => c.Id), [community.Id, created.body.Id]);
      await ocs(t, owner.adminToken, 'GET', `${legacy}/${created.body.Id}`, undefined, 200);
      await ocs(t, owner.adminToken, 'PUT', `${legacy}/${created.body.Id}`, { Name: 'Legacy 2', Description: 'x' }, 200);
      const invitation = await ocs(t, owner.adminToken, 'POST', `${legacy}/${created.body.Id}/Invitations`, { InvitationRecipient: 'l@x.test' }, 201);
      await ocs(t, owner.adminToken, 'GET', `${legacy}/${created.body.Id}/Invitations/${invitation.body.Id}`, undefined, 200);
      await ocs(t, owner.adminToken, 'DELETE', `${legacy}/${created.body.Id}`, undefined, 204);
      await ocs(t, owner.adminToken, 'GET', `/api/v1-preview/Tenants/${member.id}/Communities`, undefined, 403);
      // 2021–2023 member-tenant paths: Status updates, Remove, DELETE.
      const memberLegacy = `/api/v1-preview/Tenants/${member.id}/Communities/${community.Id}`;
      assert.equal((await ocs(t, member.adminToken, 'PUT', `${memberLegacy}/CommunityTenants/${member.id}`, { Status: 'Paused' }, 200)).body.Status, 'Paused');
      await ocs(t, member.adminToken, 'GET', `${memberLegacy}/CommunityTenants/${member.id}/AccessRights`, undefined, 200);
      await ocs(t, member.adminToken, 'PUT', `${memberLegacy}/MemberTenants/${member.id}`, { Status: 'Remove' }, 204);
      await ocs(t, member.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 403);
      const third = await seedTenant(t);
      await join(t, owner, third, community.Id);
      await ocs(t, owner.adminToken, 'DELETE', `/api/v1-preview/Tenants/${owner.id}/Communities/${community.Id}/CommunityTenants/${third.id}`, undefined, 204);
    });

    test('matches paths case-insensitively, tolerates doubled slashes, and takes empty JSON bodies on DELETE', async () => {
      const owner = await seedTenant(t);
      const c = await createCommunity(t, owner);
      await ocs(t, owner.adminToken, 'GET', `/api/v1-preview//communities/${c.Id.toUpperCase()}`, undefined, 200);
      await ocs(t, owner.adminToken, 'GET', `/API/V1/COMMUNITIES`, undefined, 200);
      const res = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1-preview/Communities/${c.Id}`,
        headers: { authorization: `Bearer ${owner.adminToken}`, 'content-type': 'application/json', 'content-length': '0' },
      });
      assert.equal(res.statusCode, 204, res.body);
    });
  });

  test('calls every endpoint of §2.1–§2.4 and §2.6 with its documented success status', async () => {
    const owner = await seedTenant(t);
    const member = await seedTenant(t);
    const c = await createCommunity(t, owner);
    const C = `/Communities/${c.Id}`;
    const user = await seedUser(t, member, ['TenantMember']);
    const client = await seedClient(t, member, ['TenantMember']);
    const group = await operator(t, 'POST', `/tenants/${member.id}/groups`, { name: 'everyone', members: [user.id] });
    const T = (tenant: SeededTenant) => `${C}/Tenants/${tenant.id}`;
    let invitationId = '';
    const steps: Array<[string, string, () => Promise<{ status: number }>, number[]]> = [
      ['C1', 'GET /Communities', () => ocs(t, owner.adminToken, 'GET', '/Communities'), [200]],
      ['C2', 'POST /Communities', () => ocs(t, owner.adminToken, 'POST', '/Communities', { Name: 'Every endpoint' }), [201]],
      ['C3', 'GET /Communities/{id}', () => ocs(t, owner.adminToken, 'GET', C), [200]],
      ['C4', 'PUT /Communities/{id}', () => ocs(t, owner.adminToken, 'PUT', C, { Name: 'Every endpoint 2' }), [200]],
      ['I2', 'POST …/invitations', async () => {
        const res = await ocs(t, owner.adminToken, 'POST', `${C}/Invitations`, { InvitationRecipient: 'e@x.test' });
        invitationId = res.body.Id;
        return res;
      }, [201]],
      ['I1', 'GET …/invitations', () => ocs(t, owner.adminToken, 'GET', `${C}/Invitations`), [200]],
      ['I3', 'GET …/invitations/{id}', () => ocs(t, owner.adminToken, 'GET', `${C}/Invitations/${invitationId}`), [200]],
      ['I5', 'GET /communityinvitations/{id}/details', () => ocs(t, member.adminToken, 'GET', `/CommunityInvitations/${invitationId}/Details`), [200]],
      ['I6', 'PUT /communityinvitations/{id} Accept', () => act(t, member.adminToken, invitationId, 'Accept'), [200, 202]],
      ['I7', 'GET /tenants/{t}/communityinvitations', () => ocs(t, member.adminToken, 'GET', `/Tenants/${member.id}/CommunityInvitations`), [200]],
      ['I6', 'PUT /community/invitations/{id} Confirm', () => ocs(t, owner.adminToken, 'PUT', `/Community/Invitations/${invitationId}`, { Action: 'Confirm' }), [200, 202]],
      ['I4', 'DELETE …/invitations/{id}', async () => ocs(t, owner.adminToken, 'DELETE', `${C}/Invitations/${(await invite(t, owner, c.Id)).Id}`), [204]],
      ['T1', 'PUT …/tenants/{t}', () => ocs(t, member.adminToken, 'PUT', T(member), { Status: 'Paused' }), [200]],
      ['T2', 'PATCH …/tenants/{t}', () => ocs(t, member.adminToken, 'PATCH', T(member), { Status: 'Active' }), [200]],
      ['T4', 'GET …/accessrights', () => ocs(t, member.adminToken, 'GET', `${T(member)}/AccessRights`), [200]],
      ['T5', 'GET …/accesscontrol', () => ocs(t, member.adminToken, 'GET', `${T(member)}/AccessControl`), [200]],
      ['T6', 'PUT …/accesscontrol', async () => {
        const acl = (await ocs(t, member.adminToken, 'GET', `${T(member)}/AccessControl`)).body;
        return ocs(t, member.adminToken, 'PUT', `${T(member)}/AccessControl`, acl);
      }, [204]],
      ['T7', 'GET …/owner', () => ocs(t, member.adminToken, 'GET', `${T(member)}/Owner`), [200]],
      ['T8', 'PUT …/owner', () => ocs(t, member.adminToken, 'PUT', `${T(member)}/Owner`, { Type: 1, ObjectId: member.admin.id }), [204]],
      ['T9', 'GET …/extendedaccessrights', () => ocs(t, member.adminToken, 'GET', `${T(member)}/ExtendedAccessRights`), [200]],
      ['R1', 'GET /Communities/{id}/Roles', () => ocs(t, member.adminToken, 'GET', `${C}/Roles`), [200]],
      ['U1', 'PUT …/Users/{u}', () => ocs(t, member.adminToken, 'PUT', `${T(member)}/Users/${user.id}`, [c.MemberRoleId]), [201]],
      ['U3', 'GET …/Users', () => ocs(t, member.adminToken, 'GET', `${T(member)}/Users`), [200]],
      ['U4', 'HEAD …/Users', () => ocs(t, member.adminToken, 'HEAD', `${T(member)}/Users`), [200]],
      ['U2', 'DELETE …/Users/{u}', () => ocs(t, member.adminToken, 'DELETE', `${T(member)}/Users/${user.id}`), [204]],
      ['K3', 'PUT …/ClientCredentialClients/{c}', () => ocs(t, member.adminToken, 'PUT', `${T(member)}/ClientCredentialClients/${client.id}`, [c.MemberRoleId]), [201]],
      ['K1', 'GET …/ClientCredentialClients', () => ocs(t, member.adminToken, 'GET', `${T(member)}/ClientCredentialClients`), [200]],
      ['K2', 'HEAD …/ClientCredentialClients', () => ocs(t, member.adminToken, 'HEAD', `${T(member)}/ClientCredentialClients`), [200]],
      ['K4', 'DELETE …/ClientCredentialClients/{c}', () => ocs(t, member.adminToken, 'DELETE', `${T(member)}/ClientCredentialClients/${client.id}`), [204]],
      ['G3', 'PUT …/IdentityProviders/{idp}/Groups/{g}', () => ocs(t, member.adminToken, 'PUT', `${T(member)}/IdentityProviders/${LOCAL_IDP}/Groups/${group.id}`), [200]],
      ['G1', 'GET …/IdentityProviders/{idp}/Groups', () => ocs(t, member.adminToken, 'GET', `${T(member)}/IdentityProviders/${LOCAL_IDP}/Groups`), [200]],
      ['G2', 'HEAD …/IdentityProviders/{idp}/Groups', () => ocs(t, member.adminToken, 'HEAD', `${T(member)}/IdentityProviders/${LOCAL_IDP}/Groups`), [200]],
      ['G4', 'DELETE …/IdentityProviders/{idp}/Groups/{g}', () => ocs(t, member.adminToken, 'DELETE', `${T(member)}/IdentityProviders/${LOCAL_IDP}/Groups/${group.id}`), [204]],
      ['P1', 'GET …/IdentityProviders/{idp}/Claims', () => ocs(t, member.adminToken, 'GET', `${T(member)}/IdentityProviders/${LOCAL_IDP}/Claims`), [200]],
      ['P2', 'HEAD …/IdentityProviders/{idp}/Claims', () => ocs(t, member.adminToken, 'HEAD', `${T(member)}/IdentityProviders/${LOCAL_IDP}/Claims`), [200]],
      // Tenantry's identity provider defines no claims: adding or removing one is "not found".
      ['P3', 'PUT …/IdentityProviders/{idp}/Claims/{c}', () => ocs(t, member.adminToken, 'PUT', `${T(member)}/IdentityProviders/${LOCAL_IDP}/Claims/c1`), [404]],
      ['P4', 'DELETE …/IdentityProviders/{idp}/Claims/{c}', () => ocs(t, member.adminToken, 'DELETE', `${T(member)}/IdentityProviders/${LOCAL_IDP}/Claims/c1`), [404]],
      ['T3', 'DELETE …/tenants/{t}', () => ocs(t, member.adminToken, 'DELETE', T(member)), [204]],
      ['C5', 'DELETE /Communities/{id}', () => ocs(t, owner.adminToken, 'DELETE', C), [204]],
    ];
    const failures: string[] = [];
    for (const [id, name, call, statuses] of steps) {
      const res = await call();
      if (!statuses.includes(res.status)) failures.push(`${id} ${name}: ${res.status} ${(res as { text?: string }).text ?? ''}`);
    }
    assert.deepEqual(failures, []);
    const covered = new Set(steps.map(([id]) => id));
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5', 'I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'R1', 'U1', 'U2', 'U3', 'U4', 'K1', 'K2', 'K3', 'K4', 'G1', 'G2', 'G3', 'G4', 'P1', 'P2', 'P3', 'P4']) {
      assert.ok(covered.has(id), `${id} is called`);
    }
  });
});
