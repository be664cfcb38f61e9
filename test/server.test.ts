import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/app.js';
import { freePort, ROOT, startServer } from './support/server.js';

async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  return { status: res.status, body: await res.json() };
}

describe('the service process', () => {
  let store: TestDatabase;
  before(async () => {
    store = await createTestDatabase();
  });
  after(() => store.drop());

  test('npm start serves /healthz, prints where the operator token is, and the operator API works', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, ...store.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    // The output pipe closes once every process of the group holding it (npm, tsx, node) is gone.
    const allGone = new Promise((resolve) => child.stdout.once('close', resolve));
    const base = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 60_000;
      while (!(await fetch(`${base}/healthz`).then((r) => r.ok, () => false))) {
        assert.ok(Date.now() < deadline, `no /healthz within 60 s:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const tokenFile = path.join(store.dataDir, 'operator-token');
      assert.ok(out.includes(tokenFile), 'the token file path is printed');
      assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
      const token = fs.readFileSync(tokenFile, 'utf8').trim();
      const tenant = await json(`${base}/admin/v1/tenants`, { method: 'POST', token, body: JSON.stringify({ name: 'Started', adminEmail: 'a@started.test' }) });
      assert.equal(tenant.status, 201);
      const issued = await json(`${base}/admin/v1/users/${tenant.body.admin.id}/tokens`, { method: 'POST', token, body: '{}' });
      assert.equal(issued.status, 201);
      assert.ok(Date.parse(issued.body.expiresAt) > Date.now());
      const roles = await json(`${base}/api/v1/Tenants/${tenant.body.id}/Roles`, { token: issued.body.token });
      assert.equal(roles.status, 200);
      assert.equal(fs.existsSync(path.join(ROOT, 'data')), false, 'nothing is written inside the checkout');
    } finally {
      // SIGTERM to the process group, as a terminal or a supervisor sends it: npm itself dies of
      // the signal, the service shuts down cleanly.
      process.kill(-child.pid!, 'SIGTERM');
      assert.ok([0, 'SIGTERM'].includes((await exited) as number | string));
      await allGone;
      assert.match(out, /"msg":"stopped"/, out);
    }
  });

  test('a SIGTERM lets the request in flight finish, and a SIGKILL leaves data that starts again cleanly', async () => {
    const env = { ...store.env, TENANTRY_OPERATOR_TOKEN: 'operator-token-for-restarts' };
    const first = await startServer(env);
    const token = env.TENANTRY_OPERATOR_TOKEN;
    const pending = json(`${first.url}/admin/v1/tenants`, {
      method: 'POST',
      token,
      body: JSON.stringify({ name: 'In flight', adminEmail: 'f@flight.test', adminPassword: 'hashing takes a while' }),
    });
    while (!first.output().includes('"url":"/admin/v1/tenants"')) await new Promise((r) => setTimeout(r, 5));
    first.process.kill('SIGTERM');
    const created = await pending;
    assert.equal(created.status, 201, 'the request in flight completed');
    assert.equal(await first.exited, 0);

    const second = await startServer(env);
    const listed = await json(`${second.url}/admin/v1/tenants`, { token });
    assert.ok(listed.body.some((t: { id: string }) => t.id === created.body.id), 'the acknowledged tenant survived');
    const more = await json(`${second.url}/admin/v1/tenants`, { method: 'POST', token, body: JSON.stringify({ name: 'Before kill', adminEmail: 'k@kill.test' }) });
    assert.equal(more.status, 201);
    assert.equal(await second.stop('SIGKILL'), 'SIGKILL');

    const third = await startServer(env);
    try {
      const after = await json(`${third.url}/admin/v1/tenants`, { token });
      assert.ok(after.body.some((t: { id: string }) => t.id === more.body.id), 'data acknowledged before the SIGKILL is there');
    } finally {
      assert.equal(await third.stop(), 0);
    }
  });

  test('a SIGTERM waits for the handlers whose clients hung up: none of them finds the store closed', async () => {
    const env = { ...store.env, TENANTRY_OPERATOR_TOKEN: 'operator-token-for-hang-ups' };
    const server = await startServer(env);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${env.TENANTRY_OPERATOR_TOKEN}` };
    // Reads: a request whose client hangs up while its body is still being read never reaches its handler.
    const clients = Array.from({ length: 40 }, () => {
      const request = http.request(`${server.url}/admin/v1/audit`, { headers, agent: false });
      request.on('error', () => {});
      request.end();
      return request;
    });
    const arrived = () => server.output().split('"url":"/admin/v1/audit"').length - 1;
    while (arrived() < 10) await new Promise((r) => setTimeout(r, 1));
    // Every client hangs up with its request in flight, as a load generator's do at its end; then the stop.
    for (const request of clients) request.destroy();
    server.process.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    const failed = server.output().split('\n').filter((line) => /"level":(50|60)/.test(line));
    assert.deepEqual(failed, [], 'no handler failed on a closed store');
  });

  test('a bad setting stops the start with a message naming the variable', async () => {
    for (const [name, value] of [['TENANTRY_COMMUNITY_INVITATION_TTL', 'forever'], ['PORT', 'http']]) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts'), 'serve'], {
        cwd: ROOT,
        env: { ...process.env, ...store.env, [name]: value },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(code, 2);
      assert.ok(err.includes(name), err);
    }
  });

  test('/metrics reports requests and outbox depth, /openapi.json describes the operator API', async () => {
    const server = await startServer({ ...store.env, TENANTRY_OPERATOR_TOKEN: 'operator-token-for-metrics' });
    try {
      await fetch(`${server.url}/healthz`);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /tenantry_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
      assert.match(metrics, /tenantry_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz"\}/);
      assert.match(metrics, /^tenantry_outbox_pending_jobs \d+$/m);
      const openapi = await json(`${server.url}/openapi.json`);
      assert.equal(openapi.status, 200);
      assert.ok(openapi.body.paths['/admin/v1/tenants'].post);
    } finally {
      await server.stop();
    }
  });
});
