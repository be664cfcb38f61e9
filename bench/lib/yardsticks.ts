import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { drive, type LoadSummary } from './load.js';
import { ROOT } from './server.js';

/** The HTTP ceiling: GET / of a trivial Fastify JSON route in its own process, same load settings. */
export async function httpCeiling(connections: number, duration: number, warmUp: number): Promise<LoadSummary> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lib/ceiling-server.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
      child.once('exit', () => reject(new Error('the ceiling server exited')));
    });
    const base = `http://127.0.0.1:${port}`;
    await drive({ base, pid: child.pid!, connections, duration: warmUp, request: { method: 'GET', path: '/', headers: {} } }); // warm-up
    return await drive({ base, pid: child.pid!, connections, duration, request: { method: 'GET', path: '/', headers: {} } });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * The SQLite floor: raw better-sqlite3 (WAL, synchronous=NORMAL), one transaction inserting an
 * invitation-shaped row and an outbox-shaped row, as many as fit in `seconds`, in this process.
 */
export function sqliteFloor(seconds: number): { transactions: number; seconds: number; perSecond: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-floor-'));
  const db = new SQLite(path.join(dir, 'floor.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE invitations (
      id TEXT PRIMARY KEY, community_id TEXT NOT NULL, issuing_tenant_id TEXT NOT NULL, recipient TEXT NOT NULL,
      inviter_email TEXT, state TEXT NOT NULL, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
      accepted_at INTEGER, invited_tenant_id TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    db.exec('CREATE INDEX ix_invitations_community ON invitations (community_id, created_at)');
    db.exec(`CREATE TABLE outbox (
      id TEXT PRIMARY KEY, type TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
      run_at INTEGER NOT NULL, locked_by TEXT, locked_until INTEGER, last_error TEXT, created_at INTEGER NOT NULL, finished_at INTEGER)`);
    db.exec('CREATE INDEX ix_outbox_due ON outbox (status, run_at)');
    const invitation = db.prepare(
      'INSERT INTO invitations (id, community_id, issuing_tenant_id, recipient, inviter_email, state, issued_at, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const outbox = db.prepare('INSERT INTO outbox (id, type, payload, status, attempts, run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const community = '0193a2b4-0000-7000-8000-000000000001';
    const tenant = '0193a2b4-0000-7000-8000-000000000002';
    const payload = JSON.stringify({ to: 'partner@invitee.test', subject: 'You are invited to join a community', text: 'x'.repeat(400), html: 'y'.repeat(800) });
    const tx = db.transaction((i: number, now: number) => {
      const id = `0193a2b4-${i.toString(16).padStart(12, '0')}`;
      invitation.run(id, community, tenant, `partner${i}@invitee.test`, 'owner@bench.test', 'InvitationCreated', now, now + 1_209_600_000, now, now);
      outbox.run(`job-${id}`, 'mail.send', payload, 'pending', 0, now, now);
    });
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    let i = 0;
    while (performance.now() < end) for (let k = 0; k < 100; k += 1) tx(i++, Date.now());
    const elapsed = (performance.now() - t0) / 1000;
    return { transactions: i, seconds: +elapsed.toFixed(2), perSecond: Math.round(i / elapsed) };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
