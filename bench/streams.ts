/**
 * Stream data benchmark (issue 4): event inserts and 10,000-event window reads over loopback HTTP
 * against a real `tenantry serve` process on a fresh store.
 *
 *   npm run bench:streams                      # SQLite
 *   npm run bench:streams -- --postgres        # PostgreSQL (DATABASE_URL or postgres://127.0.0.1:5432/test)
 *   npm run bench:streams -- --quick           # a few seconds: the smoke run the test suite uses
 *
 * Prints one JSON summary per scenario.
 */

import { startBenchServer } from './lib/server.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const usePostgres = args.has('--postgres');

const INSERT_REQUESTS = quick ? 40 : 2_000;
const EVENTS_PER_INSERT = 100;
const CONCURRENCY = quick ? 4 : 32;
const WINDOW = 10_000;
const WINDOW_READS = quick ? 5 : 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runConcurrent(total: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: total, errors, seconds: +seconds.toFixed(2), perSecond: +(total / seconds).toFixed(1), p50ms: +percentile(latencies, 50).toFixed(2), p99ms: +percentile(latencies, 99).toFixed(2) };
}

async function main() {
  const server = await startBenchServer({ postgres: usePostgres });
  const { base, op } = server;
  try {
    const tenant = await op('POST', '/tenants', { name: 'Bench', adminEmail: 'bench@bench.test' });
    await op('POST', `/tenants/${tenant.id}/namespaces`, { id: 'bench' });
    const { token } = await op('POST', `/users/${tenant.admin.id}/tokens`, {});
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const sds = `${base}/api/v1/Tenants/${tenant.id}/Namespaces/bench`;
    const must = async (res: Response, status: number) => {
      if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
      return res;
    };
    await must(
      await fetch(`${sds}/Types/Reading`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ Id: 'Reading', SdsTypeCode: 1, Properties: [{ Id: 'Time', IsKey: true, SdsType: { SdsTypeCode: 16 } }, { Id: 'Value', SdsType: { SdsTypeCode: 14 } }] }),
      }),
      201,
    );
    const streams = Array.from({ length: 8 }, (_, i) => `stream-${i}`);
    for (const id of streams) await must(await fetch(`${sds}/Streams/${id}`, { method: 'POST', headers, body: JSON.stringify({ TypeId: 'Reading' }) }), 201);

    const t0 = Date.UTC(2026, 0, 1);
    const counters = new Map(streams.map((s) => [s, 0]));
    const insert = await runConcurrent(INSERT_REQUESTS, CONCURRENCY, async (i) => {
      const stream = streams[i % streams.length];
      const first = counters.get(stream)!;
      counters.set(stream, first + EVENTS_PER_INSERT);
      const events = Array.from({ length: EVENTS_PER_INSERT }, (_, k) => ({ Time: new Date(t0 + (first + k) * 1000).toISOString(), Value: first + k }));
      await must(await fetch(`${sds}/Streams/${stream}/Data`, { method: 'POST', headers, body: JSON.stringify(events) }), 204);
    });
    console.log(JSON.stringify({ scenario: 'insert events', engine: usePostgres ? 'postgres' : 'sqlite', concurrency: CONCURRENCY, eventsPerRequest: EVENTS_PER_INSERT, ...insert, eventsPerSecond: Math.round(insert.perSecond * EVENTS_PER_INSERT) }));

    const stored = counters.get(streams[0])!;
    const span = Math.min(WINDOW, stored);
    const read = await runConcurrent(WINDOW_READS, Math.min(CONCURRENCY, 8), async (i) => {
      const offset = (i * 997) % Math.max(1, stored - span + 1);
      const start = new Date(t0 + offset * 1000).toISOString();
      const end = new Date(t0 + (offset + span - 1) * 1000).toISOString();
      const res = await must(await fetch(`${sds}/Streams/${streams[0]}/Data?startIndex=${start}&endIndex=${end}`, { headers }), 200);
      const events = (await res.json()) as unknown[];
      if (events.length !== span) throw new Error(`window returned ${events.length} events, expected ${span}`);
    });
    console.log(JSON.stringify({ scenario: 'read window', engine: usePostgres ? 'postgres' : 'sqlite', eventsPerWindow: span, streamEvents: stored, ...read }));
    if (insert.errors || read.errors) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

await main();
