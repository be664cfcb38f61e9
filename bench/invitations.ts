/**
 * The invitation benchmark of issue 9: every invitation scenario of both dialects, the mail drain
 * and work-request latency, against a real `tenantry serve` process (one fresh store a scenario),
 * loaded over loopback by autocannon at concurrency 32, next to the two yardsticks measured in the
 * same run (the HTTP ceiling and the SQLite floor). See bench/README.md.
 *
 *   npm run bench                                   # every scenario but the 1,000,000-row lists, SQLite
 *   npm run bench -- --scenario oci-create,ocs-create
 *   npm run bench -- --large                        # also the lists with 1,000,000 invitations
 *   npm run bench -- --pg                           # PostgreSQL (BENCH_DATABASE_URL, DATABASE_URL or postgres://127.0.0.1:5432/test)
 *   npm run bench -- --quick                        # tiny sizes: the smoke run of npm test
 *   npm run bench -- --profile                      # also a CPU profile of the server per scenario (bench/profiles/)
 *
 * Prints one JSON summary a line per scenario.
 */

import fs from 'node:fs';
import path from 'node:path';
import { fingerprintOf } from '../src/modules/identity/identity.service.js';
import type { Database } from '../src/platform/db/index.js';
import { drive, type LoadSummary, type Request } from './lib/load.js';
import { ociSigner, retryToken, rsaKeyPair } from './lib/oci-sign.js';
import { watchProcess } from './lib/proc.js';
import { topSelfFrames } from './lib/profile.js';
import { seedCommunityInvitations, seedInvitationMail, seedOrganizationInvitations, seedSenderInvitationHistory, seedTenancies } from './lib/seed.js';
import { ROOT, startBenchServer, type BenchServer } from './lib/server.js';
import { startSmtpSink, type SmtpSink } from './lib/smtp-sink.js';
import { httpCeiling, sqliteFloor } from './lib/yardsticks.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
};

const quick = flag('--quick');
const large = flag('--large') || flag('--full');
const profile = flag('--profile');
const pgUrl = process.env.BENCH_DATABASE_URL;
const postgres = flag('--pg') || flag('--postgres') || pgUrl !== undefined;
const engine = postgres ? 'postgres' : 'sqlite';
const CONNECTIONS = Number(option('--connections') ?? 32);
/** `serve` processes on the one store, the load split evenly between them (issue 9: two on PostgreSQL). */
const PROCESSES = Number(option('--processes') ?? 1);
/** Seconds of load a scenario (each list request kind gets half). */
const DURATION = Number(option('--duration') ?? (quick ? 1 : 10));
/** Seconds of warm-up load before a measured one (not reported). */
const WARM_UP = quick ? 0.3 : 1;
const SIZES = quick
  ? { pool: 300, ociCreate: 250, ociAccept: 200, mail: 200, lists: [1_000] }
  : { pool: 40_000, ociCreate: 12_000, ociAccept: 6_000, mail: 10_000, lists: large ? [10_000, 1_000_000] : [10_000] };

