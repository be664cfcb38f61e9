import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

export interface MailMessage {
  /** The outbox job that sends it: the Message-ID and the .eml file name derive from it. */
  jobId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl?: string;
  dataDir: string;
  from: string;
}

/** A redelivery of one job's mail carries the same Message-ID, so it is recognisably the same message. */
export function messageIdFor(jobId: string): string {
  return `<${jobId}@tenantry>`;
}

export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : fileMailer(path.join(options.dataDir, 'mail'), options.from);
}

/** Connections of the pooled SMTP transport; the worker sends up to this many messages at once. */
export const SMTP_CONNECTIONS = 8;

function smtpMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  const transport: Transporter = nodemailer.createTransport({
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 25),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    getSocket: noDelaySocket,
  } as SMTPPool.Options);
  return {
    async send(message) {
      // Composed in memory first, so the message goes out in a few large writes rather than many
      // small ones from the streaming encoder (each its own packet on a TCP_NODELAY socket).
      const mime = new MailComposer(envelope(message, from)).compile();
      const raw = await new Promise<Buffer>((resolve, reject) => mime.build((error, built) => (error ? reject(error) : resolve(built))));
      await transport.sendMail({ envelope: mime.getEnvelope(), raw });
    },
    close: () => transport.close(),
  };
}

/**
 * The pool's own sockets keep Nagle's algorithm on: the end of each message then waits for the
 * server's delayed ACK (~40 ms a message, 20 messages/s a connection). Its sockets are opened here
 * with TCP_NODELAY instead; nodemailer upgrades them to TLS itself for smtps:.
 */
function noDelaySocket(options: { host?: string; port?: number }, done: (error: Error | null, socket?: { connection: net.Socket }) => void): void {
  const socket = net.connect({ host: options.host, port: options.port ?? 25, noDelay: true });
  const fail = (error: Error) => done(error);
  socket.once('error', fail);
  socket.setTimeout(10_000, () => socket.destroy(new Error(`SMTP connection to ${options.host}:${options.port} timed out`)));
  socket.once('connect', () => {
    socket.off('error', fail);
    socket.setTimeout(0);
    done(null, { connection: socket });
  });
}

/** Without SMTP_URL each message becomes `<data dir>/mail/<job id>.eml`, written atomically. */
function fileMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail(envelope(message, from));
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${message.jobId}.eml`);
      await fs.writeFile(`${file}.tmp`, info.message as Buffer);
      await fs.rename(`${file}.tmp`, file);
    },
    close: () => transport.close(),
  };
}

function envelope(message: MailMessage, from: string) {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: messageIdFor(message.jobId),
    headers: { 'X-Tenantry-Job': message.jobId },
  };
}
