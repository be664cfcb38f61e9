import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FINISHED_JOB_RETENTION_MS, HOUSEKEEPING, scheduleHousekeeping } from '../src/housekeeping.js';
import { signIn } from '../src/modules/identity/sessions.service.js';
import { replayOrRun } from '../src/modules/organizations/retry-tokens.service.js';
import { createTestApp, operator, seedTenant } from './support/app.js';

test('housekeeping forgets expired tokens and old finished jobs, runs once an hour however many workers schedule it', async () => {
  const t = await createTestApp();
  try {
    const tenant = await seedTenant(t);
    await operator(t, 'POST', `/users/${tenant.admin.id}/tokens`, { ttlSeconds: 60 });
    assert.equal(await t.worker.drain(), 1, 'the welcome mail');
    const tokens = () => t.database.db.selectFrom('access_tokens').select('token_hash').where('tenant_id', '=', tenant.id).execute();
    const jobs = (type?: string) =>
      t.database.db.selectFrom('outbox_jobs').select(['type', 'status', 'run_at']).$if(!!type, (q) => q.where('type', '=', type!)).orderBy('run_at').execute();
    assert.equal((await tokens()).length, 2);
    await operator(t, 'POST', `/tenants/${tenant.id}/users`, { email: 'console@house.test', password: 'a console password' });
    const session = await signIn(t.deps, { email: 'console@house.test', password: 'a console password' });
    assert.equal(session.kind, 'signed-in');
    assert.equal((await t.database.db.selectFrom('console_sessions').select('id_hash').execute()).length, 1);
    await replayOrRun(t.deps, tenant.id, 'a-retry-token', 'hash', async () => ({ status: 200, headers: {}, body: {} }));
    assert.equal((await t.database.db.selectFrom('org_retry_tokens').select('token').execute()).length, 1);

    t.clock.advance(FINISHED_JOB_RETENTION_MS + 1);
    await scheduleHousekeeping(t.deps);
    await scheduleHousekeeping(t.deps);
    assert.equal((await jobs(HOUSEKEEPING)).length, 1, 'two schedules, one job');
    assert.equal(await t.worker.drain(), 1);
    assert.deepEqual(await tokens(), [], 'both tokens had expired (the seeded one lives a day)');
    assert.deepEqual(await t.database.db.selectFrom('console_sessions').select('id_hash').execute(), [], 'the console session had expired');
    assert.deepEqual(await t.database.db.selectFrom('org_retry_tokens').select('token').execute(), [], 'the retry token is past its 24 h');
    const left = await jobs();
    assert.deepEqual(
      left.map((j) => `${j.type} ${j.status}`),
      [`${HOUSEKEEPING} done`, `${HOUSEKEEPING} pending`],
      'the old mail job is gone; this run is done and the next one queued',
    );
    assert.equal(left[1].run_at % 3_600_000, 0, 'on the next hour');
    assert.equal(await t.worker.drain(), 0, 'not due before then');
  } finally {
    await t.close();
  }
});

test('an opc-retry-token replays for 24 h; after that it is new again, even before housekeeping ran', async () => {
  const t = await createTestApp();
  try {
    const tenant = await seedTenant(t);
    let runs = 0;
    const use = (hash: string) => replayOrRun(t.deps, tenant.id, 'token-1', hash, async () => ({ status: 200, headers: {}, body: { run: ++runs } }));
    assert.deepEqual((await use('first')).body, { run: 1 });
    t.clock.advance(23 * 3_600_000);
    assert.deepEqual((await use('first')).body, { run: 1 }, 'replayed within 24 h');
    await assert.rejects(use('another request'), /already used for a different request/);
    t.clock.advance(2 * 3_600_000);
    assert.deepEqual((await use('another request')).body, { run: 2 }, 'a day later the token is free');
    assert.equal(runs, 2);
  } finally {
    await t.close();
  }
});
