import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server (npm smtp-server) on loopback that counts what it accepts, for the mail scenarios. */
export interface SmtpSink {
  url: string;
  received: number;
  /** Distinct Message-IDs seen (a redelivery repeats one). */
  messageIds: Set<string>;
  /** Resolves when `count` messages have been received, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = { received: 0, messageIds: new Set<string>() } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1];
        if (id) sink.messageIds.add(id);
        sink.received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.waitFor = async (count, timeoutMs) => {
    const end = Date.now() + timeoutMs;
    while (sink.received < count) {
      if (Date.now() > end) throw new Error(`${sink.received} of ${count} messages arrived within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
