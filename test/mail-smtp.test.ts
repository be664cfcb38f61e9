import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueueMail } from '../src/platform/mail/mail.jobs.js';
import { messageIdFor } from '../src/platform/mail/mailer.js';
import { findJob } from '../src/platform/outbox/outbox.repo.js';
import { createTestDatabase, type TestDatabase } from './support/app.js';
import { startServer } from './support/server.js';
import { startSmtpServer } from './support/smtp.js';

describe('mail over SMTP, from a separate worker process', () => {
  let store: TestDatabase;
  before(async () => {
    store = await createTestDatabase();
  });
  after(() => store.drop());

  const queueMail = (to: string, subject: string) =>
    store.database.db.transaction().execute((trx) => enqueueMail(trx, Date.now(), to, { subject, text: `text of ${subject}`, html: `<p>${subject}</p>` }));

  test('an outbox mail job is delivered exactly once, also when the worker is killed mid-delivery', async () => {
    let deliveries = 0;
    let cutShort!: () => void;
    const firstDataArrived = new Promise<void>((resolve) => (cutShort = resolve));
    let releaseFirst!: (error?: Error) => void;
    const smtp = await startSmtpServer({
      async beforeAccept() {
        deliveries += 1;
        if (deliveries > 1) return;
        // The first delivery stops here, its DATA received but not acknowledged, until the test
        // has killed the worker; then the server refuses it, as it would for a dropped connection.
        cutShort();
        await new Promise<void>((resolve) => (releaseFirst = () => resolve()));
        throw new Error('connection lost before the message was accepted');
      },
    });
    const env = { ...store.env, SMTP_URL: smtp.url, TENANTRY_WORKER_POLL: '100ms', TENANTRY_WORKER_LEASE: '1500ms' };
    try {
      const jobId = await queueMail('invitee@acme.test', 'You are invited');
      const first = await startServer(env, 'worker');
      await firstDataArrived;
      assert.equal(await first.stop('SIGKILL'), 'SIGKILL');
      releaseFirst();
      assert.equal(smtp.messages.length, 0, 'nothing was accepted from the killed worker');
      assert.equal((await findJob(store.database.db, jobId))?.status, 'pending');

      const second = await startServer(env, 'worker');
      try {
        const [mail] = await smtp.waitFor((m) => m.messageId === messageIdFor(jobId), 1, 15_000);
        assert.deepEqual(mail.to, ['invitee@acme.test']);
        assert.equal(mail.subject, 'You are invited');
        assert.match(mail.text, /text of You are invited/);
        for (let i = 0; i < 50 && (await findJob(store.database.db, jobId))?.status !== 'done'; i += 1) await new Promise((r) => setTimeout(r, 100));
        const job = await findJob(store.database.db, jobId);
        assert.equal(job?.status, 'done');
        assert.equal(job?.attempts, 2, 'the second worker took the job over once the lease ran out');
        await new Promise((r) => setTimeout(r, 2000));
        assert.equal(smtp.messages.length, 1, 'delivered exactly once');
        assert.equal(smtp.dataStarted, 2, 'one cut-short delivery, one complete');
      } finally {
        assert.equal(await second.stop('SIGTERM'), 0, 'the worker exits cleanly on SIGTERM');
      }
    } finally {
      await smtp.close();
    }
  });

  test('many queued mails go out once each over the pooled transport', async () => {
    const smtp = await startSmtpServer();
    const worker = await startServer({ ...store.env, SMTP_URL: smtp.url, TENANTRY_WORKER_POLL: '100ms' }, 'worker');
    try {
      const ids = [];
      for (let i = 0; i < 12; i += 1) ids.push(await queueMail(`user${i}@acme.test`, `Message ${i}`));
      const received = await smtp.waitFor((m) => m.subject.startsWith('Message '), 12, 20_000);
      assert.deepEqual(new Set(received.map((m) => m.messageId)), new Set(ids.map(messageIdFor)));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(smtp.messages.filter((m) => m.subject.startsWith('Message ')).length, 12);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });
});
