import { sql, type Kysely } from 'kysely';
import { capabilitiesOf } from '../platform/db/dialect/index.js';

// SDS types, streams and events per tenant and namespace. Events are keyed by their stream and
// an order-preserving encoding of their index value: a time window is one primary-key range scan.

export async function up(db: Kysely<unknown>): Promise<void> {
  const keyType = sql.raw(capabilitiesOf(db).binaryText);
  await db.schema
    .createTable('sds_types')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('namespace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sds_types_pkey', ['tenant_id', 'namespace_id', 'id'])
    .addForeignKeyConstraint('sds_types_namespace_fk', ['tenant_id', 'namespace_id'], 'namespaces', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('sds_streams')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('namespace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('acl', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sds_streams_pkey', ['tenant_id', 'namespace_id', 'id'])
    .addForeignKeyConstraint('sds_streams_type_fk', ['tenant_id', 'namespace_id', 'type_id'], 'sds_types', ['tenant_id', 'namespace_id', 'id'])
    .execute();
  await db.schema.createIndex('ix_sds_streams_type').on('sds_streams').columns(['tenant_id', 'namespace_id', 'type_id']).execute();

  await db.schema
    .createTable('sds_events')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('namespace_id', 'text', (c) => c.notNull())
    .addColumn('stream_id', 'text', (c) => c.notNull())
    .addColumn('key', keyType, (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sds_events_pkey', ['tenant_id', 'namespace_id', 'stream_id', 'key'])
    .addForeignKeyConstraint('sds_events_stream_fk', ['tenant_id', 'namespace_id', 'stream_id'], 'sds_streams', ['tenant_id', 'namespace_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
}
