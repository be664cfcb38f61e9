import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** The SQLite store of a data directory (the same name openDatabase uses). */
export const sqliteFileOf = (dataDir: string) => path.join(dataDir, 'tenantry.sqlite');

export interface StoreSummary {
  file: string;
  bytes: number;
  integrity: 'ok';
  /** Rows of the tables an operator checks first after a restore. */
  rows: Record<string, number>;
}

export class BackupError extends Error {}

const COUNTED = ['tenants', 'users', 'communities', 'community_invitations', 'org_sender_invitations', 'audit_events', 'sds_streams'];

/** Opens a store file read-only and proves it whole (integrity_check) and Tenantry's (its tables). */
function checkStore(file: string): StoreSummary {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new BackupError(`${file} failed its integrity check: ${String(result)}`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    const rows: Record<string, number> = {};
    for (const table of COUNTED) {
      if (!tables.has(table)) throw new BackupError(`${file} is not a Tenantry store (no ${table} table)`);
      rows[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return { file, bytes: fs.statSync(file).size, integrity: 'ok', rows };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a readable SQLite store: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Copies the live store into `target` while the service keeps running. The copy is one snapshot:
 * after the first step the backup moves every remaining page in one step, which reads inside one
 * read transaction (WAL lets writers go on meanwhile), so a write that lands during the copy is
 * either wholly in it or not at all. The copy goes to a temporary file first, so `target` is
 * never a half-written store.
 */
export async function backupSqlite(dataDir: string, target: string): Promise<StoreSummary> {
  const source = sqliteFileOf(dataDir);
  if (!fs.existsSync(source)) throw new BackupError(`there is no store to back up at ${source} (is TENANTRY_DATA_DIR right?)`);
  const destination = path.resolve(target);
  if (destination === path.resolve(source)) throw new BackupError('the backup file must not be the store itself');
  const partial = `${destination}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, { progress: () => 1_000_000_000 });
  } finally {
    db.close();
  }
  try {
    const summary = checkStore(partial);
    fs.renameSync(partial, destination);
    return { ...summary, file: destination };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * True when another process has the store open (a running `tenantry serve` or `worker`): in WAL
 * mode every open connection holds a shared lock, so an exclusive lock cannot be had. Locks die
 * with their process, so a store left by a SIGKILL counts as free.
 */
export function storeInUse(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const db = new SQLite(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Replaces the store of `dataDir` with a backup. The service must be stopped (refused otherwise):
 * its open connection would go on with pages of the store it had read. The backup is checked
 * before anything changes, copied in through SQLite's backup API (so the old store's WAL cannot be
 * replayed over it), and the result checked again.
 */
export async function restoreSqlite(dataDir: string, backupFile: string): Promise<StoreSummary> {
  const source = path.resolve(backupFile);
  checkStore(source);
  const live = sqliteFileOf(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  if (storeInUse(live)) {
    throw new BackupError(`the store ${live} is in use: stop tenantry (serve and worker) on ${dataDir} before restoring`);
  }
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(live, { progress: () => 1_000_000_000 });
  } finally {
    db.close();
  }
  return checkStore(live);
}
