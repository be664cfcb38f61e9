import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { servedFirstOnSqlite } from '../src/platform/db/sqlite-dialect.js';
import { createTestDatabase, ENGINE } from './support/app.js';

describe('the SQLite connection queue', { skip: ENGINE !== 'sqlite' && 'SQLite only: PostgreSQL has a pool' }, () => {
  test('hands the connection over in arrival order, the served-first queue (the outbox worker) ahead of the rest', async () => {
    const store = await createTestDatabase();
    try {
      const db = store.database.db;
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // A request's transaction holds the one connection while it awaits.
      const transaction = db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await held;
        order.push('transaction');
      });
      await new Promise((r) => setTimeout(r, 10));
      const query = (name: string) => sql`select 1`.execute(db).then(() => void order.push(name));
      const waiting = [query('request 1'), query('request 2'), servedFirstOnSqlite(() => query('worker')), query('request 3')];
      await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(order, [], 'everyone waits for the transaction');
      release();
      await Promise.all([transaction, ...waiting]);
      assert.deepEqual(order, ['transaction', 'worker', 'request 1', 'request 2', 'request 3']);
    } finally {
      await store.drop();
    }
  });
});