const ALL = ['ocs-create', 'ocs-accept', 'ocs-confirm', 'oci-create', 'oci-accept', 'list', 'mail-drain'] as const;
type Scenario = (typeof ALL)[number];
const ALIASES: Record<string, Scenario> = { 'work-requests': 'oci-create', 'list-10k': 'list', 'list-1m': 'list', lists: 'list', mail: 'mail-drain' };
const picked = (option('--scenario') ?? ALL.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((s) => {
    const scenario = (ALIASES[s] ?? s) as Scenario;
    if (!ALL.includes(scenario)) throw new Error(`unknown scenario ${s}; pick from ${[...ALL, ...Object.keys(ALIASES)].join(', ')}`);
    return scenario;
  });
{
  const names = (option('--scenario') ?? '').split(',');
  if (names.includes('list-1m')) SIZES.lists = names.some((n) => ['list', 'lists', 'list-10k'].includes(n)) ? [...new Set([...SIZES.lists, 1_000_000])] : [1_000_000];
}

const yardsticks = { ceiling: 0, floor: 0 };
const began = performance.now();
/** Progress on stderr (stdout carries only the JSON summaries). */
const phase = (what: string) => process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(1)}s] ${what}\n`);
let failures = 0;

function print(summary: Record<string, unknown>) {
  console.log(JSON.stringify({ engine, connections: CONNECTIONS, ...(PROCESSES > 1 ? { serverProcesses: PROCESSES } : {}), ...summary, at: new Date().toISOString() }));
}

/** The ratios of a load to the yardsticks, and whether the issue-9 target holds. */
function report(scenario: string, load: LoadSummary, target?: { floorShare?: number; p99ms?: number; perSecond?: number }, extra: Record<string, unknown> = {}) {
  const ratioToFloor = yardsticks.floor ? +(load.perSecond / yardsticks.floor).toFixed(3) : undefined;
  const ratioToCeiling = yardsticks.ceiling ? +(load.perSecond / yardsticks.ceiling).toFixed(3) : undefined;
  let met: boolean | undefined;
  if (target) {
    met = load.errors === 0 && load.non2xx === 0;
    if (target.floorShare !== undefined) met &&= ratioToFloor !== undefined && ratioToFloor >= target.floorShare;
    if (target.p99ms !== undefined) met &&= load.p99ms <= target.p99ms;
    if (target.perSecond !== undefined) met &&= load.perSecond >= target.perSecond;
  }
  if (load.errors || load.non2xx) failures += 1;
  print({ scenario, ...extra, ...load, ratioToFloor, ratioToCeiling, ...(target ? { target: describe(target), met } : {}) });
}

function describe(t: { floorShare?: number; p99ms?: number; perSecond?: number }) {
  return [
    t.floorShare !== undefined ? `>= ${t.floorShare * 100}% of the SQLite floor` : '',
    t.perSecond !== undefined ? `>= ${t.perSecond} req/s` : '',
    t.p99ms !== undefined ? `p99 <= ${t.p99ms} ms` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** One scenario: a fresh server (and SMTP sink) around `body`; with --profile, the server's top frames. */
async function withServer(name: string, body: (ctx: Ctx) => Promise<void>) {
  phase(`${name}: starting the server`);
  const sink = await startSmtpSink();
  // One directory a scenario: node writes a profile per thread (tsx's loader has one of its own).
  const profileDir = path.join(ROOT, 'bench/profiles', `${name}-${engine}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  if (profile) fs.mkdirSync(profileDir, { recursive: true });
  const server = await startBenchServer({
    postgres,
    databaseUrl: pgUrl,
    env: { SMTP_URL: sink.url, TENANTRY_ORGANIZATION_CHILD_LIMIT: '1000000' },
    nodeFlags: profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const others: BenchServer[] = [];
  const store = server.openStore();
  const windows: Array<[bigint, bigint]> = [];
  try {
    for (let i = 1; i < PROCESSES; i += 1) others.push(await startBenchServer({ postgres, shareStoreOf: server, env: { SMTP_URL: sink.url } }));
    phase(`${name}: ${PROCESSES} server process(es) up`);
    await body({ server, others, store, sink, windows });
  } finally {
    await store.close();
    for (const other of others) await other.stop();
    await server.stop();
    await sink.close();
  }
  if (profile) {
    // The main thread's profile is the largest.
    const [file] = fs
      .readdirSync(profileDir)
      .map((f) => path.join(profileDir, f))
      .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
    print({ scenario: name, profile: path.relative(ROOT, file), ...topSelfFrames(file, windows, 15) });
  }
}

interface Ctx {
  server: BenchServer;
  /** More processes on the same store (--processes); the load is split between all of them. */
  others: BenchServer[];
  store: Database;
  sink: SmtpSink;
  /** Load windows (process.hrtime) that the profile summary covers. */
  windows: Array<[bigint, bigint]>;
}

/** drive() with its hrtime window recorded for the profile. */
async function load(ctx: Ctx, options: Omit<Parameters<typeof drive>[0], 'base' | 'pid' | 'connections'>): Promise<LoadSummary> {
  const start = process.hrtime.bigint();
  const servers = [ctx.server, ...ctx.others];
  const results = await Promise.all(
    servers.map((s) =>
      drive({
        base: s.base,
        pid: s.pid,
        connections: Math.round(CONNECTIONS / servers.length),
        ...options,
        ...(options.amount !== undefined && Number.isFinite(options.amount) ? { amount: Math.floor(options.amount / servers.length) } : {}),
      }),
    ),
  );
  ctx.windows.push([start, process.hrtime.bigint()]);
  if (results.length === 1) return results[0];
  // Several processes: counts add up; latencies are the worst process's (histograms are not merged).
  const sum = (f: (r: LoadSummary) => number) => results.reduce((a, r) => a + f(r), 0);
  const statusCodes: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    requests: sum((r) => r.requests),
    seconds: Math.max(...results.map((r) => r.seconds)),
    perSecond: sum((r) => r.perSecond),
    p50ms: Math.max(...results.map((r) => r.p50ms)),
    p99ms: Math.max(...results.map((r) => r.p99ms)),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    statusCodes,
    serverCpuSeconds: +sum((r) => r.serverCpuSeconds).toFixed(2),
    serverCpuPercent: sum((r) => r.serverCpuPercent),
    serverPeakRssMb: Math.max(...results.map((r) => r.serverPeakRssMb)),
    ...(results.find((r) => r.firstError) ? { firstError: results.find((r) => r.firstError)!.firstError } : {}),
    processes: results.map((r) => ({ perSecond: r.perSecond, p50ms: r.p50ms, p99ms: r.p99ms, serverCpuPercent: r.serverCpuPercent })),
  } as LoadSummary;
}

