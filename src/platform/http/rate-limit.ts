import type { FastifyError, FastifyInstance } from 'fastify';
import { rateLimited } from '../errors.js';

export interface RateLimit {
  /** Requests a second one principal may send on average. */
  readonly perSecond: number;
  /** How many it may send at once after a quiet spell (the bucket's size). */
  readonly burst: number;
}

/** Past this many buckets, a new principal first drops the buckets that refilled completely. */
const SWEEP_AT = 10_000;

/**
 * Token buckets keyed by principal, kept in this process's memory: each replica limits on its
 * own, and a restart forgets them. Time is the monotonic clock of the process (a rate is about
 * real time, not the injected business clock). `take` is a map lookup and a little arithmetic.
 */
export function createRateLimiter(limit: RateLimit, now: () => number = () => performance.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = limit.perSecond / 1000;
  let sweepAt = SWEEP_AT;
  const sweep = (t: number) => {
    for (const [key, b] of buckets) if (b.tokens + (t - b.at) * perMs >= limit.burst) buckets.delete(key);
    sweepAt = Math.max(SWEEP_AT, buckets.size * 2);
  };
  /** The bucket of `key`, refilled up to now. */
  const refilled = (key: string) => {
    const t = now();
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      if (buckets.size >= sweepAt) sweep(t);
      bucket = { tokens: limit.burst, at: t };
      buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(limit.burst, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
    }
    return bucket;
  };
  const secondsUntilToken = (tokens: number) => (tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / limit.perSecond)));
  return {
    /** Takes a token for `key`: 0 when the request may go ahead, else whole seconds until one is back. */
    take(key: string): number {
      const bucket = refilled(key);
      const wait = secondsUntilToken(bucket.tokens);
      if (wait === 0) bucket.tokens -= 1;
      return wait;
    },
    /** Gives back a token taken for `key` (for limits that only some outcomes spend). */
    refund(key: string): void {
      const bucket = refilled(key);
      bucket.tokens = Math.min(limit.burst, bucket.tokens + 1);
    },
    get size() {
      return buckets.size;
    },
  };
}

/**
 * TENANTRY_RATE_LIMIT: every authenticated request (user — by token, API key or console
 * session —, client or operator) takes a token from its principal's bucket; an empty bucket is 429
 * with Retry-After in the dialect's envelope. Runs as the first preHandler, when every dialect's
 * authentication has set the principal; registered before the routes so they inherit it.
 * A rate of 0 registers nothing.
 */
export function registerRateLimit(app: FastifyInstance, limit: RateLimit): void {
  if (limit.perSecond <= 0) return;
  const limiter = createRateLimiter(limit);
  app.addHook('preHandler', (request, _reply, done) => {
    const principal = request.principal;
    if (principal === undefined) return done();
    const wait = limiter.take(principal.id === null ? principal.type : principal.id);
    if (wait === 0) return done();
    done(
      rateLimited(
        'RATE_LIMITED',
        `more than ${limit.perSecond} requests a second (bursts of ${limit.burst}) from this ${principal.type}; retry in ${wait} s`,
        wait,
      ) as unknown as FastifyError,
    );
  });
}
