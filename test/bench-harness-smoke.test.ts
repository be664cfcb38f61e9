import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from './support/server.js';

const run = promisify(execFile);

// `npm run bench` is not part of the suite; this tiny run of every scenario keeps it from rotting.
test('the invitation benchmark runs every scenario and prints complete summaries without errors', { timeout: 240_000 }, async () => {
  const args = ['--import', 'tsx', path.join(ROOT, 'bench/invitations.ts'), '--quick', ...(process.env.DATABASE_URL ? ['--pg'] : [])];
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, timeout: 230_000, maxBuffer: 16 * 1024 * 1024 });
  const results = stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const byName = new Map(results.map((r) => [r.scenario, r]));
  assert.deepEqual(
    results.map((r) => r.scenario),
    [
      'http-ceiling',
      'sqlite-floor',
      'ocs-create',
      'ocs-accept',
      'ocs-confirm',
      'oci-create',
      'work-requests',
      ...(process.env.DATABASE_URL ? ['oci-create-postgres-target'] : []),
      'oci-accept',
      'ocs-list-first-1000',
      'oci-list-first-1000',
      'oci-list-deep-1000',
      'ocs-list-deep-1000',
      'mail-drain',
    ],
  );
  assert.ok(byName.get('http-ceiling').perSecond > 0);
  assert.ok(byName.get('sqlite-floor').perSecond > 0);
  for (const r of results.filter((r) => 'p99ms' in r && r.scenario !== 'work-requests')) {
    assert.equal(r.errors, 0, `${r.scenario}: ${r.firstError}`);
    assert.equal(r.non2xx, 0, `${r.scenario}: ${r.firstError}`);
    assert.ok(r.requests > 0 && r.perSecond > 0, r.scenario);
    for (const field of ['p50ms', 'p99ms', 'serverCpuSeconds', 'serverCpuPercent', 'serverPeakRssMb']) assert.equal(typeof r[field], 'number', `${r.scenario}.${field}`);
    assert.ok(r.serverPeakRssMb > 10, `${r.scenario}: peak RSS of the server process`);
    if (r.scenario === 'http-ceiling') continue;
    assert.equal(typeof r.ratioToFloor, 'number', r.scenario);
    assert.equal(typeof r.ratioToCeiling, 'number', r.scenario);
    assert.equal(typeof r.met, 'boolean', r.scenario);
  }
  // The OCI deep page is reached by following opc-next-page tokens: 9 pages of 100 before it.
  assert.equal(byName.get('oci-list-deep-1000').itemsBefore, 900);
  const workRequests = byName.get('work-requests');
  assert.equal(workRequests.failed, 0);
  assert.equal(workRequests.finished, workRequests.workRequests);
  // One work request per accepted create (a request cut off by the end of the load may still have made one).
  assert.ok(workRequests.workRequests >= byName.get('oci-create').requests);
  const mail = byName.get('mail-drain');
  assert.equal(mail.duplicates, 0);
  assert.ok(mail.perSecond > 0);
});

test('the benchmark splits its load between two server processes on one store', { timeout: 120_000 }, async () => {
  const args = ['--import', 'tsx', path.join(ROOT, 'bench/invitations.ts'), '--quick', '--processes', '2', '--scenario', 'ocs-create', ...(process.env.DATABASE_URL ? ['--pg'] : [])];
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, timeout: 110_000, maxBuffer: 16 * 1024 * 1024 });
  const create = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .find((r) => r.scenario === 'ocs-create');
  assert.equal(create.serverProcesses, 2);
  assert.equal(create.processes.length, 2);
  for (const p of create.processes) assert.ok(p.perSecond > 0, 'each process served its share');
  assert.equal(create.errors, 0, create.firstError);
  assert.equal(create.non2xx, 0, create.firstError);
});
