import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from './support/server.js';

const run = promisify(execFile);

// The benchmarks are not part of the suite; this short run of each keeps them from rotting.
test('the stream benchmark runs end to end and reports every scenario without errors', { timeout: 300_000 }, async () => {
  const args = ['--import', 'tsx', path.join(ROOT, 'bench/streams.ts'), '--quick', ...(process.env.DATABASE_URL ? ['--postgres'] : [])];
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, timeout: 280_000 });
  const results = stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.deepEqual(results.map((r) => r.scenario), ['insert events', 'read window']);
  for (const r of results) {
    assert.equal(r.errors, 0);
    assert.ok(r.perSecond > 0);
  }
});
