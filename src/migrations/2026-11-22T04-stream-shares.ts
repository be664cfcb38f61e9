import type { Kysely } from 'kysely';

// Which stream is shared into which community: an index of the streams' ACLs (an Allowed Read
// entry for the community's member role), kept in the same transaction as every ACL change, so a
// community search reads one table instead of every ACL.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sds_stream_shares')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('namespace_id', 'text', (c) => c.notNull())
    .addColumn('stream_id', 'text', (c) => c.notNull())
    .addColumn('shared_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sds_stream_shares_pkey', ['community_id', 'tenant_id', 'namespace_id', 'stream_id'])
    .addForeignKeyConstraint('sds_stream_shares_stream_fk', ['tenant_id', 'namespace_id', 'stream_id'], 'sds_streams', ['tenant_id', 'namespace_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('ix_sds_stream_shares_stream').on('sds_stream_shares').columns(['tenant_id', 'namespace_id', 'stream_id']).execute();
}
