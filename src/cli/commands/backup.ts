import path from 'node:path';
import { backupSqlite, BackupError, restoreSqlite } from '../../platform/db/backup.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { local, type CommandSpec, type RunContext, type Values } from '../spec.js';

// `tenantry backup` / `tenantry restore`: local operator commands on the SQLite store of
// TENANTRY_DATA_DIR (they do not talk to the service). PostgreSQL has pg_dump (README, Backups).

const dataDirParam = local('data-dir', 'The data directory (default: $TENANTRY_DATA_DIR, else ./data).');

function sqliteDataDir(ctx: RunContext, values: Values): string {
  if (ctx.session.env.DATABASE_URL) {
    throw usageError('DATABASE_URL is set: the store is PostgreSQL; back it up with pg_dump and restore it with pg_restore (README, Backups)');
  }
  return path.resolve(String(values['data-dir'] ?? ctx.session.env.TENANTRY_DATA_DIR ?? './data'));
}

async function storeCommand(work: () => Promise<unknown>) {
  try {
    return { data: await work() };
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(EXIT.service, error.message);
    throw error;
  }
}

export const backupCommands: CommandSpec[] = [
  {
    path: ['backup'],
    summary: 'Back up the SQLite store into FILE while the service runs.',
    description: 'Copies the store of the data directory as one consistent snapshot (writes go on meanwhile), checks the copy with integrity_check and prints its row counts. PostgreSQL: pg_dump (README, Backups).',
    params: [local('file', 'The backup file to write (replaced if it exists).', { required: true }), dataDirParam],
    positional: 'file',
    examples: ['tenantry backup /var/backups/tenantry-$(date +%F).sqlite'],
    run: (ctx, values) => storeCommand(() => backupSqlite(sqliteDataDir(ctx, values), String(values.file))),
  },
  {
    path: ['restore'],
    summary: 'Replace the SQLite store with a backup FILE (service stopped).',
    description: 'Checks the backup, refuses while a tenantry process has the store open (stop serve and worker first), copies it in and checks the result with integrity_check.',
    params: [local('file', 'The backup file (made by tenantry backup).', { required: true }), dataDirParam],
    positional: 'file',
    examples: ['tenantry restore /var/backups/tenantry-2026-01-31.sqlite --data-dir ./data'],
    run: (ctx, values) => storeCommand(() => restoreSqlite(sqliteDataDir(ctx, values), String(values.file))),
  },
];
