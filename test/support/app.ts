import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { ManualClock, type Clock } from '../../src/platform/clock.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { openDatabase, withDefaultUser, type Database } from '../../src/platform/db/index.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import type { ServiceDeps } from '../../src/platform/deps.js';
import { createLogger } from '../../src/platform/log.js';
import { createMailer, type Mailer } from '../../src/platform/mail/mailer.js';
import type { Worker } from '../../src/platform/outbox/worker.js';
import { buildWorker } from '../../src/worker.js';

/** The engine under test: PostgreSQL when DATABASE_URL is set (CI runs the suite once each way). */
export const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestDatabase {
  database: Database;
  dataDir: string;
  /** DATABASE_URL-style settings another process needs to open the same store. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh, migrated store: a temporary SQLite file, or a PostgreSQL schema of its own. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-test-'));
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = openDatabase({ dataDir });
    await migrateToLatest(database.db);
    return {
      database,
      dataDir,
      env: { TENANTRY_DATA_DIR: dataDir },
      async drop() {
        await database.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDefaultUser(url) });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const database = openDatabase({ databaseUrl: url, dataDir, schema, poolSize: 5 });
  await migrateToLatest(database.db, { schema });
  const schemaUrl = new URL(url);
  schemaUrl.searchParams.set('options', `-c search_path=${schema}`);
  return {
    database,
    dataDir,
    env: { TENANTRY_DATA_DIR: dataDir, DATABASE_URL: schemaUrl.toString() },
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: withDefaultUser(url) });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  deps: ServiceDeps;
  config: Config;
  clock: ManualClock;
  database: Database;
  worker: Worker;
  mailer: Mailer;
  operatorToken: string;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: ManualClock;
  mailer?: Mailer;
  /** Starts the worker and wires the app's wake-up to it, as `tenantry serve` does. */
  liveWorker?: boolean;
}

/** A whole app on a fresh store, with a manual clock and a worker that tests drain by hand. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const store = await createTestDatabase();
  const operatorToken = `op-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({ TENANTRY_DATA_DIR: store.dataDir, TENANTRY_LOG_LEVEL: 'silent', PORT: '0', ...options.env });
  const clock = options.clock ?? new ManualClock();
  const log = createLogger(config.logLevel);
  const mailer = options.mailer ?? createMailer({ dataDir: store.dataDir, from: config.mailFrom, smtpUrl: config.smtpUrl });
  const worker = buildWorker({ config, database: store.database, clock, log, mailer });
  const wakeWorker = options.liveWorker ? () => worker.wake() : () => {};
  const app = await buildApp({ config, database: store.database, clock: clock as Clock, log, operatorToken, wakeWorker });
  await app.ready();
  if (options.liveWorker) worker.start();
  const deps: ServiceDeps = { config, database: store.database, clock, log, wakeWorker };
  return {
    app,
    deps,
    config,
    clock,
    database: store.database,
    worker,
    mailer,
    operatorToken,
    dataDir: store.dataDir,
    async close() {
      await app.close();
      await worker.stop();
      mailer.close();
      await store.drop();
    },
  };
}

/** Calls the operator API and returns the parsed body; fails the test on an unexpected status. */
export async function operator<T = any>(t: TestApp, method: string, url: string, body?: unknown, expected?: number): Promise<T> {
  const res = await t.app.inject({
    method: method as 'GET',
    url: `/admin/v1${url}`,
    headers: { authorization: `Bearer ${t.operatorToken}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  const want = expected ?? (method === 'GET' || method === 'PUT' ? 200 : method === 'POST' && url === '/usage' ? 202 : 201);
  if (res.statusCode !== want) throw new Error(`${method} ${url}: expected ${want}, got ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

export interface SeededTenant {
  id: string;
  ocid: string;
  name: string;
  subscriptionId: string;
  admin: { id: string; ocid: string; email: string };
  adminToken: string;
}

let seq = 0;

/** A tenant with its admin and a bearer token for the admin. */
export async function seedTenant(t: TestApp, overrides: Record<string, unknown> = {}): Promise<SeededTenant> {
  seq += 1;
  const tenant = await operator(t, 'POST', '/tenants', { name: `Tenant ${seq}`, adminEmail: `admin${seq}@t${seq}.test`, ...overrides });
  const { token } = await operator(t, 'POST', `/users/${tenant.admin.id}/tokens`, {});
  return { ...tenant, adminToken: token };
}
