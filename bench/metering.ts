/**
 * Metering benchmark (issue 6): ingests usage records through the operator API
 * (POST /admin/v1/usage) and times the cost report (RequestSummarizedUsages through the official
 * oci-usageapi client) over all of them, against a real `tenantry serve` process on a fresh store.
 *
 *   npm run bench:metering                     # 1,000,000 records, SQLite
 *   npm run bench:metering -- --postgres       # PostgreSQL (DATABASE_URL or postgres://127.0.0.1:5432/test)
 *   npm run bench:metering -- --quick          # 20,000 records
 *
 * Prints one JSON summary per scenario.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as common from 'oci-common';
import * as tm from 'oci-tenantmanagercontrolplane';
import * as usageapi from 'oci-usageapi';
import { startBenchServer } from './lib/server.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const usePostgres = args.has('--postgres');
const RECORDS = quick ? 20_000 : 1_000_000;
const BATCH = 2_000;
const CONCURRENCY = 4;
const CHILDREN = 4;
const DAYS = 30;
const REPORTS = quick ? 1 : 3;
const DAY = 86_400_000;

async function main() {
  const server = await startBenchServer({ postgres: usePostgres });
  const { base, op } = server;
  const closers: Array<() => void> = [];
  try {
    const provider = async (tenant: { ocid: string; admin: { id: string; ocid: string } }) => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      const { fingerprint } = await op('POST', `/users/${tenant.admin.id}/api-keys`, { publicKey });
      return new common.SimpleAuthenticationDetailsProvider(tenant.ocid, tenant.admin.ocid, fingerprint, privateKey, null);
    };
    const client = <C extends { endpoint: string; close(): void }>(Client: new (p: common.AuthParams, c?: common.ClientConfiguration) => C, auth: common.AuthenticationDetailsProvider): C => {
      const c = new Client({ authenticationDetailsProvider: auth }, { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });
      c.endpoint = base;
      closers.push(() => c.close());
      return c;
    };
    const waitFor = async (wr: tm.WorkRequestClient, workRequestId: string) => {
      const waiter = wr.createWaiters({ terminationStrategy: new common.MaxTimeTerminationStrategy(60), delayStrategy: new common.FixedTimeDelayStrategy(0.1) });
      await waiter.forWorkRequest({ workRequestId });
    };

    // A parent with children that joined its organization (so records split over subscriptions).
    const parent = await op('POST', '/tenants', { name: 'Bench parent', adminEmail: 'parent@bench.test' });
    const parentAuth = await provider(parent);
    const sender = client(tm.SenderInvitationClient, parentAuth);
    const parentWr = client(tm.WorkRequestClient, parentAuth);
    const tenants = [parent];
    for (let i = 0; i < CHILDREN; i += 1) {
      const child = await op('POST', '/tenants', { name: `Bench child ${i}`, adminEmail: `child${i}@bench.test`, subscriptionType: 'PAYG' });
      const childAuth = await provider(child);
      const created = await sender.createSenderInvitation({ createSenderInvitationDetails: { compartmentId: parent.ocid, recipientTenancyId: child.ocid } });
      await waitFor(parentWr, created.opcWorkRequestId!);
      const sent = (await sender.getSenderInvitation({ senderInvitationId: created.senderInvitation.id })).senderInvitation;
      const accepted = await client(tm.RecipientInvitationClient, childAuth).acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! });
      await waitFor(client(tm.WorkRequestClient, childAuth), accepted.opcWorkRequestId!);
      tenants.push(child);
    }
    await op('PUT', `/subscriptions/${parent.subscriptionId}/rate-card`, {
      items: ['compute', 'storage', 'network'].map((service, i) => ({ service, unit: 'units', unitPrice: 0.5 + i, currency: 'USD' })),
    });

    // Usage of the last DAYS whole days, spread over tenancies, services and time.
    const today = Date.now() - (Date.now() % DAY);
    const from = today - DAYS * DAY;
    const services = ['compute', 'storage', 'network'];
    const batches = Math.ceil(RECORDS / BATCH);
    let next = 0;
    let errors = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batches) {
          const b = next++;
          const records = Array.from({ length: Math.min(BATCH, RECORDS - b * BATCH) }, (_, k) => {
            const n = b * BATCH + k;
            return {
              id: `r-${n}`,
              tenancyId: tenants[n % tenants.length].ocid,
              service: services[n % services.length],
              resource: `res-${n % 97}`,
              quantity: 1 + (n % 7),
              unit: 'units',
              time: new Date(from + Math.floor((n / RECORDS) * DAYS * DAY)).toISOString(),
            };
          });
          try {
            await op('POST', '/usage', { records });
          } catch {
            errors += 1;
          }
        }
      }),
    );
    const ingestSeconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ scenario: 'ingest usage', engine: usePostgres ? 'postgres' : 'sqlite', records: RECORDS, batch: BATCH, concurrency: CONCURRENCY, errors, seconds: +ingestSeconds.toFixed(2), recordsPerSecond: Math.round(RECORDS / ingestSeconds) }));

    const usage = client(usageapi.UsageapiClient, parentAuth);
    const timings: number[] = [];
    let rows = 0;
    for (let i = 0; i < REPORTS; i += 1) {
      const t0 = performance.now();
      const res = await usage.requestSummarizedUsages({
        requestSummarizedUsagesDetails: {
          tenantId: parent.ocid,
          timeUsageStarted: new Date(from),
          timeUsageEnded: new Date(today),
          granularity: usageapi.models.RequestSummarizedUsagesDetails.Granularity.Daily,
          queryType: usageapi.models.RequestSummarizedUsagesDetails.QueryType.Cost,
          groupBy: ['tenantId', 'subscriptionId', 'service'],
        },
      });
      timings.push(performance.now() - t0);
      rows = res.usageAggregation.items.length;
      const quantity = res.usageAggregation.items.reduce((a, x) => a + (x.computedQuantity ?? 0), 0);
      const expected = Array.from({ length: RECORDS }, (_, n) => 1 + (n % 7)).reduce((a, x) => a + x, 0);
      if (Math.round(quantity) !== expected) throw new Error(`the report counted ${quantity}, expected ${expected}`);
    }
    timings.sort((a, b) => a - b);
    console.log(JSON.stringify({ scenario: 'cost report (DAILY, groupBy tenantId+subscriptionId+service)', engine: usePostgres ? 'postgres' : 'sqlite', records: RECORDS, rows, runs: REPORTS, medianMs: Math.round(timings[Math.floor(timings.length / 2)]) }));
    if (errors) process.exitCode = 1;
  } finally {
    for (const close of closers) close();
    await server.stop();
  }
}

await main();
