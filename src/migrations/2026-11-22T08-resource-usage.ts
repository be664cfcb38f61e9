import type { Kysely } from 'kysely';

// Frozen once shipped. How much of each limit in the limits catalogue a tenancy uses in each region,
// as the operator reports it; QUOTA governance rules refuse a report that would go past a quota.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('resource_usage')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('limit_name', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('used', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_resource_usage', ['tenant_id', 'service', 'limit_name', 'region'])
    .execute();
}
