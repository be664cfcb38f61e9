import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/app.js';
import { cliHome } from './support/cli.js';
import { ROOT, startServer, type ServerProcess } from './support/server.js';

/** These tests start many CLI processes; on a busy machine that takes longer than the suite's default 120 s per test. */
const slow = { timeout: 300_000 };

describe('README: the CLI seed story', () => {
  let store: TestDatabase;
  let server: ServerProcess;
  let home: ReturnType<typeof cliHome>;

  before(async () => {
    store = await createTestDatabase();
    // No TENANTRY_OPERATOR_TOKEN: the server generates one into data/operator-token, as on first start.
    server = await startServer({ ...store.env, TENANTRY_WORKER_POLL: '200ms' });
    home = cliHome();
  });
  after(async () => {
    await server?.stop();
    await store?.drop();
    home?.remove();
  });

  test('the block marked cli-seed-story runs as it stands and ends with the child in the table of tenancies', slow, async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- cli-seed-story -->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block, 'README.md has the block');
    // The block runs from a checkout (data/operator-token) with `tenantry` on the PATH.
    const checkout = path.join(home.home, 'checkout');
    const bin = path.join(home.home, 'bin');
    fs.mkdirSync(checkout);
    fs.mkdirSync(bin);
    fs.symlinkSync(store.dataDir, path.join(checkout, 'data'));
    fs.writeFileSync(path.join(bin, 'tenantry'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/tenantry.js')}" "$@"\n`, { mode: 0o755 });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TENANTRY_') && k !== 'DATABASE_URL') env[k] = v;
    const child = spawn('bash', ['-e', '-c', block], {
      cwd: checkout,
      env: { ...env, HOME: home.home, PATH: `${bin}:${env.PATH}`, TENANTRY_ENDPOINT: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? -1)));
    assert.equal(code, 0, `${err}\n${out}`);
    assert.match(out, /"operationType": "CREATE_SENDER_INVITATION"[\s\S]*"status": "SUCCEEDED"/);
    assert.match(out, /"operationType": "ACCEPT_RECIPIENT_INVITATION"[\s\S]*"status": "SUCCEEDED"/);
    const rows = out.split('\n').filter((l) => l.startsWith('| ocid1.tenancy.'));
    assert.equal(rows.length, 2, out);
    assert.ok(rows.some((r) => /\| acme-emea +\| ACTIVE +\| CHILD +\|/.test(r) && r.includes('OPTED_IN')), out);
    assert.ok(rows.some((r) => /\| acme +\| ACTIVE +\| PARENT +\|/.test(r)), out);
  });
});
