import { AsyncLocalStorage } from 'node:async_hooks';
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

const servedFirst = new AsyncLocalStorage<boolean>();

/**
 * Runs `work` with its SQLite queries (and transactions) served before those of requests waiting
 * for the connection. The outbox worker runs this way: under load every request queues for the one
 * connection, and a job's few queries would each wait out the whole queue, so emails and work
 * requests would only move once the load stops. PostgreSQL has a pool; there it changes nothing.
 */
export function servedFirstOnSqlite<T>(work: () => T): T {
  return servedFirst.run(true, work);
}

/** The one connection, handed over in arrival order, the served-first queue before the others. */
class ConnectionQueue {
  #held = false;
  readonly #first: Array<() => void> = [];
  readonly #rest: Array<() => void> = [];

  async acquire(first: boolean): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => (first ? this.#first : this.#rest).push(resolve));
  }

  release(): void {
    const next = this.#first.shift() ?? this.#rest.shift();
    if (next) next();
    else this.#held = false;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #queue = new ConnectionQueue();

  // Kysely's own mutex wakes every waiter at each release and lets them race for the connection;
  // this queue hands it to one waiter at a time (the driver's mutex is then always free).
  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#queue.acquire(servedFirst.getStore() === true);
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.#queue.release();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
