import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, type Transaction } from 'kysely';
import pg from 'pg';
import { BoundedCache } from '../bounded-cache.js';
import type { DB } from './schema.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './dialect/index.js';

export type { DB } from './schema.js';
export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Read-only repo functions accept either the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  readonly db: Db;
  readonly dialect: DialectCapabilities;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL schema to use (tests isolate themselves in one each). */
  schema?: string;
  poolSize?: number;
}

export function openDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 10);
  fs.mkdirSync(options.dataDir, { recursive: true });
  return openSqlite(path.join(options.dataDir, 'tenantry.sqlite'));
}

export function openSqlite(file: string): Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A 64 MiB page cache (the default is 2 MiB): list indexes of a million-row table stay in memory.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: sqliteCapabilities, close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew; the same few hundred SQL texts repeat forever, so keep their
 * prepared statements (the oldest out past `size`). Safe because Kysely's SQLite driver
 * runs one query at a time on its single connection.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500): SqliteDatabase {
  const cache = new BoundedCache<string, SQLite.Statement>(size);
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

// BIGINT (int8) columns hold epoch milliseconds, well inside Number's exact range.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Like psql, a URL without a user name connects as PGUSER or the OS user. */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (parsed.username) return url;
  parsed.username = encodeURIComponent(process.env.PGUSER ?? os.userInfo().username);
  return parsed.toString();
}

export function openPostgres(url: string, schema?: string, max = 10): Database {
  const pool = new pg.Pool({
    connectionString: withDefaultUser(url),
    max,
    types: pgTypes as pg.CustomTypesConfig,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: postgresCapabilities, close: () => db.destroy() };
}
