import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Secrets never reach the log: credentials in headers and bodies are redacted wherever they appear. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.adminPassword',
  '*.clientSecret',
  '*.client_secret',
  '*.token',
  '*.access_token',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}
