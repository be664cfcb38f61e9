import type { Kysely } from 'kysely';

// A tenant's access control list for its collection of communities (§2.5): who may create
// communities and manage the list. No row means the default list.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('community_collection_acls')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('acl', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
