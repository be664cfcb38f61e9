import { sql, type Kysely } from 'kysely';

// Frozen once shipped. The OCI Governance Rules API (/20220504): governance rules of a parent
// tenancy, their inclusion criteria, the tenancy attachments they produce in child tenancies, and
// the API's own work requests. Partial unique indexes carry the invariants ("one live criterion per
// rule and target", "one live attachment per rule and child tenancy").

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gov_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('creation_option', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('related_resource_id', 'text')
    .addColumn('freeform_tags', 'text', (c) => c.notNull())
    .addColumn('defined_tags', 'text', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_gov_rules_tenant_id_created_at').on('gov_rules').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('gov_inclusion_criteria')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('governance_rule_id', 'text', (c) => c.notNull().references('gov_rules.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    // The child tenancy's OCID for TENANCY, 'ALL' for ALL: one live criterion per rule and target.
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ux_gov_inclusion_criteria_governance_rule_id_target')
    .on('gov_inclusion_criteria')
    .columns(['governance_rule_id', 'target'])
    .unique()
    .where(sql.ref('lifecycle_state'), '=', 'ACTIVE')
    .execute();

  await db.schema
    .createTable('gov_tenancy_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The parent tenant (owner of the rule); the child is child_tenant_id.
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('compartment_id', 'text', (c) => c.notNull())
    .addColumn('governance_rule_id', 'text', (c) => c.notNull().references('gov_rules.id').onDelete('cascade'))
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('child_tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('tenancy_id', 'text', (c) => c.notNull())
    // The id the child sees the attached rule under (EnforcedGovernanceRule.id).
    .addColumn('enforced_rule_id', 'text', (c) => c.notNull())
    .addColumn('lifecycle_state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempted_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('ux_gov_tenancy_attachments_governance_rule_id_tenancy_id')
    .on('gov_tenancy_attachments')
    .columns(['governance_rule_id', 'tenancy_id'])
    .unique()
    .where(sql.ref('lifecycle_state'), '<>', 'DELETED')
    .execute();
  await db.schema.createIndex('ux_gov_tenancy_attachments_enforced_rule_id').on('gov_tenancy_attachments').column('enforced_rule_id').unique().execute();
  await db.schema.createIndex('ix_gov_tenancy_attachments_child_tenant_id').on('gov_tenancy_attachments').column('child_tenant_id').execute();

  // Rules a parent chose while creating a sender invitation (its governance step): attached to the
  // child when it accepts and joins governance.
  await db.schema
    .createTable('gov_invitation_rules')
    .addColumn('sender_invitation_id', 'text', (c) => c.notNull().references('org_sender_invitations.id').onDelete('cascade'))
    .addColumn('governance_rule_id', 'text', (c) => c.notNull().references('gov_rules.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_gov_invitation_rules', ['sender_invitation_id', 'governance_rule_id'])
    .execute();

  // The regions a tenancy subscribes to besides its home region (ALLOWED_REGIONS rules restrict new ones).
  await db.schema
    .createTable('region_subscriptions')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_region_subscriptions', ['tenant_id', 'region'])
    .execute();

  // Metering: every rate card a subscription had, from when it applied, so usage is priced with the
  // card in force at the time of use. The current cards are the first versions.
  await db.schema
    .createTable('rate_card_versions')
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('effective_from', 'bigint', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_rate_card_versions', ['subscription_id', 'effective_from'])
    .execute();
  await sql`insert into rate_card_versions (subscription_id, effective_from, items) select subscription_id, 0, items from rate_cards`.execute(db);

  await db.schema
    .createTable('gov_work_requests')
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
  await db.schema.createIndex('ix_gov_work_requests_tenant_id_accepted_at').on('gov_work_requests').columns(['tenant_id', 'accepted_at']).execute();
}
