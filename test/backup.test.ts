import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { withDefaultUser } from '../src/platform/db/index.js';
import { createTestDatabase, ENGINE, type TestDatabase } from './support/app.js';
import { cliHome, runTenantry } from './support/cli.js';
import { auditTrail, http, remoteOperator, remoteTenant, type RemoteTenant } from './support/remote.js';
import { startServer, type ServerProcess } from './support/server.js';

const run = promisify(execFile);
const OPERATOR_TOKEN = 'operator-token-for-backups';
const LOAD_MS = 1_500;
const WAVE = {
  Id: 'Wave',
  SdsTypeCode: 'Object',
  Properties: [
    { Id: 'Time', IsKey: true, SdsType: { Id: 'dateTimeType', SdsTypeCode: 'DateTime', Properties: [] } },
    { Id: 'Value', SdsType: { Id: 'doubleType', SdsTypeCode: 'Double', Properties: [] } },
  ],
};

type Kind = 'tenant' | 'invitation' | 'stream';
/** One write the service acknowledged (2xx), with when it was sent and answered. */
interface Acked {
  kind: Kind;
  id: string;
  audit: string;
  /** The resourceId of its audit event, when not `id`. */
  auditId?: string;
  sent: number;
  answered: number;
}

async function hasPgDump(): Promise<boolean> {
  return run('pg_dump', ['--version']).then(
    () => true,
    () => false,
  );
}

