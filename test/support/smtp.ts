import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  messageId: string;
  subject: string;
  headers: Record<string, string>;
  /** The whole message as received (headers and MIME body). */
  raw: string;
  /** The text/plain part, decoded from quoted-printable when needed. */
  text: string;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Connections whose DATA began (a delivery that was cut short still counts here). */
  dataStarted: number;
  /** Resolves with the first `count` messages matching `match`, or rejects after `timeoutMs`. */
  waitFor(match: (m: ReceivedMail) => boolean, count?: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

function parseHeaders(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function decodeSubject(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

export function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function textPart(raw: string): string {
  const match = /Content-Type: text\/plain[^\n]*\r?\n(?:Content-Transfer-Encoding: ([^\r\n]+)\r?\n)?\r?\n([\s\S]*?)(?:\r?\n--|$)/i.exec(raw);
  if (!match) return '';
  const encoding = (match[1] ?? '').trim().toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(match[2]);
  if (encoding === 'base64') return Buffer.from(match[2], 'base64').toString('utf8');
  return match[2];
}

/**
 * A real SMTP server (npm smtp-server) on a free loopback port that keeps what it receives.
 * `beforeAccept` runs once DATA is complete and before the server answers 250 (tests hold or
 * drop a delivery there).
 */
export async function startSmtpServer(options: { beforeAccept?: () => Promise<void> } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let dataStarted = 0;
  const serverOptions: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      dataStarted += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        try {
          await options.beforeAccept?.();
        } catch (error) {
          return callback(error as Error);
        }
        if (stream.sizeExceeded) return callback(new Error('message too big'));
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers = parseHeaders(raw);
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId: headers['message-id'] ?? '',
          subject: decodeSubject(headers['subject'] ?? ''),
          headers,
          raw,
          text: textPart(raw),
        });
        callback();
        for (const wake of waiters) wake();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  // A client that dies mid-session (a SIGKILLed service) resets its connection; that is not ours to fail on.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get dataStarted() {
      return dataStarted;
    },
    waitFor(match, count = 1, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.filter(match);
          if (found.length >= count) {
            cleanup();
            resolve(found.slice(0, count));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${count} matching mail(s); received ${messages.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
