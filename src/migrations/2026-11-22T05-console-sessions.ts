import type { Kysely } from 'kysely';

// Browser sessions of the web console. Only the SHA-256 of the session id is stored, so a copy
// of the table signs nobody in; the CSRF token is derived from the session id, never stored.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_console_sessions_user_id').on('console_sessions').column('user_id').execute();
  await db.schema.createIndex('ix_console_sessions_expires_at').on('console_sessions').column('expires_at').execute();
}
