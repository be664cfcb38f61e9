import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, withDefaultUser, type Database } from '../../src/platform/db/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface BenchServer {
  base: string;
  /** The server's own process id (node itself, not a wrapper): its CPU and RSS are read from /proc. */
  pid: number;
  operatorToken: string;
  /** The environment the process was started with (its store, data dir, SMTP). */
  env: Record<string, string>;
  /** Calls the operator API; throws on any non-2xx answer. */
  op(method: string, url: string, body?: unknown): Promise<any>;
  /**
   * Opens the server's store from the bench process (the bulk loader writes through the app's own
   * repos). Close it before stop().
   */
  openStore(): Database;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  postgres: boolean;
  /** PostgreSQL URL; default DATABASE_URL or postgres://127.0.0.1:5432/test. */
  databaseUrl?: string;
  /** Extra environment of the server (SMTP_URL, limits). */
  env?: Record<string, string>;
  /** Extra node flags of the server, e.g. --cpu-prof --cpu-prof-dir=… */
  nodeFlags?: string[];
  /** A second process on the store of this one (same database or SQLite file); stop() leaves the store. */
  shareStoreOf?: BenchServer;
}

/**
 * A real `tenantry serve` process on a fresh store: a temporary SQLite data dir, or with
 * `postgres` a schema of its own in the database (dropped by stop()).
 */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const shared = options.shareStoreOf;
  const dataDir = shared ? shared.env.TENANTRY_DATA_DIR : fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-bench-'));
  const operatorToken = shared ? shared.operatorToken : `bench-${randomBytes(12).toString('hex')}`;
  const env: Record<string, string> = {
    ...(shared?.env ?? {}),
    TENANTRY_DATA_DIR: dataDir,
    TENANTRY_LOG_LEVEL: 'warn',
    TENANTRY_OPERATOR_TOKEN: operatorToken,
    // The per-principal rate limiter is off: one principal drives the whole load.
    TENANTRY_RATE_LIMIT: '0',
    ...options.env,
  };
  let dropSchema: (() => Promise<void>) | undefined;
  let store: { databaseUrl?: string; schema?: string } = {};
  if (options.postgres && !shared) {
    const url = withDefaultUser(options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const withSchema = new URL(url);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = withSchema.toString();
    store = { databaseUrl: url, schema };
    dropSchema = async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    };
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', path.join(ROOT, 'src/main.ts'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    // The server's log goes to stderr: stdout carries only the benchmark's JSON summaries.
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await dropSchema?.();
    if (!shared) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false)); i += 1) {
      if (i > 600 || server.exitCode !== null) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    base,
    pid: server.pid!,
    operatorToken,
    env,
    async op(method, url, body) {
      const res = await fetch(`${base}/admin/v1${url}`, {
        method,
        headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    openStore: () => openDatabase({ dataDir, databaseUrl: store.databaseUrl, schema: store.schema, poolSize: 4 }),
    stop,
  };
}
