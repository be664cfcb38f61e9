import { sql, type Kysely } from 'kysely';

// Frozen once shipped. The OCI Organizations API (/20230401): invitations, organizations and their
// tenancies, links, subscription mappings, work requests and opc-retry-token replays.
// Partial unique indexes carry the invariants ("one pending invitation per sender and recipient",
// "one live organization membership per tenancy", "one active mapping per tenancy").

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('org_sender_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('recipient_tenant_id', 'text', (c) => c.notNull())
    .addColumn('recipient_tenancy_id', 'text', (c) => c.notNull())
    .addColumn('recipient_invitation_id', 'text')
    .addColumn('recipient_email', 'text')
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('freeform_tags', 'text', (c) => c.notNull())
    .addColumn('defined_tags', 'text', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ux_org_sender_invitations_tenant_id_recipient_tenant_id')
    .on('org_sender_invitations')
    .columns(['tenant_id', 'recipient_tenant_id'])
    .unique()
    .where(sql.ref('status'), '=', 'PENDING')
    .execute();
  await db.schema.createIndex('ix_org_sender_invitations_tenant_id_created_at').on('org_sender_invitations').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('org_recipient_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('sender_invitation_id', 'text', (c) => c.notNull().references('org_sender_invitations.id').onDelete('cascade'))
    .addColumn('sender_tenant_id', 'text', (c) => c.notNull())
    .addColumn('sender_tenancy_id', 'text', (c) => c.notNull())
    .addColumn('recipient_email', 'text')
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('freeform_tags', 'text', (c) => c.notNull())
    .addColumn('defined_tags', 'text', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ux_org_recipient_invitations_sender_invitation_id')
    .on('org_recipient_invitations')
    .column('sender_invitation_id')
    .unique()
    .execute();
  await db.schema.createIndex('ix_org_recipient_invitations_tenant_id_created_at').on('org_recipient_invitations').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('org_organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('default_subscription_id', 'text', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ux_org_organizations_tenant_id').on('org_organizations').column('tenant_id').unique().execute();

  await db.schema
    .createTable('org_tenancies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('tenancy_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('governance_status', 'text', (c) => c.notNull())
    .addColumn('approved_for_transfer', 'integer', (c) => c.notNull())
    .addColumn('restored', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('left_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // A tenancy belongs to at most one organization at a time (a deleted or unlinked one has left_at).
  await db.schema
    .createIndex('ux_org_tenancies_tenant_id')
    .on('org_tenancies')
    .column('tenant_id')
    .unique()
    .where(sql.ref('left_at'), 'is', null)
    .execute();
  await db.schema.createIndex('ix_org_tenancies_organization_id').on('org_tenancies').column('organization_id').execute();

  await db.schema
    .createTable('org_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.id').onDelete('cascade'))
    .addColumn('parent_tenant_id', 'text', (c) => c.notNull())
    .addColumn('parent_tenancy_id', 'text', (c) => c.notNull())
    .addColumn('child_tenant_id', 'text', (c) => c.notNull())
    .addColumn('child_tenancy_id', 'text', (c) => c.notNull())
    .addColumn('feature', 'text', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('terminated_at', 'bigint')
    .execute();
  await db.schema.createIndex('ix_org_links_parent_tenant_id').on('org_links').column('parent_tenant_id').execute();
  await db.schema.createIndex('ix_org_links_child_tenant_id').on('org_links').column('child_tenant_id').execute();

  await db.schema
    .createTable('org_subscription_mappings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.id').onDelete('cascade'))
    .addColumn('owner_tenant_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('is_explicit', 'integer', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('terminated_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('ux_org_subscription_mappings_tenant_id')
    .on('org_subscription_mappings')
    .column('tenant_id')
    .unique()
    .where(sql.ref('lifecycle_state'), '=', 'ACTIVE')
    .execute();
  await db.schema.createIndex('ix_org_subscription_mappings_owner_tenant_id').on('org_subscription_mappings').column('owner_tenant_id').execute();

  await db.schema
    .createTable('org_work_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('operation_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resources', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('percent_complete', 'integer', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('logs', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('ix_org_work_requests_tenant_id_accepted_at').on('org_work_requests').columns(['tenant_id', 'accepted_at']).execute();

  await db.schema
    .createTable('org_retry_tokens')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_retry_tokens_pkey', ['tenant_id', 'token'])
    .execute();
}
