import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ENGINE, createTestApp, operator, seedTenant, type SeededTenant, type TestApp } from './support/app.js';

const WAVE = {
  Id: 'WaveData',
  SdsTypeCode: 'Object',
  Properties: [
    { Id: 'Time', IsKey: true, SdsType: { Id: 'dateTimeType', SdsTypeCode: 'DateTime', Properties: [] } },
    { Id: 'Measurement', IsKey: null, SdsType: { Id: 'doubleType', SdsTypeCode: 'Double', Properties: [] } },
  ],
};

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();

describe('SDS types, streams, data and access control', () => {
  let t: TestApp;
  let owner: SeededTenant;
  let member: { id: string; token: string };
  let base: string;

  before(async () => {
    t = await createTestApp();
    owner = await seedTenant(t);
    await operator(t, 'POST', `/tenants/${owner.id}/namespaces`, { id: 'plant' });
    const user = await operator(t, 'POST', `/tenants/${owner.id}/users`, { email: 'reader@plant.test', roles: ['TenantMember'] });
    member = { id: user.id, token: (await operator(t, 'POST', `/users/${user.id}/tokens`, {})).token };
    base = `/api/v1/Tenants/${owner.id}/Namespaces/plant`;
  });
  after(() => t.close());

  const call = async (method: string, url: string, body?: unknown, token = owner.adminToken) => {
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
  };

  test('lists the tenant namespaces the operator created', async () => {
    const res = await call('GET', `/api/v1/Tenants/${owner.id}/Namespaces?region=`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.map((n: { Id: string }) => n.Id), ['plant']);
  });

  test('types are got or created: 201, then 302 when identical, 409 when different; codes answer as integers', async () => {
    const createdType = await call('POST', `${base}/Types/WaveData`, WAVE);
    assert.equal(createdType.status, 201);
    assert.equal(createdType.body.SdsTypeCode, 1);
    assert.deepEqual(createdType.body.Properties.map((p: { SdsType: { SdsTypeCode: number } }) => p.SdsType.SdsTypeCode), [16, 14]);
    assert.equal(createdType.body.Properties[1].IsKey, false);
    const again = await call('POST', `${base}/Types/WaveData`, WAVE);
    assert.equal(again.status, 302);
    assert.equal(again.headers.location, `${base}/Types/WaveData`);
    const different = await call('POST', `${base}/Types/WaveData`, { ...WAVE, Description: 'changed' });
    assert.equal(different.status, 409);
    assert.equal(different.body.Reason, 'TYPE_EXISTS');
    assert.equal((await call('GET', `${base}/Types/WaveData`)).body.Id, 'WaveData');
    assert.deepEqual((await call('GET', `${base}/Types?skip=0&count=100`)).body.map((x: { Id: string }) => x.Id), ['WaveData']);
  });

  test('types without exactly one usable key, or with unknown codes, are refused 400', async () => {
    const bad = [
      { ...WAVE, Properties: WAVE.Properties.map((p) => ({ ...p, IsKey: false })) },
      { ...WAVE, Properties: WAVE.Properties.map((p) => ({ ...p, IsKey: true })) },
      { ...WAVE, SdsTypeCode: 'Quaternion' },
      { ...WAVE, SdsTypeCode: 'Double' },
      { ...WAVE, Id: 'Other' },
      { Properties: [] },
    ];
    for (const body of bad) {
      const res = await call('POST', `${base}/Types/Broken`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.OperationId);
    }
    assert.equal((await call('GET', `${base}/Types/Broken`)).status, 404);
  });

  test('streams are got or created the same way and need an existing type', async () => {
    const stream = { Id: 'pump-1', TypeId: 'WaveData', Name: 'Pump 1', Description: 'discharge pressure' };
    assert.equal((await call('POST', `${base}/Streams/pump-1`, stream)).status, 201);
    const again = await call('POST', `${base}/Streams/pump-1`, stream);
    assert.equal(again.status, 302);
    assert.deepEqual(again.body, { Id: 'pump-1', TypeId: 'WaveData', Name: 'Pump 1', Description: 'discharge pressure' });
    assert.equal((await call('POST', `${base}/Streams/pump-1`, { ...stream, Name: 'Renamed' })).status, 409);
    assert.equal((await call('POST', `${base}/Streams/pump-2`, { Id: 'pump-2', TypeId: 'NoSuchType' })).status, 400);
    assert.equal((await call('POST', `${base}/Streams/pump-3`, { Id: 'pump-3', TypeId: 'WaveData' })).status, 201);
    assert.equal((await call('GET', `${base}/Streams/pump-1`)).body.Name, 'Pump 1');
    assert.deepEqual((await call('GET', `${base}/Streams?query=&skip=0&count=100`)).body.map((s: { Id: string }) => s.Id), ['pump-1', 'pump-3']);
    assert.deepEqual((await call('GET', `${base}/Streams?query=PRESSURE&skip=0&count=100`)).body.map((s: { Id: string }) => s.Id), ['pump-1']);
    assert.deepEqual((await call('GET', `${base}/Streams?query=&skip=1&count=1`)).body.map((s: { Id: string }) => s.Id), ['pump-3']);
    const resolved = await call('GET', `${base}/Streams/pump-1/Resolved`);
    assert.equal(resolved.body.Type.Id, 'WaveData');
    assert.equal((await call('GET', `${base}/Streams/pump-1/Type`)).body.Properties[0].Id, 'Time');
    assert.equal((await call('DELETE', `${base}/Types/WaveData`)).status, 409, 'a type in use is kept');
  });

  test('events are inserted, read by inclusive window, first and last, replaced and removed', async () => {
    const events = [3, 1, 2, 5, 4].map((m) => ({ Time: at(m), Measurement: m * 1.5 }));
    assert.equal((await call('POST', `${base}/Streams/pump-1/Data`, events)).status, 204);
    const window = await call('GET', `${base}/Streams/pump-1/Data?startIndex=${encodeURIComponent(at(2))}&endIndex=${encodeURIComponent(at(4))}&filter=`);
    assert.equal(window.status, 200);
    assert.deepEqual(window.body.map((e: { Measurement: number }) => e.Measurement), [3, 4.5, 6]);
    assert.equal((await call('GET', `${base}/Streams/pump-1/Data/Last`)).body.Measurement, 7.5);
    assert.equal((await call('GET', `${base}/Streams/pump-1/Data/First`)).body.Measurement, 1.5);
    const duplicate = await call('POST', `${base}/Streams/pump-1/Data`, [{ Time: at(6), Measurement: 9 }, { Time: at(5), Measurement: 0 }]);
    assert.equal(duplicate.status, 409);
    assert.equal((await call('GET', `${base}/Streams/pump-1/Data/Last`)).body.Measurement, 7.5, 'a refused insert stores nothing');
    assert.equal((await call('PUT', `${base}/Streams/pump-1/Data`, [{ Time: at(5), Measurement: 0 }, { Time: at(6), Measurement: 9 }])).status, 204);
    assert.deepEqual((await call('GET', `${base}/Streams/pump-1/Data?startIndex=${at(5)}&endIndex=${at(6)}`)).body, [{ Time: at(5), Measurement: 0 }, { Time: at(6), Measurement: 9 }]);
    assert.equal((await call('DELETE', `${base}/Streams/pump-1/Data?startIndex=${at(5)}&endIndex=${at(6)}`)).status, 204);
    assert.equal((await call('GET', `${base}/Streams/pump-1/Data/Last`)).body.Measurement, 6);
    for (const [url, body] of [
      [`${base}/Streams/pump-1/Data`, [{ Measurement: 1 }]],
      [`${base}/Streams/pump-1/Data`, [{ Time: 'not a time' }]],
      [`${base}/Streams/pump-1/Data`, [{ Time: at(9) }, { Time: at(9) }]],
      [`${base}/Streams/pump-1/Data`, { Time: at(9) }],
    ] as const) {
      assert.equal((await call('POST', url, body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await call('GET', `${base}/Streams/pump-1/Data?startIndex=yesterday&endIndex=${at(2)}`)).status, 400);
    assert.equal((await call('GET', `${base}/Streams/pump-1/Data?startIndex=${at(1)}`)).status, 400);
    assert.equal((await call('GET', `${base}/Streams/pump-1/Data?startIndex=${at(1)}&endIndex=${at(2)}&filter=Measurement gt 1`)).status, 400);
  });

  test('numeric indexes order numerically, negatives included', async () => {
    const type = { Id: 'Counter', SdsTypeCode: 1, Properties: [{ Id: 'N', IsKey: true, SdsType: { SdsTypeCode: 14 } }, { Id: 'V', SdsType: { SdsTypeCode: 'String' } }] };
    assert.equal((await call('POST', `${base}/Types/Counter`, type)).status, 201);
    assert.equal((await call('POST', `${base}/Streams/counter`, { TypeId: 'Counter' })).status, 201);
    const values = [10, -2.5, 0, 3, -100, 2.25, 1e6];
    assert.equal((await call('POST', `${base}/Streams/counter/Data`, values.map((n) => ({ N: n, V: String(n) })))).status, 204);
    const all = await call('GET', `${base}/Streams/counter/Data?startIndex=-1000&endIndex=1000`);
    assert.deepEqual(all.body.map((e: { N: number }) => e.N), [-100, -2.5, 0, 2.25, 3, 10]);
  });

  test('a new stream lets Tenant Members read but not write, until its ACL says otherwise; Denied wins', async () => {
    const acl = await call('GET', `${base}/Streams/pump-3/AccessControl`);
    const roles = (await call('GET', `/api/v1/Tenants/${owner.id}/Roles`)).body as Array<{ Id: string; Name: string }>;
    const roleId = (name: string) => roles.find((r) => r.Name === name)!.Id;
    const rightsFor = (name: string) => acl.body.RoleTrusteeAccessControlEntries.find((e: { Trustee: { ObjectId: string } }) => e.Trustee.ObjectId === roleId(name))?.AccessRights;
    assert.deepEqual(
      ['TenantAdministrator', 'TenantMember', 'TenantDataSteward', 'CommunityAdministrator'].map(rightsFor),
      [31, 1, 1, 1],
    );
    assert.ok(acl.body.RoleTrusteeAccessControlEntries.every((e: { Trustee: { Type: number }; AccessType: number }) => e.Trustee.Type === 3 && e.AccessType === 0));

    assert.equal((await call('GET', `${base}/Streams/pump-3`, undefined, member.token)).status, 200);
    assert.equal((await call('POST', `${base}/Streams/pump-3/Data`, [{ Time: at(1), Measurement: 1 }], member.token)).status, 403);
    assert.equal((await call('DELETE', `${base}/Streams/pump-3`, undefined, member.token)).status, 403);
    assert.equal((await call('PUT', `${base}/Streams/pump-3/AccessControl`, acl.body, member.token)).status, 403);

    const granted = structuredClone(acl.body);
    granted.RoleTrusteeAccessControlEntries.find((e: { Trustee: { ObjectId: string } }) => e.Trustee.ObjectId === roleId('TenantMember')).AccessRights = 3;
    assert.equal((await call('PUT', `${base}/Streams/pump-3/AccessControl`, granted)).status, 204);
    assert.equal((await call('POST', `${base}/Streams/pump-3/Data`, [{ Time: at(1), Measurement: 1 }], member.token)).status, 204);

    const denied = await call('PATCH', `${base}/Streams/pump-3/AccessControl`, [
      { op: 'add', path: '/RoleTrusteeAccessControlEntries/-', value: { Trustee: { Type: 'Role', ObjectId: roleId('TenantMember') }, AccessType: 'Denied', AccessRights: 2 } },
    ]);
    assert.equal(denied.status, 200);
    assert.equal(denied.body.RoleTrusteeAccessControlEntries.at(-1).AccessType, 1);
    assert.equal((await call('POST', `${base}/Streams/pump-3/Data`, [{ Time: at(2), Measurement: 2 }], member.token)).status, 403);
    const last = denied.body.RoleTrusteeAccessControlEntries.length - 1;
    assert.equal((await call('PATCH', `${base}/Streams/pump-3/AccessControl`, [{ op: 'remove', path: `/RoleTrusteeAccessControlEntries/${last}` }])).status, 200);
    assert.equal((await call('POST', `${base}/Streams/pump-3/Data`, [{ Time: at(2), Measurement: 2 }], member.token)).status, 204);

    for (const body of [{}, { RoleTrusteeAccessControlEntries: [{ Trustee: { Type: 1, ObjectId: 'u' }, AccessType: 0, AccessRights: 1 }] }, { RoleTrusteeAccessControlEntries: [{ Trustee: { Type: 3, ObjectId: 'r' }, AccessType: 0, AccessRights: 64 }] }]) {
      assert.equal((await call('PUT', `${base}/Streams/pump-3/AccessControl`, body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await call('PATCH', `${base}/Streams/pump-3/AccessControl`, [{ op: 'remove', path: '/RoleTrusteeAccessControlEntries/99' }])).status, 400);
    assert.equal((await call('PATCH', `${base}/Streams/pump-3/AccessControl`, { op: 'remove' })).status, 400);
  });

  test('deleting a stream deletes its events', async () => {
    assert.equal((await call('POST', `${base}/Streams/temp`, { TypeId: 'WaveData' })).status, 201);
    assert.equal((await call('POST', `${base}/Streams/temp/Data`, [{ Time: at(1), Measurement: 1 }])).status, 204);
    assert.equal((await call('DELETE', `${base}/Streams/temp`)).status, 204);
    assert.equal((await call('GET', `${base}/Streams/temp`)).status, 404);
    assert.equal((await call('POST', `${base}/Streams/temp`, { TypeId: 'WaveData' })).status, 201);
    assert.equal((await call('GET', `${base}/Streams/temp/Data/Last`)).body, null);
    const left = await t.database.db.selectFrom('sds_events').select('key').where('stream_id', '=', 'temp').execute();
    assert.deepEqual(left, []);
  });

  test('another tenant can neither read nor write this tenant’s SDS resources', async () => {
    const stranger = await seedTenant(t);
    for (const [method, url, body] of [
      ['GET', `/api/v1/Tenants/${owner.id}/Namespaces`],
      ['GET', `${base}/Types`],
      ['POST', `${base}/Types/X`, WAVE],
      ['GET', `${base}/Streams`],
      ['GET', `${base}/Streams/pump-1`],
      ['GET', `${base}/Streams/pump-1/Data/Last`],
      ['POST', `${base}/Streams/pump-1/Data`, [{ Time: at(30), Measurement: 1 }]],
      ['GET', `${base}/Streams/pump-1/AccessControl`],
      ['DELETE', `${base}/Streams/pump-1`],
    ] as const) {
      const res = await call(method, url, body, stranger.adminToken);
      assert.equal(res.status, 403, `${method} ${url}`);
      assert.ok(!JSON.stringify(res.body).includes('Pump 1'));
    }
    assert.equal((await call('GET', `${base}/Streams/pump-1`)).status, 200, 'the owner still reads it');
  });

  test('a window of 10,000 events is one range scan of the primary key', async () => {
    assert.equal((await call('POST', `${base}/Streams/dense`, { TypeId: 'WaveData' })).status, 201);
    const start = Date.UTC(2026, 0, 1);
    const events = Array.from({ length: 12_000 }, (_, i) => ({ Time: new Date(start + i * 1000).toISOString(), Measurement: i }));
    assert.equal((await call('POST', `${base}/Streams/dense/Data`, events)).status, 204);
    const from = new Date(start + 1000 * 1000).toISOString();
    const to = new Date(start + 10_999 * 1000).toISOString();
    const window = await call('GET', `${base}/Streams/dense/Data?startIndex=${from}&endIndex=${to}`);
    assert.equal(window.body.length, 10_000);
    assert.equal(window.body[0].Measurement, 1000);
    assert.equal(window.body[9999].Measurement, 10_999);

    const query = t.database.db
      .selectFrom('sds_events')
      .select('event')
      .where('tenant_id', '=', owner.id)
      .where('namespace_id', '=', 'plant')
      .where('stream_id', '=', 'dense')
      .where('key', '>=', from)
      .where('key', '<=', to)
      .orderBy('key')
      .compile();
    if (ENGINE === 'sqlite') {
      const rows = await t.database.db.executeQuery({ ...query, sql: `EXPLAIN QUERY PLAN ${query.sql}` });
      const details = (rows.rows as Array<{ detail: string }>).map((r) => r.detail).join('\n');
      assert.match(details, /SEARCH sds_events USING (INDEX sqlite_autoindex_sds_events_1|PRIMARY KEY)/);
      assert.doesNotMatch(details, /TEMP B-TREE/, 'no sort: the index gives the order');
    } else {
      // In a small test table a 10,000-event window is a large share, and the planner rightly
      // prefers a sequential scan; with that option off, the plan shows whether the index alone
      // serves the range and its order (no Sort node), as it must for a large table.
      const rows = await t.database.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        return trx.executeQuery({ ...query, sql: `EXPLAIN ${query.sql}` });
      });
      const plan = (rows.rows as Array<{ 'QUERY PLAN': string }>).map((r) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /Index Scan using sds_events_pkey/);
      assert.doesNotMatch(plan, /Sort/);
    }
  });
});