/** A pool of prepared requests taken one at a time (past its end it repeats the last: counted as overrun). */
function pool(requests: Request[]) {
  let i = 0;
  return {
    next: () => requests[Math.min(i++, requests.length - 1)],
    get left() {
      return requests.length - i;
    },
    get overrun() {
      return Math.max(0, i - requests.length);
    },
  };
}

async function ocs(server: BenchServer, token: string, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A tenant made through the operator API, with a bearer token of its admin. */
async function tenantWithToken(server: BenchServer, name: string) {
  const tenant = await server.op('POST', '/tenants', { name, adminEmail: `admin@${name.toLowerCase().replace(/\W+/g, '-')}.test` });
  const { token } = await server.op('POST', `/users/${tenant.admin.id}/tokens`, { ttlSeconds: 86_400 });
  return { tenant, token };
}

async function ownerWithCommunity(server: BenchServer) {
  const { tenant, token } = await tenantWithToken(server, 'Bench owner');
  const community = await ocs(server, token, 'POST', '/Communities', { Name: 'Bench community', Description: 'issue 9' });
  return { owner: tenant, ownerToken: token, communityId: community.Id as string };
}

/** A tenant made through the operator API with an API key, and the SDK's signer for it. */
async function ociTenant(server: BenchServer, name: string, keys = rsaKeyPair()) {
  const tenant = await server.op('POST', '/tenants', { name, adminEmail: `admin@${name.toLowerCase().replace(/\W+/g, '-')}.test` });
  const { fingerprint } = await server.op('POST', `/users/${tenant.admin.id}/api-keys`, { publicKey: keys.publicKey });
  return { tenant, keys, fingerprint, sign: ociSigner(server.base, tenant.ocid, tenant.admin.ocid, fingerprint, keys.privateKey) };
}

/**
 * Signing is synchronous CPU work: every 50 signatures the event loop gets a turn, so the SMTP sink
 * in this process keeps answering the server's mail meanwhile.
 */
const breathe = (i: number) => (i % 50 === 49 ? new Promise((r) => setImmediate(r)) : undefined);

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

async function ocsCreate(ctx: Ctx) {
  const { ownerToken, communityId } = await ownerWithCommunity(ctx.server);
  let n = 0;
  const next = (): Request => ({
    method: 'POST',
    path: `/api/v1/Communities/${communityId}/Invitations`,
    headers: bearer(ownerToken),
    body: JSON.stringify({ InvitationRecipient: `partner${n++}@invitee.test` }),
  });
  await load(ctx, { duration: WARM_UP, next, expect: 201 }); // warm-up
  report('ocs-create', await load(ctx, { duration: DURATION, next, expect: 201 }), { floorShare: 0.4, p99ms: 20 });
}

async function ocsAccept(ctx: Ctx) {
  const { owner, communityId } = await ownerWithCommunity(ctx.server);
  const { token } = await tenantWithToken(ctx.server, 'Bench joiner');
  const ids = await seedCommunityInvitations(ctx.store, { communityId, issuingTenantId: owner.id, count: SIZES.pool });
  const requests = ids.map((id) => ({ method: 'PUT', path: `/api/v1/CommunityInvitations/${id}`, headers: bearer(token), body: JSON.stringify({ Action: 'Accept' }) }));
  await pooled(ctx, 'ocs-accept', requests, 200, { floorShare: 0.3 });
}

async function ocsConfirm(ctx: Ctx) {
  const { owner, ownerToken, communityId } = await ownerWithCommunity(ctx.server);
  const joiners = await seedTenancies(ctx.store, SIZES.pool, 'Joiner');
  const ids = await seedCommunityInvitations(ctx.store, {
    communityId,
    issuingTenantId: owner.id,
    count: SIZES.pool,
    acceptedBy: (i) => ({ tenantId: joiners[i].id, tenantName: `Joiner ${i}` }),
  });
  const requests = ids.map((id) => ({ method: 'PUT', path: `/api/v1/CommunityInvitations/${id}`, headers: bearer(ownerToken), body: JSON.stringify({ Action: 'Confirm' }) }));
  await pooled(ctx, 'ocs-confirm', requests, 200, { floorShare: 0.3 });
}

/** Warms up with 5 % of the pool, then loads with the rest (until used up or the duration ends). */
async function pooled(ctx: Ctx, scenario: string, requests: Request[], expect: number, target?: Parameters<typeof report>[2], extra: Record<string, unknown> = {}) {
  phase(`${scenario}: ${requests.length} requests prepared; loading`);
  const p = pool(requests);
  // Connections build their next request ahead, so each run takes up to 2 × CONNECTIONS more than it sends.
  const warm = Math.min(Math.max(CONNECTIONS * 3, Math.floor(requests.length * 0.05)), Math.floor(requests.length / 4));
  await load(ctx, { duration: WARM_UP * 3, next: p.next, amount: warm + CONNECTIONS * 2, expect });
  const start = Date.now();
  const result = await load(ctx, { duration: DURATION, next: p.next, amount: p.left, expect });
  report(scenario, result, target, { pool: requests.length, ...(p.overrun ? { overrun: p.overrun } : {}), ...extra });
  return { result, start, end: Date.now() };
}

async function ociCreate(ctx: Ctx) {
  const sender = await ociTenant(ctx.server, 'Bench sender');
  const recipients = await seedTenancies(ctx.store, SIZES.ociCreate, 'Recipient');
  const signStart = performance.now();
  const requests: Request[] = [];
  for (let i = 0; i < recipients.length; i += 1) {
    await breathe(i);
    requests.push(
      await sender.sign(
        'POST',
        '/20230401/senderInvitations',
        { compartmentId: sender.tenant.ocid, recipientTenancyId: recipients[i].ocid, recipientEmailAddress: `admin@recipient-${i}.test` },
        retryToken(),
      ),
    );
  }
  const signSeconds = +((performance.now() - signStart) / 1000).toFixed(1);
  const { result, start, end } = await pooled(ctx, 'oci-create', requests, 200, { floorShare: 0.4, p99ms: 20 }, { preSignedSeconds: signSeconds });
  await workRequestLatency(ctx, sender.tenant.id, start, end, result.requests);
  if (postgres) report('oci-create-postgres-target', result, { perSecond: 1500 });
}

/** p50/p99 of timeFinished − timeAccepted of the work requests the create load made (issue 9: p99 ≤ 200 ms). */
async function workRequestLatency(ctx: Ctx, senderTenantId: string, loadStart: number, loadEnd: number, created: number) {
  const deadline = Date.now() + (quick ? 30_000 : 180_000);
  const unfinished = async () =>
    Number(
      (
        await ctx.store.db
          .selectFrom('org_work_requests')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', senderTenantId)
          .where('finished_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    );
  while ((await unfinished()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const rows = await ctx.store.db
    .selectFrom('org_work_requests')
    .select(['accepted_at', 'finished_at', 'status'])
    .where('tenant_id', '=', senderTenantId)
    .where('accepted_at', '>=', loadStart)
    .where('accepted_at', '<=', loadEnd)
    .execute();
  const latencies = rows.filter((r) => r.finished_at !== null).map((r) => Number(r.finished_at) - Number(r.accepted_at)).sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? null;
  const p99 = at(0.99);
  const failed = rows.filter((r) => r.status !== 'SUCCEEDED').length;
  if (failed || latencies.length < rows.length) failures += 1;
  print({
    scenario: 'work-requests',
    workRequests: rows.length,
    httpCreated: created,
    finished: latencies.length,
    failed,
    finishedDuringLoad: rows.filter((r) => r.finished_at !== null && Number(r.finished_at) <= loadEnd).length,
    p50ms: at(0.5),
    p99ms: p99,
    maxMs: latencies.at(-1) ?? null,
    target: 'p99 <= 200 ms while the create load runs',
    met: p99 !== null && p99 <= 200 && failed === 0,
  });
}

async function ociAccept(ctx: Ctx) {
  const sender = await ociTenant(ctx.server, 'Bench sender');
  const keys = rsaKeyPair();
  const fingerprint = fingerprintOf(keys.publicKey);
  const recipients = await seedTenancies(ctx.store, SIZES.ociAccept, 'Recipient', { publicKey: keys.publicKey, fingerprint });
  const invitationIds = await seedOrganizationInvitations(ctx.store, { id: sender.tenant.id, ocid: sender.tenant.ocid }, recipients);
  const signStart = performance.now();
  const requests: Request[] = [];
  for (let i = 0; i < recipients.length; i += 1) {
    await breathe(i);
    const sign = ociSigner(ctx.server.base, recipients[i].ocid, recipients[i].user!.ocid, fingerprint, keys.privateKey);
    requests.push(await sign('POST', `/20230401/recipientInvitations/${invitationIds[i]}/actions/accept`, undefined, retryToken()));
  }
  const signSeconds = +((performance.now() - signStart) / 1000).toFixed(1);
  await pooled(ctx, 'oci-accept', requests, 202, { floorShare: 0.3 }, { preSignedSeconds: signSeconds });
}

async function lists(ctx: Ctx, size: number) {
  const { owner, ownerToken, communityId } = await ownerWithCommunity(ctx.server);
  const sender = await ociTenant(ctx.server, 'Bench sender');
  const recipients = await seedTenancies(ctx.store, 10, 'Recipient');
  const seedStart = performance.now();
  await seedCommunityInvitations(ctx.store, { communityId, issuingTenantId: owner.id, count: size });
  await seedSenderInvitationHistory(ctx.store, { id: sender.tenant.id, ocid: sender.tenant.ocid }, recipients, size);
  const seedSeconds = +((performance.now() - seedStart) / 1000).toFixed(1);
  const duration = quick ? 0.5 : DURATION / 2;
  const ocsPage = (skip: number): Request => ({ method: 'GET', path: `/api/v1/Communities/${communityId}/Invitations?skip=${skip}&count=100`, headers: bearer(ownerToken) });
  const ociPath = `/20230401/senderInvitations?compartmentId=${encodeURIComponent(sender.tenant.ocid)}`;

  // The deep OCI page: follow opc-next-page from the first page (bounded in pages and time).
  let token: string | undefined;
  let depth = 0;
  let walkError: string | undefined;
  const walkStart = Date.now();
  const walkEnd = walkStart + (quick ? 10_000 : 60_000);
  try {
    for (;;) {
      const req = await sender.sign('GET', token ? `${ociPath}&page=${encodeURIComponent(token)}` : ociPath);
      // A kept-alive socket may have been closed by the server while seeding took long: one retry.
      const get = () => fetch(`${ctx.server.base}${req.path}`, { headers: req.headers, signal: AbortSignal.timeout(120_000) });
      const res = await get().catch(get);
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      const items = ((await res.json()) as { items: unknown[] }).items;
      const nextToken = res.headers.get('opc-next-page') ?? undefined;
      if (!nextToken || Date.now() > walkEnd) break;
      depth += items.length;
      token = nextToken;
    }
  } catch (error) {
    // Reported with the deep page's figures; the loads below show the errors themselves.
    walkError = `after ${depth} items and ${((Date.now() - walkStart) / 1000).toFixed(1)} s: ${(error as Error).message} ${String((error as Error).cause ?? '')}`.trim();
    failures += 1;
  }
  phase(`list-${size}: opc-next-page followed past ${depth} items in ${((Date.now() - walkStart) / 1000).toFixed(1)} s`);
  // The OCS deep page last: a slow kind leaves requests running on the server after its load ends.
  const kinds: Array<[string, string, () => Promise<Request>, number]> = [
    ['ocs-list-first', 'OCS skip=0&count=100', async () => ocsPage(0), 0],
    ['oci-list-first', 'OCI first page (100)', () => sender.sign('GET', ociPath), 0],
    ['oci-list-deep', 'OCI page reached by following opc-next-page', () => sender.sign('GET', token ? `${ociPath}&page=${encodeURIComponent(token)}` : ociPath), depth],
    ['ocs-list-deep', `OCS skip=${size - 100}&count=100`, async () => ocsPage(size - 100), size - 100],
  ];
  const firsts: Record<string, number> = {};
  for (const [scenario, what, build, skipped] of kinds) {
    const request = await build(); // a signed GET stays valid for 5 minutes; each request carries it
    await load(ctx, { duration: WARM_UP, request }); // warm-up
    const result = await load(ctx, { duration, request });
    if (result.requests === 0) {
      // Not one answer within the load: time one request alone instead (at most 2 minutes).
      const t0 = performance.now();
      const res = await fetch(`${ctx.server.base}${request.path}`, { headers: request.headers, signal: AbortSignal.timeout(120_000) }).catch(() => undefined);
      Object.assign(result, { singleRequestMs: Math.round(performance.now() - t0), singleRequestStatus: res?.status ?? 'timeout', p50ms: NaN, p99ms: NaN });
    }
    const dialect = scenario.slice(0, 3);
    const deep = scenario.endsWith('deep');
    if (!deep) firsts[dialect] = result.p50ms;
    const deepRatio = deep && firsts[dialect] ? +(result.p50ms / firsts[dialect]).toFixed(2) : undefined;
    // The first-page target is stated at 1,000,000 stored; a smaller store that misses it misses it too.
    const met = result.requests > 0 && result.errors === 0 && result.non2xx === 0 && (deep ? deepRatio !== undefined && deepRatio <= 1.5 : result.p50ms <= 3);
    report(`${scenario}-${size >= 1_000_000 ? '1m' : size >= 10_000 ? '10k' : size}`, result, undefined, {
      stored: size,
      page: what,
      itemsBefore: skipped,
      seedSeconds,
      ...(deep ? { deepToFirstP50: deepRatio } : {}),
      ...(deep && dialect === 'oci' && walkError ? { walkError } : {}),
      target: deep ? 'deep page p50 <= 1.5x the first page' : 'first page p50 <= 3 ms (stated with 1,000,000 stored)',
      met,
    });
  }
}

async function mailDrain(ctx: Ctx) {
  // The store's own outbox rows: invitation emails, rendered by the app's template, all due at once.
  const before = ctx.sink.received;
  const start = process.hrtime.bigint();
  const t0 = performance.now();
  const stats = watchProcess(ctx.server.pid);
  const ownCpu = process.cpuUsage();
  await seedInvitationMail(ctx.store, SIZES.mail, ctx.server.base);
  const committed = performance.now();
  await ctx.sink.waitFor(before + SIZES.mail, quick ? 60_000 : 300_000);
  const seconds = (performance.now() - committed) / 1000;
  const own = process.cpuUsage(ownCpu);
  const server = stats();
  const smtpServerCpuPercent = Math.round(((own.user + own.system) / 1e6 / ((performance.now() - t0) / 1000)) * 100);
  ctx.windows.push([start, process.hrtime.bigint()]);
  const perSecond = Math.round(SIZES.mail / seconds);
  const duplicates = ctx.sink.received - ctx.sink.messageIds.size;
  if (duplicates) failures += 1;
  print({
    scenario: 'mail-drain',
    emails: SIZES.mail,
    seedSeconds: +((committed - t0) / 1000).toFixed(2),
    seconds: +seconds.toFixed(2),
    perSecond,
    duplicates,
    ...server,
    serverCpuMsPerEmail: +((server.serverCpuSeconds * 1000) / SIZES.mail).toFixed(2),
    smtpServerCpuPercent,
    target: '>= 1000 invitation emails/s into a local SMTP server',
    met: perSecond >= 1000 && duplicates === 0,
  });
}

async function main() {
  const ceiling = await httpCeiling(CONNECTIONS, DURATION, WARM_UP);
  yardsticks.ceiling = ceiling.perSecond;
  print({ scenario: 'http-ceiling', ...ceiling });
  const floor = sqliteFloor(quick ? 1 : 5);
  yardsticks.floor = floor.perSecond;
  print({ scenario: 'sqlite-floor', ...floor });

  const run: Record<Scenario, () => Promise<void>> = {
    'ocs-create': () => withServer('ocs-create', ocsCreate),
    'ocs-accept': () => withServer('ocs-accept', ocsAccept),
    'ocs-confirm': () => withServer('ocs-confirm', ocsConfirm),
    'oci-create': () => withServer('oci-create', ociCreate),
    'oci-accept': () => withServer('oci-accept', ociAccept),
    list: async () => {
      for (const size of SIZES.lists) await withServer(`list-${size}`, (ctx) => lists(ctx, size));
    },
    'mail-drain': () => withServer('mail-drain', mailDrain),
  };
  for (const scenario of [...new Set(picked)]) await run[scenario]();
  if (failures) process.exitCode = 1;
}

await main();
