import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from './support/server.js';

const run = promisify(execFile);

// The metering benchmark is not part of the suite; this short run keeps it from rotting.
test('the metering benchmark ingests usage, reads the cost report through oci-usageapi and reports both scenarios without errors', { timeout: 300_000 }, async () => {
  const args = ['--import', 'tsx', path.join(ROOT, 'bench/metering.ts'), '--quick', ...(process.env.DATABASE_URL ? ['--postgres'] : [])];
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, timeout: 280_000 });
  const results = stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.deepEqual(results.map((r) => r.scenario.split(' (')[0]), ['ingest usage', 'cost report']);
  assert.equal(results[0].errors, 0);
  assert.ok(results[0].recordsPerSecond > 0);
  assert.ok(results[1].rows > 0 && results[1].medianMs > 0);
});
