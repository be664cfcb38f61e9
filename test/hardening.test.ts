import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/app.js';
import { startServer, type ServerProcess } from './support/server.js';

describe('hardening of the HTTP surface', () => {
  let store: TestDatabase;
  let server: ServerProcess;
  const operatorToken = 'operator-token-that-must-never-be-logged';
  const BODY_LIMIT = 64 * 1024;

  before(async () => {
    store = await createTestDatabase();
    server = await startServer({ ...store.env, TENANTRY_OPERATOR_TOKEN: operatorToken, TENANTRY_REQUEST_TIMEOUT: '3s', TENANTRY_LOG_LEVEL: 'trace', TENANTRY_BODY_LIMIT: String(BODY_LIMIT) });
  });
  after(async () => {
    await server.stop();
    await store.drop();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  test('a client that stops sending mid-request is cut off after the timeout', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /admin/v1/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${operatorToken}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`,
    );
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const started = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    const waited = Date.now() - started;
    assert.ok(waited >= 2_500 && waited < 30_000, `closed after ${waited} ms`);
    assert.ok(answer === '' || /^HTTP\/1\.1 408/.test(answer), answer);
  });

  test('a request refused before its body was read does not keep the connection', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /admin/v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const started = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    assert.ok(Date.now() - started < 2_000);
    assert.match(answer, /^HTTP\/1\.1 401/);
    assert.match(answer, /connection: close/i);
  });

  test('a HEAD request the HTTP parser refuses is answered without a body (the envelope only for other methods)', async () => {
    const answerTo = async (method: string) => {
      const socket = net.connect(server.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`${method} /20230401/senderInvitations HTTP/1.1\r\nHost: x\r\nbad header line\r\n\r\n`);
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      await new Promise((resolve) => socket.once('close', resolve));
      return answer;
    };
    const head = await answerTo('HEAD');
    assert.match(head, /^HTTP\/1\.1 400 /);
    assert.ok(head.endsWith('\r\n\r\n'), `nothing after the headers: ${JSON.stringify(head)}`);
    const get = await answerTo('GET');
    assert.match(get, /\r\n\r\n\{"code":/, 'GET gets the OCI envelope');
  });

  test('an oversized body is refused early, in the envelope of its dialect', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), adminEmail: 'a@b.test' });
    const admin = await post('/admin/v1/tenants', huge, { authorization: `Bearer ${operatorToken}` });
    assert.equal(admin.status, 413);
    assert.equal((await admin.json()).code, 'FST_ERR_CTP_BODY_TOO_LARGE');
    const ocs = await post('/api/v1-preview/Communities', huge, { authorization: 'Bearer whatever' });
    assert.ok([401, 413].includes(ocs.status));
    assert.ok('OperationId' in (await ocs.json()));
    // TENANTRY_BODY_LIMIT (64 KiB here): a body just under it is read (and refused by validation), one just over is 413.
    const sized = (bytes: number) => JSON.stringify({ name: 'x'.repeat(bytes - 40), adminEmail: 'a@b.test' });
    assert.equal((await post('/admin/v1/tenants', sized(BODY_LIMIT), { authorization: `Bearer ${operatorToken}` })).status, 400);
    assert.equal((await post('/admin/v1/tenants', sized(BODY_LIMIT + 100), { authorization: `Bearer ${operatorToken}` })).status, 413);
  });

  test('no password, token or secret reaches the log, even at trace level', async () => {
    const auth = { authorization: `Bearer ${operatorToken}` };
    const password = 'correct-horse-battery-staple';
    const tenant = await (await post('/admin/v1/tenants', JSON.stringify({ name: 'Logged', adminEmail: 'l@logged.test', adminPassword: password }), auth)).json();
    const { token } = await (await post(`/admin/v1/users/${tenant.admin.id}/tokens`, '{}', auth)).json();
    const { clientId, clientSecret } = await (await post(`/admin/v1/tenants/${tenant.id}/clients`, JSON.stringify({ name: 'c', roles: ['TenantMember'] }), auth)).json();
    const issued = await fetch(`${server.url}/identity/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${clientId}&client_secret=${encodeURIComponent(clientSecret)}`,
    });
    const { access_token: accessToken } = await issued.json();
    for (const bearer of [token, accessToken]) {
      const res = await fetch(`${server.url}/api/v1/Tenants/${tenant.id}/Roles`, { headers: { authorization: `Bearer ${bearer}` } });
      assert.equal(res.status, 200);
    }
    await new Promise((r) => setTimeout(r, 300));
    const log = server.output();
    assert.ok(log.includes('"url":"/identity/connect/token"'), 'the log did record the requests');
    for (const [name, secret] of Object.entries({ operatorToken, password, token, clientSecret, accessToken })) {
      assert.ok(!log.includes(secret), `${name} appears in the log`);
    }
  });
});
