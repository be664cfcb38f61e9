import type { Clock } from '../clock.js';
import type { Database, Trx } from '../db/index.js';
import { enqueue, type OutboxJob } from '../outbox/outbox.js';
import type { JobHandler } from '../outbox/worker.js';
import { findDelivery, insertDeliveries } from './mail.repo.js';
import { messageIdFor, type Mailer } from './mailer.js';
import type { RenderedMail } from './templates.js';

export const SEND_MAIL = 'mail.send';

interface SendMailPayload extends RenderedMail {
  to: string;
}

/** Queues one email in the caller's transaction; it goes out only if the transaction commits. */
export function enqueueMail(trx: Trx, now: number, to: string, mail: RenderedMail): Promise<string> {
  return enqueue(trx, now, { type: SEND_MAIL, payload: { to, ...mail } satisfies SendMailPayload });
}

type Delivery = Parameters<typeof insertDeliveries>[1][number];

/**
 * Records the deliveries that finish within one turn of the event loop in one statement (the
 * worker sends a batch side by side); each job still waits until its own row is stored.
 */
function deliveryRecorder(database: Database): (delivery: Delivery) => Promise<void> {
  let waiting: Array<{ delivery: Delivery; resolve: () => void; reject: (error: unknown) => void }> = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      for (let i = 0; i < batch.length; i += 500) await insertDeliveries(database.db, batch.slice(i, i + 500).map((w) => w.delivery));
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };
  return (delivery) =>
    new Promise<void>((resolve, reject) => {
      if (waiting.push({ delivery, resolve, reject }) === 1) setImmediate(() => void flush());
    });
}

/**
 * Sends once per job: a delivery already recorded for this job is not sent again. A crash between
 * the SMTP server's acceptance and the record can repeat it, with the same Message-ID.
 */
export function sendMailHandler(database: Database, mailer: Mailer, clock: Clock): JobHandler {
  const record = deliveryRecorder(database);
  return async (job: OutboxJob) => {
    // A job's first attempt cannot have been delivered before: only a claim runs it, and every
    // claim counts an attempt.
    if (job.attempts > 1 && (await findDelivery(database.db, job.id))) return;
    const payload = job.payload as SendMailPayload;
    await mailer.send({ jobId: job.id, to: payload.to, subject: payload.subject, text: payload.text, html: payload.html });
    await record({ jobId: job.id, messageId: messageIdFor(job.id), recipient: payload.to, now: clock.now() });
  };
}
