import type { Kysely } from 'kysely';

// Frozen once shipped. Every invitation list seeks its first row through an index that matches its
// filter and its whole order (sort key, then id), so a page costs the same at any depth and any
// table size (keyset paging, see the repos). The indexes they replace were prefixes of these.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ix_community_invitations_community_id').execute();
  await db.schema
    .createIndex('ix_community_invitations_community_id_issuing_tenant_id_created_at_id')
    .on('community_invitations')
    .columns(['community_id', 'issuing_tenant_id', 'created_at', 'id'])
    .execute();

  await db.schema.dropIndex('ix_org_sender_invitations_tenant_id_created_at').execute();
  await db.schema.createIndex('ix_org_sender_invitations_tenant_id_created_at_id').on('org_sender_invitations').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema
    .createIndex('ix_org_sender_invitations_tenant_id_display_name_id')
    .on('org_sender_invitations')
    .columns(['tenant_id', 'display_name', 'id'])
    .execute();

  await db.schema.dropIndex('ix_org_recipient_invitations_tenant_id_created_at').execute();
  await db.schema
    .createIndex('ix_org_recipient_invitations_tenant_id_created_at_id')
    .on('org_recipient_invitations')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();

  // The child limit counts a sender's pending invitations from this index alone.
  await db.schema
    .createIndex('ix_org_sender_invitations_tenant_id_status_expires_at')
    .on('org_sender_invitations')
    .columns(['tenant_id', 'status', 'expires_at'])
    .execute();

  // Housekeeping forgets retry tokens by age, all tenants at once (requests no longer sweep).
  await db.schema.createIndex('ix_org_retry_tokens_created_at').on('org_retry_tokens').column('created_at').execute();
}
