import autocannon from 'autocannon';
import { watchProcess } from './proc.js';

export interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** The service (or yardstick) under load: its CPU and peak RSS are reported. */
  base: string;
  pid: number;
  connections: number;
  /** Seconds; a run with `next` and `amount` also ends when the pool of requests is used up. */
  duration: number;
  /** A fixed request, or … */
  request?: Request;
  /** … the next request of a pool (each taken once: accept the next invitation). */
  next?: () => Request;
  /** How many requests `next` can give (unset: `next` never runs out). */
  amount?: number;
  /** Status a request must answer with to count as a success (default any 2xx). */
  expect?: number;
}

export interface LoadSummary {
  requests: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  serverCpuSeconds: number;
  serverCpuPercent: number;
  serverPeakRssMb: number;
  firstError?: string;
}

/** Drives one load with autocannon over loopback and reads the target process's CPU and peak RSS. */
export async function drive(options: LoadOptions): Promise<LoadSummary> {
  const { base, pid, connections } = options;
  let firstError: string | undefined;
  let unexpected = 0;
  const onResponse = (status: number, body: string) => {
    const ok = options.expect === undefined ? status >= 200 && status < 300 : status === options.expect;
    if (ok) return;
    unexpected += 1;
    firstError ??= `${status} ${body.slice(0, 300)}`;
  };
  const request = options.request;
  const next = options.next;
  const slack = connections * 2; // requests built ahead by connections that then stop
  const pooled = next !== undefined && options.amount !== undefined && Number.isFinite(options.amount);
  const stats = watchProcess(pid);
  const instance = autocannon({
    url: base,
    connections,
    pipelining: 1,
    timeout: 30,
    ...(pooled ? { amount: Math.max(connections, options.amount! - slack) } : { duration: options.duration }),
    requests: [
      {
        ...(request ?? {}),
        setupRequest: next ? (r: any) => ({ ...r, ...next() }) : (r: any) => r,
        onResponse,
      } as any,
    ],
  });
  // A pool-driven run also stops at the duration, like a timed one.
  const timer = pooled ? setTimeout(() => instance.stop(), options.duration * 1000) : undefined;
  const result = (await instance) as autocannon.Result;
  clearTimeout(timer);
  const server = stats();
  const total = result.requests.total;
  const codes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) codes[code] = Number(count);
  return {
    requests: total,
    seconds: +result.duration.toFixed(2),
    perSecond: Math.round(total / result.duration),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors + result.timeouts + (unexpected - result.non2xx > 0 ? unexpected - result.non2xx : 0),
    non2xx: result.non2xx,
    statusCodes: codes,
    ...server,
    ...(firstError ? { firstError } : {}),
  };
}
