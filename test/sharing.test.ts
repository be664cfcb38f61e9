import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LOCAL_IDENTITY_PROVIDER_ID } from '../src/modules/communities/communities.errors.js';
import { createTestApp, operator, type SeededTenant, type TestApp } from './support/app.js';
import { createCommunity, join, ocs, seedTenant, seedUser } from './support/communities.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();
const TYPE = {
  Id: 'Reading',
  SdsTypeCode: 'Object',
  Properties: [
    { Id: 'Time', IsKey: true, SdsType: { SdsTypeCode: 'DateTime' } },
    { Id: 'Value', SdsType: { SdsTypeCode: 'Double' } },
  ],
};

describe('sharing streams into a community', () => {
  let t: TestApp;
  let owner: SeededTenant;
  let partner: SeededTenant;
  let outsider: SeededTenant;
  let community: { Id: string; MemberRoleId: string };
  let streamUrl: string;

  /** An OCS call; `via` sends the community-id header (spelled as the OCS library spells it). */
  const call = async (token: string, method: string, url: string, body?: unknown, via?: string) => {
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(via ? { 'Community-id': via } : {}) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };

  const shareEntry = (roleId: string, rights = 1) => ({ Trustee: { Type: 3, ObjectId: roleId }, AccessType: 0, AccessRights: rights });

  async function createStream(tenant: SeededTenant, id: string, values: number[]) {
    const base = `/api/v1/Tenants/${tenant.id}/Namespaces/data`;
    assert.ok([201, 302].includes((await call(tenant.adminToken, 'POST', `${base}/Types/Reading`, TYPE)).status));
    assert.equal((await call(tenant.adminToken, 'POST', `${base}/Streams/${id}`, { TypeId: 'Reading', Name: id, Description: `${id} readings` })).status, 201);
    assert.equal((await call(tenant.adminToken, 'POST', `${base}/Streams/${id}/Data`, values.map((v, i) => ({ Time: at(i), Value: v })))).status, 204);
    return `${base}/Streams/${id}`;
  }

  async function share(tenant: SeededTenant, url: string, roleId: string, token = tenant.adminToken) {
    const acl = (await call(tenant.adminToken, 'GET', `${url}/AccessControl`)).body;
    acl.RoleTrusteeAccessControlEntries.push(shareEntry(roleId));
    return call(token, 'PUT', `${url}/AccessControl`, acl);
  }

  async function unshare(tenant: SeededTenant, url: string, roleId: string) {
    const acl = (await call(tenant.adminToken, 'GET', `${url}/AccessControl`)).body;
    const index = acl.RoleTrusteeAccessControlEntries.findIndex((e: { Trustee: { ObjectId: string } }) => e.Trustee.ObjectId === roleId);
    return call(tenant.adminToken, 'PATCH', `${url}/AccessControl`, [{ op: 'remove', path: `/RoleTrusteeAccessControlEntries/${index}` }]);
  }

  before(async () => {
    t = await createTestApp({ env: { TENANTRY_PUBLIC_URL: 'http://tenantry.test:8080' } });
    [owner, partner, outsider] = [await seedTenant(t), await seedTenant(t), await seedTenant(t)];
    for (const tenant of [owner, partner, outsider]) await operator(t, 'POST', `/tenants/${tenant.id}/namespaces`, { id: 'data' });
    community = await createCommunity(t, owner);
    await join(t, owner, partner, community.Id);
    // A joining tenant's users read the community once they hold its member role (§4, U1).
    await ocs(t, partner.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${partner.id}/Users/${partner.admin.id}`, [community.MemberRoleId]);
    streamUrl = await createStream(owner, 'flow', [1, 2, 3, 4]);
    assert.equal((await share(owner, streamUrl, community.MemberRoleId)).status, 204);
  });
  after(() => t.close());

  test('a member follows the developer guide: communities → search → Self with the header → data', async () => {
    const communities = await ocs(t, partner.adminToken, 'GET', '/Communities', undefined, 200);
    assert.ok(communities.body.some((c: { Id: string }) => c.Id === community.Id));
    const search = await call(partner.adminToken, 'GET', `/api/v1-preview/search/communities/${community.Id}/streams?query=flow&skip=0&count=100`);
    assert.equal(search.status, 200);
    assert.equal(search.body.length, 1);
    const hit = search.body[0];
    assert.deepEqual(
      { Id: hit.Id, TypeId: hit.TypeId, TenantId: hit.TenantId, NamespaceId: hit.NamespaceId, CommunityId: hit.CommunityId, TenantName: hit.TenantName },
      { Id: 'flow', TypeId: 'Reading', TenantId: owner.id, NamespaceId: 'data', CommunityId: community.Id, TenantName: owner.name },
    );
    assert.equal(hit.Self, `http://tenantry.test:8080${streamUrl}`);
    const self = new URL(hit.Self).pathname;
    assert.equal((await call(partner.adminToken, 'GET', self, undefined, community.Id)).body.Name, 'flow');
    const resolved = await call(partner.adminToken, 'GET', `${self}/Resolved`, undefined, community.Id);
    assert.equal(resolved.body.Type.Properties[0].Id, 'Time');
    const window = await call(partner.adminToken, 'GET', `${self}/Data?startIndex=${at(1)}&endIndex=${at(2)}&filter=`, undefined, community.Id);
    assert.deepEqual(window.body.map((e: { Value: number }) => e.Value), [2, 3]);
    assert.equal((await call(partner.adminToken, 'GET', `${self}/Data/Last`, undefined, community.Id)).body.Value, 4);
    const legacy = await call(partner.adminToken, 'GET', `/api/v1-preview/Tenants/${partner.id}/Search/Communities/${community.Id}/Streams?query=&count=100`);
    assert.deepEqual(legacy.body.map((s: { Id: string }) => s.Id), ['flow']);
    const asOwner = await ocs(t, owner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200);
    assert.deepEqual([asOwner.body.StreamsContributedCount, asOwner.body.TotalStreamsContributedCount], [1, 1]);
    const asPartner = await ocs(t, partner.adminToken, 'GET', `/Communities/${community.Id}`, undefined, 200);
    assert.deepEqual([asPartner.body.StreamsContributedCount, asPartner.body.TotalStreamsContributedCount], [0, 1]);
    const summary = await call(partner.adminToken, 'GET', `/api/v1-preview/Communities/${community.Id}/Summary`);
    assert.equal(summary.body.TotalStreams, 1);
    assert.deepEqual(
      summary.body.CommunitySummaryInformationForTenants.find((x: { TenantId: string }) => x.TenantId === owner.id),
      { TenantId: owner.id, StreamsContributed: 1 },
    );
  });

  test('each refusal has its status: no header, bad header, unknown community, outsider, no member role, write', async () => {
    assert.equal((await call(partner.adminToken, 'GET', streamUrl)).status, 403, 'without the header a foreign tenant is refused');
    assert.equal((await call(partner.adminToken, 'GET', streamUrl, undefined, 'not-a-guid')).status, 400);
    assert.equal((await call(partner.adminToken, 'GET', streamUrl, undefined, '00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await call(outsider.adminToken, 'GET', streamUrl, undefined, community.Id)).status, 403, 'a tenant outside the community');
    assert.equal((await call(outsider.adminToken, 'GET', `/api/v1-preview/search/communities/${community.Id}/streams`)).status, 403);
    const plainUser = await seedUser(t, partner, ['TenantMember']);
    assert.equal((await call(plainUser.token, 'GET', streamUrl, undefined, community.Id)).status, 403, 'a member tenant user without the member role');
    for (const [method, url, body] of [
      ['POST', `${streamUrl}/Data`, [{ Time: at(30), Value: 9 }]],
      ['PUT', `${streamUrl}/Data`, [{ Time: at(0), Value: 9 }]],
      ['DELETE', `${streamUrl}/Data?index=${at(0)}`],
      ['DELETE', streamUrl],
      ['GET', `${streamUrl}/AccessControl`],
      ['GET', `${streamUrl}/Type`],
    ] as const) {
      const res = await call(partner.adminToken, method, url, body, community.Id);
      assert.equal(res.status, 403, `${method} ${url}`);
    }
    assert.equal((await call(owner.adminToken, 'GET', `${streamUrl}/Data/Last`)).body.Value, 4, 'nothing was written');
  });

  test('an unshared stream is invisible, and unsharing revokes access at once', async () => {
    const privateUrl = await createStream(owner, 'private', [7]);
    assert.equal((await call(partner.adminToken, 'GET', privateUrl, undefined, community.Id)).status, 403);
    const search = await call(partner.adminToken, 'GET', `/api/v1-preview/search/communities/${community.Id}/streams`);
    assert.ok(!search.body.some((s: { Id: string }) => s.Id === 'private'));
    assert.equal((await share(owner, privateUrl, community.MemberRoleId)).status, 204);
    assert.equal((await call(partner.adminToken, 'GET', privateUrl, undefined, community.Id)).status, 200);
    assert.equal((await unshare(owner, privateUrl, community.MemberRoleId)).status, 200);
    assert.equal((await call(partner.adminToken, 'GET', `${privateUrl}/Data/Last`, undefined, community.Id)).status, 403);
    const after = await call(partner.adminToken, 'GET', `/api/v1-preview/search/communities/${community.Id}/streams`);
    assert.ok(!after.body.some((s: { Id: string }) => s.Id === 'private'));
  });

  test('a paused tenant’s shared streams are hidden from the others until it resumes', async () => {
    const pause = (Status: string) => ocs(t, owner.adminToken, 'PATCH', `/Communities/${community.Id}/Tenants/${owner.id}`, { Status });
    assert.ok([200, 204].includes((await pause('Paused')).status));
    assert.equal((await call(partner.adminToken, 'GET', streamUrl, undefined, community.Id)).status, 403);
    assert.equal((await call(partner.adminToken, 'GET', `/api/v1-preview/search/communities/${community.Id}/streams`)).body.length, 0);
    assert.equal((await call(owner.adminToken, 'GET', streamUrl, undefined, community.Id)).status, 200, 'the owner still sees its own');
    assert.ok([200, 204].includes((await pause('Active')).status));
    assert.equal((await call(partner.adminToken, 'GET', streamUrl, undefined, community.Id)).status, 200);
  });

  test('sharing needs the Share right, the member role, and the stream’s tenant in the community', async () => {
    const steward = await seedUser(t, owner, ['TenantDataSteward']);
    const url = await createStream(owner, 'steward-stream', [1]);
    assert.equal((await share(owner, url, community.MemberRoleId, steward.token)).status, 403, 'Read only: no Share right');
    const acl = (await call(owner.adminToken, 'GET', `${url}/AccessControl`)).body;
    const stewardRole = (await call(owner.adminToken, 'GET', `/api/v1/Tenants/${owner.id}/Roles`)).body.find((r: { Name: string }) => r.Name === 'TenantDataSteward');
    acl.RoleTrusteeAccessControlEntries.find((e: { Trustee: { ObjectId: string } }) => e.Trustee.ObjectId === stewardRole.Id).AccessRights = 1 | 16;
    assert.equal((await call(owner.adminToken, 'PUT', `${url}/AccessControl`, acl)).status, 204);
    assert.equal((await share(owner, url, community.MemberRoleId, steward.token)).status, 403, 'Share, but not a community member');
    await ocs(t, owner.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${owner.id}/Users/${steward.id}`, [community.MemberRoleId]);
    assert.equal((await share(owner, url, community.MemberRoleId, steward.token)).status, 204, 'Share and the member role');
    const aclAfter = (await call(owner.adminToken, 'GET', `${url}/AccessControl`)).body;
    aclAfter.RoleTrusteeAccessControlEntries[0].AccessRights = 31;
    assert.equal((await call(steward.token, 'PUT', `${url}/AccessControl`, { RoleTrusteeAccessControlEntries: aclAfter.RoleTrusteeAccessControlEntries.map((e: { AccessRights: number }, i: number) => (i === 0 ? { ...e, AccessRights: 3 } : e)) })).status, 403, 'Share does not manage the tenant’s own entries');

    const elsewhere = await createCommunity(t, partner);
    const outsiderStream = await createStream(outsider, 'outside', [1]);
    assert.equal((await share(outsider, outsiderStream, elsewhere.MemberRoleId)).status, 403, 'the outsider holds no member role of that community');
    assert.equal((await share(outsider, outsiderStream, '00000000-0000-4000-8000-000000000001')).status, 400, 'an unknown role');
  });

  test('a user who is a member through a group reads shared streams too', async () => {
    const reader = await seedUser(t, partner, ['TenantMember']);
    const group = await operator(t, 'POST', `/tenants/${partner.id}/groups`, { name: 'shared-readers', members: [reader.id] });
    assert.equal((await call(reader.token, 'GET', streamUrl, undefined, community.Id)).status, 403);
    await ocs(t, partner.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${partner.id}/IdentityProviders/${LOCAL_IDENTITY_PROVIDER_ID}/Groups/${group.id}`, undefined, 200);
    assert.equal((await call(reader.token, 'GET', `${streamUrl}/Data/Last`, undefined, community.Id)).body.Value, 4);
  });

  test('a tenant that leaves and joins again starts with nothing shared', async () => {
    const returning = await seedTenant(t);
    await operator(t, 'POST', `/tenants/${returning.id}/namespaces`, { id: 'data' });
    await join(t, owner, returning, community.Id);
    await ocs(t, returning.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${returning.id}/Users/${returning.admin.id}`, [community.MemberRoleId]);
    const own = await createStream(returning, 'returning-stream', [5]);
    assert.equal((await share(returning, own, community.MemberRoleId)).status, 204);
    assert.equal((await call(owner.adminToken, 'GET', own, undefined, community.Id)).status, 200);

    const left = await ocs(t, returning.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${returning.id}`);
    assert.ok([200, 204].includes(left.status), left.text);
    assert.equal((await call(owner.adminToken, 'GET', own, undefined, community.Id)).status, 403, 'visibility dropped at once');
    const acl = (await call(returning.adminToken, 'GET', `${own}/AccessControl`)).body;
    assert.ok(!acl.RoleTrusteeAccessControlEntries.some((e: { Trustee: { ObjectId: string } }) => e.Trustee.ObjectId === community.MemberRoleId), 'the share entry is gone');

    await join(t, owner, returning, community.Id);
    await ocs(t, returning.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${returning.id}/Users/${returning.admin.id}`, [community.MemberRoleId]);
    assert.equal((await call(owner.adminToken, 'GET', own, undefined, community.Id)).status, 403, 'nothing re-shared on re-joining');
    const search = await call(owner.adminToken, 'GET', `/api/v1-preview/search/communities/${community.Id}/streams`);
    assert.ok(!search.body.some((s: { TenantId: string }) => s.TenantId === returning.id));
  });

  test('a removed tenant loses access at once', async () => {
    const removed = await seedTenant(t);
    await join(t, owner, removed, community.Id);
    await ocs(t, removed.adminToken, 'PUT', `/Communities/${community.Id}/Tenants/${removed.id}/Users/${removed.admin.id}`, [community.MemberRoleId]);
    assert.equal((await call(removed.adminToken, 'GET', streamUrl, undefined, community.Id)).status, 200);
    const res = await ocs(t, owner.adminToken, 'DELETE', `/Communities/${community.Id}/Tenants/${removed.id}`);
    assert.ok([200, 204].includes(res.status), res.text);
    assert.equal((await call(removed.adminToken, 'GET', streamUrl, undefined, community.Id)).status, 403);
    assert.equal((await call(removed.adminToken, 'GET', `/api/v1-preview/search/communities/${community.Id}/streams`)).status, 403);
  });
});
