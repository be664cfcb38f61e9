import type { Clock } from '../clock.js';
import type { Database, Trx } from '../db/index.js';
import { enqueue, type OutboxJob } from '../outbox/outbox.js';
import type { JobHandler } from '../outbox/worker.js';
import { findDelivery, insertDelivery } from './mail.repo.js';
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

/**
 * Sends once per job: a delivery already recorded for this job is not sent again. A crash between
 * the SMTP server's acceptance and the record can repeat it, with the same Message-ID.
 */
export function sendMailHandler(database: Database, mailer: Mailer, clock: Clock): JobHandler {
  return async (job: OutboxJob) => {
    // A job's first attempt cannot have been delivered before: only a claim runs it, and every
    // claim counts an attempt.
    if (job.attempts > 1 && (await findDelivery(database.db, job.id))) return;
    const payload = job.payload as SendMailPayload;
    await mailer.send({ jobId: job.id, to: payload.to, subject: payload.subject, text: payload.text, html: payload.html });
    await insertDelivery(database.db, job.id, messageIdFor(job.id), payload.to, clock.now());
  };
}
