import type { Kysely } from 'kysely';

// Communities (reference/ocs-communities-api.md §1–§4). Frozen once shipped; portable across
// SQLite and PostgreSQL. Unique indexes are named ux_<table>_<columns> (see platform/db/dialect/).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('communities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // lower(name): names are unique per owning tenant, case-insensitively (rule 17).
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('preferred_region_id', 'text')
    .addColumn('member_role_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ux_communities_owner_tenant_id_name_key')
    .on('communities')
    .columns(['owner_tenant_id', 'name_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('community_tenants')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('is_owner', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('preferred_region_id', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('community_alias', 'text')
    // JSON AccessControlList of CommunityAccessRights on tenant roles; null = the default grant.
    .addColumn('access_control', 'text')
    // JSON Trustee of the tenant's community owner (the creating or accepting principal).
    .addColumn('owner_trustee', 'text')
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('community_tenants_pkey', ['community_id', 'tenant_id'])
    .execute();
  await db.schema.createIndex('ix_community_tenants_tenant_id').on('community_tenants').column('tenant_id').execute();

  await db.schema
    .createTable('community_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('issuing_tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    // Where "accepted — please confirm" goes: the inviting user's email or the owner's contact.
    .addColumn('inviter_email', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('invited_tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
    .addColumn('accepted_user_email', 'text')
    .addColumn('accepted_tenant_name', 'text')
    .addColumn('accepted_by', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // Deleted invitations are kept (hidden) so they still count against the daily cap.
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('ix_community_invitations_community_id').on('community_invitations').column('community_id').execute();
  await db.schema
    .createIndex('ix_community_invitations_issuing_tenant_id_created_at')
    .on('community_invitations')
    .columns(['issuing_tenant_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('ix_community_invitations_invited_tenant_id_state')
    .on('community_invitations')
    .columns(['invited_tenant_id', 'state'])
    .execute();
}
