import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * What differs between the two engines, as capabilities. Modules ask these questions instead of
 * testing which engine they run on.
 */
export interface DialectCapabilities {
  readonly engine: 'sqlite' | 'postgres';
  /** `SELECT … FOR UPDATE SKIP LOCKED` exists (PostgreSQL); SQLite has one writer, so it is not needed. */
  readonly supportsSkipLocked: boolean;
  /** The name of the unique index a failed insert or update violated, or undefined for any other error. */
  uniqueViolation(error: unknown): string | undefined;
  /**
   * A text column type that compares and sorts byte by byte on every installation (a PostgreSQL
   * database with a linguistic default collation would otherwise order keys differently).
   */
  readonly binaryText: 'text' | 'text collate "C"';
}

/**
 * Unique indexes are named `ux_<table>_<col>_<col>`. PostgreSQL reports that name; SQLite reports
 * "UNIQUE constraint failed: table.col, table.col", from which the same name is rebuilt.
 */
export const sqliteCapabilities: DialectCapabilities = {
  engine: 'sqlite',
  supportsSkipLocked: false,
  binaryText: 'text',
  uniqueViolation(error) {
    const e = error as { code?: string; message?: string };
    if (e?.code !== 'SQLITE_CONSTRAINT_UNIQUE' && e?.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
    const columns = /constraint failed: (.*)$/.exec(e.message ?? '')?.[1]?.split(',').map((c) => c.trim()) ?? [];
    if (columns.length === 0) return 'unknown';
    const table = columns[0].split('.')[0];
    if (e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return `${table}_pkey`;
    return `ux_${table}_${columns.map((c) => c.split('.')[1]).join('_')}`;
  },
};

export const postgresCapabilities: DialectCapabilities = {
  engine: 'postgres',
  supportsSkipLocked: true,
  binaryText: 'text collate "C"',
  uniqueViolation(error) {
    const e = error as { code?: string; constraint?: string };
    return e?.code === '23505' ? (e.constraint ?? 'unknown') : undefined;
  },
};

/** The capabilities of the engine behind a Kysely instance (migrations receive only the instance). */
export function capabilitiesOf(db: Kysely<any>): DialectCapabilities {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresCapabilities : sqliteCapabilities;
}
