import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/log.js';
import { enqueueMail } from '../src/platform/mail/mail.jobs.js';
import { messageIdFor } from '../src/platform/mail/mailer.js';
import { enqueue, type OutboxJob } from '../src/platform/outbox/outbox.js';
import { findJob } from '../src/platform/outbox/outbox.repo.js';
import { createWorker, retryDelayMs, workerGroup, type JobHandler } from '../src/platform/outbox/worker.js';
import { createTestDatabase, createTestApp, operator, type TestDatabase } from './support/app.js';
import { decodeQuotedPrintable } from './support/smtp.js';

const log = createLogger('silent');

describe('outbox and worker', () => {
  let store: TestDatabase;
  const clock = new ManualClock();
  before(async () => {
    store = await createTestDatabase();
  });
  after(() => store.drop());

  const worker = (handlers: Record<string, JobHandler>, leaseMs = 60_000) =>
    createWorker({ database: store.database, clock, log, handlers: new Map(Object.entries(handlers)), pollMs: 50, leaseMs, maxAttempts: 3 });

  const put = (type: string, payload: unknown = {}) =>
    store.database.db.transaction().execute((trx) => enqueue(trx, clock.now(), { type, payload }));

  test('a job queued in a transaction that rolls back never exists', async () => {
    let id = '';
    await assert.rejects(
      store.database.db.transaction().execute(async (trx) => {
        id = await enqueue(trx, clock.now(), { type: 'never', payload: {} });
        throw new Error('roll back');
      }),
    );
    assert.equal(await findJob(store.database.db, id), undefined);
  });

  test('a failing job is retried with exponential backoff until it succeeds', async () => {
    const seen: number[] = [];
    const w = worker({
      flaky: async (job) => {
        seen.push(job.attempts);
        if (job.attempts < 2) throw new Error('temporary failure');
      },
    });
    const id = await put('flaky', { n: 1 });
    assert.equal(await w.drain(), 1);
    let row = await findJob(store.database.db, id);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.last_error, 'temporary failure');
    assert.equal(row?.run_at, clock.now() + retryDelayMs(1));
    assert.equal(await w.drain(), 0, 'not due before its backoff');
    clock.advance(retryDelayMs(1));
    assert.equal(await w.drain(), 1);
    row = await findJob(store.database.db, id);
    assert.equal(row?.status, 'done');
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual([retryDelayMs(1), retryDelayMs(2), retryDelayMs(3), retryDelayMs(30)], [1000, 2000, 4000, 300_000]);
  });

  test('a job that keeps failing is buried after its last attempt', async () => {
    const w = worker({ broken: async () => Promise.reject(new Error('permanent')) });
    const id = await put('broken');
    for (let i = 0; i < 3; i += 1) {
      await w.drain();
      clock.advance(retryDelayMs(10));
    }
    const row = await findJob(store.database.db, id);
    assert.equal(row?.status, 'dead');
    assert.equal(row?.attempts, 3);
  });

  test('a job whose worker died is run again by another once its lease ran out', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const runs: string[] = [];
    const dying = worker({ lease: async () => { runs.push('first'); await stuck; } }, 5_000);
    const id = await put('lease');
    const first = dying.drain();
    while (runs.length === 0) await new Promise((r) => setTimeout(r, 5));
    const rescuer = worker({ lease: async () => { runs.push('second'); } }, 5_000);
    assert.equal(await rescuer.drain(), 0, 'the lease still holds');
    clock.advance(5_001);
    assert.equal(await rescuer.drain(), 1);
    assert.equal((await findJob(store.database.db, id))?.status, 'done');
    release();
    await first;
    assert.deepEqual(runs, ['first', 'second']);
    assert.equal((await findJob(store.database.db, id))?.status, 'done', 'the late first worker does not undo the result');
  });

  test('workers draining side by side run each job exactly once', async () => {
    const counts = new Map<string, number>();
    const handler: JobHandler = async (job: OutboxJob) => {
      counts.set(job.id, (counts.get(job.id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 1));
    };
    const ids = [];
    for (let i = 0; i < 40; i += 1) ids.push(await put('parallel', { i }));
    const workers = [worker({ parallel: handler }), worker({ parallel: handler }), worker({ parallel: handler })];
    const processed = await Promise.all(workers.map((w) => w.drain()));
    assert.equal(processed.reduce((a, b) => a + b, 0), 40);
    assert.deepEqual([...counts.values()].filter((n) => n !== 1), []);
    assert.equal(counts.size, 40);
  });

  test('jobs of a concurrent type run side by side, the others one at a time in claim order; a failure stays its own', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const ordered: number[] = [];
    let orderedInFlight = 0;
    const w = createWorker({
      database: store.database,
      clock,
      log,
      pollMs: 50,
      leaseMs: 60_000,
      maxAttempts: 3,
      batchSize: 30,
      concurrentTypes: new Set(['io']),
      handlers: new Map<string, JobHandler>([
        [
          'io',
          async (job) => {
            inFlight += 1;
            mostInFlight = Math.max(mostInFlight, inFlight);
            await new Promise((r) => setTimeout(r, 20));
            inFlight -= 1;
            if ((job.payload as { i: number }).i === 3) throw new Error('this one fails');
          },
        ],
        [
          'step',
          async (job) => {
            orderedInFlight += 1;
            assert.equal(orderedInFlight, 1, 'steps never overlap');
            await new Promise((r) => setTimeout(r, 2));
            ordered.push((job.payload as { i: number }).i);
            orderedInFlight -= 1;
          },
        ],
      ]),
    });
    const io = [];
    for (let i = 0; i < 20; i += 1) io.push(await put('io', { i }));
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1);
      await put('step', { i });
    }
    assert.equal(await w.drain(), 25);
    assert.ok(mostInFlight >= 10, `${mostInFlight} io jobs ran at once`);
    assert.deepEqual(ordered, [0, 1, 2, 3, 4]);
    const states = await Promise.all(io.map((id) => findJob(store.database.db, id)));
    assert.deepEqual(
      states.map((j) => j?.status),
      io.map(() => 'pending').fill('done', 0, 3).fill('done', 4),
      'the failed job waits for its retry; every other is done',
    );
    assert.equal(states[3]?.last_error, 'this one fails');
  });

  test('workers in lanes: a job stuck in one lane (a slow mail server) does not hold up the other', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const done: string[] = [];
    const handlers = new Map<string, JobHandler>([
      ['slow-mail', async () => stuck],
      ['work', async (job) => void done.push(job.id)],
    ]);
    const common = { database: store.database, clock, log, handlers, pollMs: 20, leaseMs: 60_000 };
    const group = workerGroup([createWorker({ ...common, lane: { only: ['slow-mail'] } }), createWorker({ ...common, lane: { except: ['slow-mail'] } })]);
    await put('slow-mail');
    const work = await put('work');
    group.start();
    for (let i = 0; i < 100 && done.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(done, [work], 'the work job ran while the mail job hung');
    release();
    await group.stop();
  });

  test('a started worker picks up new jobs by itself and stops cleanly', async () => {
    const done: string[] = [];
    const w = worker({ live: async (job) => void done.push(job.id) });
    w.start();
    const id = await put('live');
    w.wake();
    for (let i = 0; i < 100 && done.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    assert.deepEqual(done, [id]);
  });
});

