import path from 'node:path';
import { z } from 'zod';
import { parseDuration } from './duration.js';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration; use e.g. 500ms, 2s, 15m, 1h or 14d` });
        return z.NEVER;
      }
      return ms;
    });

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((text, ctx) => {
      const value = Number(text);
      if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return value;
    });

const url = (protocols: string[]) =>
  z.string().refine(
    (text) => {
      try {
        return protocols.includes(new URL(text).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** The runtime contract of ARCHITECTURE.md §4, plus a few operational knobs documented in the README. */
const EnvSchema = z.object({
  PORT: integer(8080, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  TENANTRY_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  TENANTRY_OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  TENANTRY_PUBLIC_URL: url(['http:', 'https:']).optional(),
  TENANTRY_COMMUNITY_INVITATION_TTL: duration('14d'),
  TENANTRY_ORGANIZATION_INVITATION_TTL: duration('30d'),
  TENANTRY_INVITATIONS_PER_DAY: integer(0, 0, 1_000_000),
  TENANTRY_ORGANIZATION_CHILD_LIMIT: integer(100, 0, 1_000_000),
  TENANTRY_RATE_LIMIT: integer(1000, 0, 1_000_000),
  // Unset: twice TENANTRY_RATE_LIMIT.
  TENANTRY_RATE_LIMIT_BURST: integer(0, 1, 1_000_000).optional(),
  TENANTRY_METERING_START_DELAY: duration('0s'),
  TENANTRY_REALM: z.string().regex(/^[a-z][a-z0-9]{1,15}$/, 'must be a realm key such as oc1').default('oc1'),
  TENANTRY_REGIONS: z
    .string()
    .default('us-ashburn-1,us-phoenix-1,eu-frankfurt-1,uk-london-1,ap-tokyo-1')
    .transform((text) => text.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z]+(-[a-z]+)+-\d+$/, 'each region must look like us-ashburn-1')).min(1, 'name at least one region')),
  TENANTRY_MAIL_FROM: z.string().min(3).default('Tenantry <no-reply@tenantry.local>'),
  TENANTRY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TENANTRY_WORKER_POLL: duration('500ms'),
  TENANTRY_WORKER_LEASE: duration('60s'),
  TENANTRY_REQUEST_TIMEOUT: duration('30s'),
  TENANTRY_BODY_LIMIT: integer(1024 * 1024, 1024, 64 * 1024 * 1024),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly operatorToken?: string;
  readonly smtpUrl?: string;
  readonly publicUrl: string;
  readonly communityInvitationTtlMs: number;
  readonly organizationInvitationTtlMs: number;
  readonly invitationsPerDay: number;
  /** Most child tenancies (joined or invited and pending) one organization may have. */
  readonly organizationChildLimit: number;
  /** Requests a second one principal may send (token bucket per process); 0 turns the limit off. */
  readonly rateLimitPerSecond: number;
  readonly rateLimitBurst: number;
  readonly meteringStartDelayMs: number;
  readonly realm: string;
  readonly regions: readonly string[];
  readonly mailFrom: string;
  readonly logLevel: string;
  readonly workerPollMs: number;
  readonly workerLeaseMs: number;
  /** How long a connection may stay silent mid-request before it is closed. */
  readonly requestTimeoutMs: number;
  /** Largest request body, in bytes, read on any route but a stream's data (refused with 413 before it is read). */
  readonly bodyLimitBytes: number;
}

export class ConfigError extends Error {}

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape).flatMap((key) => (env[key] === undefined || env[key] === '' ? [] : [[key, env[key]]])),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const hostForUrl = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.TENANTRY_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    operatorToken: e.TENANTRY_OPERATOR_TOKEN,
    smtpUrl: e.SMTP_URL,
    publicUrl: (e.TENANTRY_PUBLIC_URL ?? `http://${hostForUrl}:${e.PORT}`).replace(/\/+$/, ''),
    communityInvitationTtlMs: e.TENANTRY_COMMUNITY_INVITATION_TTL,
    organizationInvitationTtlMs: e.TENANTRY_ORGANIZATION_INVITATION_TTL,
    invitationsPerDay: e.TENANTRY_INVITATIONS_PER_DAY,
    organizationChildLimit: e.TENANTRY_ORGANIZATION_CHILD_LIMIT,
    rateLimitPerSecond: e.TENANTRY_RATE_LIMIT,
    rateLimitBurst: e.TENANTRY_RATE_LIMIT_BURST ?? Math.max(1, 2 * e.TENANTRY_RATE_LIMIT),
    meteringStartDelayMs: e.TENANTRY_METERING_START_DELAY,
    realm: e.TENANTRY_REALM,
    regions: Object.freeze([...e.TENANTRY_REGIONS]),
    mailFrom: e.TENANTRY_MAIL_FROM,
    logLevel: e.TENANTRY_LOG_LEVEL,
    workerPollMs: e.TENANTRY_WORKER_POLL,
    workerLeaseMs: e.TENANTRY_WORKER_LEASE,
    requestTimeoutMs: e.TENANTRY_REQUEST_TIMEOUT,
    bodyLimitBytes: e.TENANTRY_BODY_LIMIT,
  });
}
