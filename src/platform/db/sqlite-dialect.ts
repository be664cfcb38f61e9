import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * SQLite transactions that take the write lock when they begin (BEGIN IMMEDIATE). A deferred
 * transaction reads first and asks for the lock at its first write; when another process wrote in
 * between, SQLite refuses at once (SQLITE_BUSY_SNAPSHOT, no busy wait) and a racing request would
 * answer 500. Taking the lock first makes a second process wait its turn (busy_timeout), so two
 * processes may share one file (`serve` next to `worker`; test/races.test.ts). Within one process
 * Kysely runs one transaction at a time on its single connection, so it costs nothing there.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