describe('mail without SMTP', () => {
  test('each mail job becomes one .eml file named for its job, with a Message-ID derived from it', async () => {
    const t = await createTestApp();
    try {
      const tenant = await operator(t, 'POST', '/tenants', { name: 'Mail & Co', adminEmail: 'boss@mail.test' });
      assert.equal(await t.worker.drain(), 1);
      const files = fs.readdirSync(path.join(t.dataDir, 'mail'));
      assert.equal(files.length, 1);
      const jobId = files[0].replace(/\.eml$/, '');
      const eml = decodeQuotedPrintable(fs.readFileSync(path.join(t.dataDir, 'mail', files[0]), 'utf8'));
      assert.match(eml, new RegExp(`^Message-ID: ${messageIdFor(jobId)}$`, 'm'));
      assert.match(eml, /^To: boss@mail\.test$/m);
      assert.match(eml, /^Subject: Your Tenantry tenant Mail & Co is ready$/m);
      assert.ok(eml.includes(tenant.ocid));
      assert.ok(eml.includes('Mail &amp; Co'), 'the HTML part escapes values');
      assert.ok(eml.includes(`${t.config.publicUrl}/console`));

      // A redelivery of the same job (as after a crash before it was marked done) sends nothing new.
      await t.database.db.updateTable('outbox_jobs').set({ status: 'pending', locked_until: null }).where('id', '=', jobId).execute();
      fs.rmSync(path.join(t.dataDir, 'mail', files[0]));
      assert.equal(await t.worker.drain(), 1);
      assert.deepEqual(fs.readdirSync(path.join(t.dataDir, 'mail')), []);
    } finally {
      await t.close();
    }
  });

  test('mail queued in a failed transaction is never sent', async () => {
    const t = await createTestApp();
    try {
      await assert.rejects(
        t.database.db.transaction().execute(async (trx) => {
          await enqueueMail(trx, t.clock.now(), 'x@y.test', { subject: 's', text: 't', html: 'h' });
          throw new Error('business rule failed');
        }),
      );
      assert.equal(await t.worker.drain(), 0);
    } finally {
      await t.close();
    }
  });
});