describe('backups: a store backed up under write load restores to what was acknowledged', () => {
  let store: TestDatabase;
  let server: ServerProcess;
  let owner: RemoteTenant;
  let communityId: string;
  const env = () => ({ ...store.env, TENANTRY_OPERATOR_TOKEN: OPERATOR_TOKEN, TENANTRY_LOG_LEVEL: 'warn' });
  const op = remoteOperator(() => server.url, OPERATOR_TOKEN);
  const ns = (tenant: RemoteTenant) => `/api/v1/Tenants/${tenant.id}/Namespaces/plant`;

  before(async () => {
    store = await createTestDatabase();
    server = await startServer(env());
    owner = await remoteTenant(op);
    await op('POST', `/tenants/${owner.id}/namespaces`, { id: 'plant' });
    assert.equal((await http(server.url, 'POST', `${ns(owner)}/Types/Wave`, { token: owner.adminToken, body: WAVE })).status, 201);
    const community = await http(server.url, 'POST', '/api/v1-preview/Communities', { token: owner.adminToken, body: { Name: 'Backed up', Description: 'd' } });
    assert.equal(community.status, 201, community.text);
    communityId = community.body.Id;
  });
  after(async () => {
    await server?.stop();
    await store?.drop();
  });

  /** Three writers (tenants, invitations, streams) until `done()` says stop; every 2xx is kept. */
  async function writeLoad(done: () => boolean): Promise<Acked[]> {
    const acked: Acked[] = [];
    let n = 0;
    const lane = async (write: (i: number) => Promise<Omit<Acked, 'sent' | 'answered'> | undefined>) => {
      while (!done()) {
        n += 1;
        const sent = Date.now();
        const result = await write(n);
        if (result) acked.push({ ...result, sent, answered: Date.now() });
      }
    };
    await Promise.all([
      lane(async (i) => {
        const res = await http(server.url, 'POST', '/admin/v1/tenants', { token: OPERATOR_TOKEN, body: { name: `Load ${i}`, adminEmail: `load${i}@backup.test` } });
        return res.status === 201 ? { kind: 'tenant', id: res.body.id, audit: 'tenant.create' } : undefined;
      }),
      lane(async (i) => {
        const res = await http(server.url, 'POST', `/api/v1-preview/Communities/${communityId}/Invitations`, { token: owner.adminToken, body: { InvitationRecipient: `r${i}@backup.test` } });
        return res.status === 201 ? { kind: 'invitation', id: res.body.Id, audit: 'community.invitation.create' } : undefined;
      }),
      lane(async (i) => {
        const res = await http(server.url, 'POST', `${ns(owner)}/Streams/s-${i}`, { token: owner.adminToken, body: { Id: `s-${i}`, TypeId: 'Wave' } });
        return res.status === 201 ? { kind: 'stream', id: `s-${i}`, audit: 'sds.stream.create', auditId: `plant/s-${i}` } : undefined;
      }),
    ]);
    return acked;
  }

  /** Runs the load, takes the backup in its middle, and answers the window the backup was taken in. */
  async function backupUnderLoad(takeBackup: () => Promise<void>) {
    let stop = false;
    const load = writeLoad(() => stop);
    await new Promise((r) => setTimeout(r, LOAD_MS / 2));
    const started = Date.now();
    await takeBackup();
    const finished = Date.now();
    await new Promise((r) => setTimeout(r, LOAD_MS / 2));
    stop = true;
    return { acked: await load, started, finished };
  }

  /** Everything the restored service lists, read through its API: ids by kind, and its audit trail. */
  async function readBack(restored: ServerProcess) {
    const rop = remoteOperator(() => restored.url, OPERATOR_TOKEN);
    const tenants = (await rop('GET', '/tenants')) as Array<{ id: string }>;
    const all = async (path: string) => {
      const items: Array<{ Id: string }> = [];
      for (let skip = 0; ; skip += 1000) {
        const res = await http(restored.url, 'GET', `${path}?skip=${skip}&count=1000`, { token: owner.adminToken });
        assert.equal(res.status, 200, res.text);
        items.push(...res.body);
        if (res.body.length < 1000) return items;
      }
    };
    const streams = await all(`${ns(owner)}/Streams`);
    const invitations = await all(`/api/v1-preview/Communities/${communityId}/Invitations`);
    const { keys: audit, events: auditEvents } = await auditTrail(rop);
    return {
      ids: {
        tenant: new Set(tenants.map((t) => t.id)),
        stream: new Set(streams.map((x) => x.Id)),
        invitation: new Set(invitations.map((x) => x.Id)),
      } satisfies Record<Kind, Set<string>>,
      audit,
      auditEvents,
    };
  }

  /**
   * What the restored service must show: every write answered before the backup began, with its
   * audit event; nothing sent after the backup ended; and, being one snapshot, every write in it
   * has its audit event (the two commit together or not at all).
   */
  async function compare(restoredEnv: Record<string, string>, window: { acked: Acked[]; started: number; finished: number }) {
    const restored = await startServer(restoredEnv);
    try {
      const { ids, audit, auditEvents } = await readBack(restored);
      const before = window.acked.filter((w) => w.answered < window.started);
      const afterwards = window.acked.filter((w) => w.sent > window.finished);
      const between = window.acked.filter((w) => !before.includes(w) && !afterwards.includes(w));
      assert.ok(before.length > 10 && afterwards.length > 0, `the load wrote before (${before.length}) and after (${afterwards.length}) the backup`);
      const restoredWith = (w: Acked) => ids[w.kind].has(w.id);
      const audited = (w: Acked) => audit.has(`${w.audit} ${w.auditId ?? w.id}`);
      for (const w of before) assert.ok(restoredWith(w) && audited(w), `${w.kind} ${w.id}, acknowledged before the backup, is restored with its audit event`);
      for (const w of afterwards) assert.ok(!restoredWith(w) && !audited(w), `${w.kind} ${w.id}, sent after the backup, is not in it`);
      for (const w of between) assert.equal(restoredWith(w), audited(w), `${w.kind} ${w.id}: restored with its audit event or not at all`);
      // Nothing in the store that was not written: each kind holds at most what was sent before the backup ended.
      for (const kind of ['tenant', 'stream', 'invitation'] as const) {
        const sent = window.acked.filter((w) => w.kind === kind && w.sent <= window.finished).length;
        const seeded = kind === 'tenant' ? 1 : 0;
        assert.ok(ids[kind].size - seeded <= sent, `${kind}s: ${ids[kind].size} restored, ${sent} sent before the backup ended`);
      }
      const created = await http(restored.url, 'POST', '/admin/v1/tenants', { token: OPERATOR_TOKEN, body: { name: 'After restore', adminEmail: 'after@restore.test' } });
      assert.equal(created.status, 201, 'the restored store takes writes');
      const inBackup = between.filter(restoredWith).length;
      console.log(
        `backup: engine=${ENGINE} acknowledged=${window.acked.length} before=${before.length} during=${between.length} (in backup ${inBackup}) after=${afterwards.length} ` +
          `restored tenants=${ids.tenant.size} invitations=${ids.invitation.size} streams=${ids.stream.size} audit=${auditEvents}`,
      );
      return { auditEvents, tenants: ids.tenant.size, invitations: ids.invitation.size };
    } finally {
      await restored.stop();
    }
  }

  test('SQLite: tenantry backup while the service writes, tenantry restore into a fresh data dir (refused on the live one)', { skip: ENGINE !== 'sqlite' && 'the SQLite backup commands act on the embedded store; PostgreSQL is tested with pg_dump below', timeout: 120_000 }, async () => {
    const home = cliHome();
    const file = path.join(home.home, 'tenantry-backup.sqlite');
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-restored-'));
    try {
      let backup: Awaited<ReturnType<typeof runTenantry>> | undefined;
      const window = await backupUnderLoad(async () => {
        backup = await runTenantry(['backup', file], { home: home.home, env: { TENANTRY_DATA_DIR: store.dataDir } });
      });
      assert.equal(backup!.code, 0, backup!.stderr);
      assert.equal(backup!.json.data.integrity, 'ok');
      assert.equal(backup!.json.data.file, file);
      assert.ok(backup!.json.data.rows.tenants > 1);

      const refused = await runTenantry(['restore', file], { home: home.home, env: { TENANTRY_DATA_DIR: store.dataDir } });
      assert.equal(refused.code, 5, refused.stderr);
      assert.match(refused.stderr, /in use: stop tenantry/);
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the running service is untouched');
      assert.equal((await runTenantry(['restore', path.join(home.home, 'missing.sqlite'), '--data-dir', fresh], { home: home.home })).code, 5);

      const restored = await runTenantry(['restore', file, '--data-dir', fresh], { home: home.home });
      assert.equal(restored.code, 0, restored.stderr);
      assert.equal(restored.json.data.integrity, 'ok');
      assert.deepEqual(restored.json.data.rows, backup!.json.data.rows);
      const seen = await compare({ TENANTRY_DATA_DIR: fresh, TENANTRY_OPERATOR_TOKEN: OPERATOR_TOKEN, TENANTRY_LOG_LEVEL: 'warn' }, window);
      // The API shows exactly what the backup file holds.
      const rows = backup!.json.data.rows;
      assert.deepEqual(seen, { auditEvents: rows.audit_events, tenants: rows.tenants, invitations: rows.community_invitations });
    } finally {
      home.remove();
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  test('PostgreSQL: pg_dump of the schema while the service writes, pg_restore into another database', { skip: ENGINE !== 'postgres' && 'PostgreSQL only (DATABASE_URL unset)', timeout: 120_000 }, async (t) => {
    if (!(await hasPgDump())) return t.skip('pg_dump is not installed');
    const url = new URL(store.env.DATABASE_URL);
    const schema = /search_path=(\w+)/.exec(url.searchParams.get('options') ?? '')![1];
    const base = new URL(withDefaultUser(process.env.DATABASE_URL!));
    const dump = path.join(store.dataDir, 'tenantry.dump');
    const database = `restore_${schema}`;
    const target = new URL(base);
    target.pathname = `/${database}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    try {
      const window = await backupUnderLoad(async () => {
        await run('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${dump}`, `--dbname=${base}`]);
      });
      await admin.query(`CREATE DATABASE ${database}`);
      await run('pg_restore', ['--no-owner', `--dbname=${target}`, dump]);
      const restoredUrl = new URL(target);
      restoredUrl.searchParams.set('options', `-c search_path=${schema}`);
      const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-restored-'));
      try {
        await compare({ TENANTRY_DATA_DIR: fresh, DATABASE_URL: restoredUrl.toString(), TENANTRY_OPERATOR_TOKEN: OPERATOR_TOKEN, TENANTRY_LOG_LEVEL: 'warn' }, window);
      } finally {
        fs.rmSync(fresh, { recursive: true, force: true });
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    }
  });
});
