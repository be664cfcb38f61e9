/**
 * The bulk loader of the benchmark. Scenarios that consume one pending invitation a request
 * (accept, confirm), send to one distinct tenancy a request (OCI create) or need a large store
 * (lists with 10,000 / 1,000,000 invitations) would spend minutes seeding through the HTTP API, so
 * they write rows from the bench process straight into the server's store through the app's own
 * Kysely schema (and its identity service for tenants that sign requests), in large transactions,
 * before the load starts. Rows look exactly like the ones the services write.
 */
import type { Database, DB, Trx } from '../../src/platform/db/index.js';
import { newGuid, newOcid } from '../../src/platform/ids.js';
import { SYSTEM } from '../../src/platform/principal.js';
import { provisionTenantIdentity } from '../../src/modules/identity/identity.service.js';
import { enqueueMail } from '../../src/platform/mail/mail.jobs.js';
import { renderMail } from '../../src/platform/mail/templates.js';
import { COMMUNITY_INVITATION } from '../../src/modules/communities/communities.mail.js';

const REALM = 'oc1';
const DAY = 86_400_000;
const BATCH = 500;

/** Inserts rows in multi-row statements, `BATCH` at a time, inside one transaction per 20,000. */
async function insertMany<T extends keyof DB>(database: Database, table: T, count: number, row: (i: number) => DB[T]): Promise<void> {
  for (let start = 0; start < count; start += 20_000) {
    await database.db.transaction().execute(async (trx) => {
      for (let i = start; i < Math.min(count, start + 20_000); i += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, count - i) }, (_, k) => row(i + k));
        await trx.insertInto(table).values(rows as never).execute();
        // better-sqlite3 is synchronous: let this process's SMTP sink answer the server meanwhile.
        await new Promise((r) => setImmediate(r));
      }
    });
  }
}

export interface SeededTenancy {
  id: string;
  ocid: string;
  /** The admin user, when the tenancy was provisioned with one. */
  user?: { id: string; ocid: string };
}

/**
 * `count` tenancies (ANNUAL_COMMIT, each with its own subscription). With `publicKey`, each gets
 * the identity the operator API gives a tenant (built-in roles, Administrators group, admin user)
 * and that API key on its admin.
 */
export async function seedTenancies(
  database: Database,
  count: number,
  prefix: string,
  apiKey?: { publicKey: string; fingerprint: string },
): Promise<SeededTenancy[]> {
  const now = Date.now();
  const tenancies: SeededTenancy[] = Array.from({ length: count }, () => ({ id: newGuid(now), ocid: newOcid('tenancy', REALM) }));
  const subscriptions = tenancies.map(() => newOcid('organizationssubscription', REALM));
  await insertMany(database, 'tenants', count, (i) => ({
    id: tenancies[i].id,
    ocid: tenancies[i].ocid,
    name: `${prefix} ${i}`,
    realm: REALM,
    home_region: 'us-ashburn-1',
    subscription_type: 'ANNUAL_COMMIT',
    subscription_id: subscriptions[i],
    created_at: now,
  }));
  await insertMany(database, 'subscriptions', count, (i) => ({ id: subscriptions[i], tenant_id: tenancies[i].id, display_name: `${prefix} ${i} subscription`, created_at: now }));
  if (apiKey) {
    for (let start = 0; start < count; start += 2_000) {
      await database.db.transaction().execute(async (trx) => {
        for (let i = start; i < Math.min(count, start + 2_000); i += 1) {
          const t = tenancies[i];
          const admin = await provisionTenantIdentity(trx, now, SYSTEM, { tenantId: t.id, realm: REALM, adminEmail: `admin@${prefix.toLowerCase()}-${i}.test`, adminName: 'Admin', passwordHash: null });
          t.user = { id: admin.id, ocid: admin.ocid };
          await trx
            .insertInto('api_keys')
            .values({ key_id: `${t.ocid}/${admin.ocid}/${apiKey.fingerprint}`, tenant_id: t.id, user_id: admin.id, fingerprint: apiKey.fingerprint, public_key: apiKey.publicKey, created_at: now })
            .execute();
        }
      });
    }
  }
  return tenancies;
}

/**
 * `count` community invitations of one community, created over the last `count` seconds; with
 * `acceptedBy` each is accepted (one accepting tenant per invitation, or one for all).
 */
export async function seedCommunityInvitations(
  database: Database,
  options: { communityId: string; issuingTenantId: string; count: number; acceptedBy?: (i: number) => { tenantId: string; tenantName: string } },
): Promise<string[]> {
  const now = Date.now();
  const ids = Array.from({ length: options.count }, (_, i) => newGuid(now - (options.count - i) * 1000));
  await insertMany(database, 'community_invitations', options.count, (i) => {
    const issued = now - (options.count - i) * 1000;
    const accepted = options.acceptedBy?.(i);
    return {
      id: ids[i],
      community_id: options.communityId,
      issuing_tenant_id: options.issuingTenantId,
      recipient: `partner${i}@invitee.test`,
      inviter_email: 'owner@bench.test',
      state: accepted ? 'InvitationAccepted' : 'InvitationCreated',
      issued_at: issued,
      expires_at: issued + 14 * DAY,
      accepted_at: accepted ? now : null,
      invited_tenant_id: accepted?.tenantId ?? null,
      accepted_user_email: accepted ? 'admin@joiner.test' : null,
      accepted_tenant_name: accepted?.tenantName ?? null,
      accepted_by: accepted ? JSON.stringify({ type: 1, objectId: newGuid(now), tenantId: accepted.tenantId }) : null,
      contact_email: accepted ? 'contact@joiner.test' : null,
      created_at: issued,
      updated_at: issued,
      deleted_at: null,
    };
  });
  return ids;
}

/**
 * Pending organization invitations as the sending work request leaves them: the sender invitation
 * ACTIVE/PENDING and its recipient mirror, one per recipient. Returns the recipient invitation ids.
 */
export async function seedOrganizationInvitations(
  database: Database,
  sender: SeededTenancy,
  recipients: SeededTenancy[],
): Promise<string[]> {
  const now = Date.now();
  const senderIds = recipients.map(() => newOcid('senderinvitation', REALM));
  const recipientIds = recipients.map(() => newOcid('recipientinvitation', REALM));
  const common = (i: number) => ({
    recipient_email: `admin@recipient-${i}.test`,
    display_name: 'Invitation from Bench sender',
    subjects: '["LINK"]',
    features: '[]',
    freeform_tags: '{}',
    defined_tags: '{}',
    lifecycle_state: 'ACTIVE',
    status: 'PENDING',
    expires_at: now + 30 * DAY,
    version: 1,
    created_at: now - recipients.length + i,
    updated_at: now,
  });
  await insertMany(database, 'org_sender_invitations', recipients.length, (i) => ({
    id: senderIds[i],
    tenant_id: sender.id,
    compartment_id: sender.ocid,
    recipient_tenant_id: recipients[i].id,
    recipient_tenancy_id: recipients[i].ocid,
    recipient_invitation_id: recipientIds[i],
    ...common(i),
  }));
  await insertMany(database, 'org_recipient_invitations', recipients.length, (i) => ({
    id: recipientIds[i],
    tenant_id: recipients[i].id,
    compartment_id: recipients[i].ocid,
    sender_invitation_id: senderIds[i],
    sender_tenant_id: sender.id,
    sender_tenancy_id: sender.ocid,
    ...common(i),
  }));
  return recipientIds;
}

/**
 * `count` answered sender invitations (ACCEPTED, CANCELED, EXPIRED, FAILED in turn) from one sender
 * to a few recipients, created one a second up to now: the history a list pages through.
 */
export async function seedSenderInvitationHistory(database: Database, sender: SeededTenancy, recipients: SeededTenancy[], count: number): Promise<void> {
  const now = Date.now();
  const statuses = ['ACCEPTED', 'CANCELED', 'EXPIRED', 'FAILED'];
  await insertMany(database, 'org_sender_invitations', count, (i) => ({
    id: newOcid('senderinvitation', REALM),
    tenant_id: sender.id,
    compartment_id: sender.ocid,
    recipient_tenant_id: recipients[i % recipients.length].id,
    recipient_tenancy_id: recipients[i % recipients.length].ocid,
    recipient_invitation_id: null,
    recipient_email: null,
    display_name: `Invitation ${i}`,
    subjects: '["LINK"]',
    features: '[]',
    freeform_tags: '{}',
    defined_tags: '{}',
    lifecycle_state: 'INACTIVE',
    status: statuses[i % statuses.length],
    expires_at: now - (count - i) * 1000 + 30 * DAY,
    version: 2,
    created_at: now - (count - i) * 1000,
    updated_at: now - (count - i) * 1000,
  }));
}

/** `count` invitation emails in the outbox, rendered by the app's own template, due now. */
export async function seedInvitationMail(database: Database, count: number, publicUrl: string): Promise<void> {
  const now = Date.now();
  for (let start = 0; start < count; start += 5_000) {
    await database.db.transaction().execute(async (trx: Trx) => {
      for (let i = start; i < Math.min(count, start + 5_000); i += 1) {
        const invitationId = newGuid(now);
        await enqueueMail(
          trx,
          now,
          `partner${i}@invitee.test`,
          renderMail(COMMUNITY_INVITATION, {
            tenantName: 'Bench owner',
            communityName: 'Bench community',
            invitationId,
            expires: new Date(now + 14 * DAY).toISOString(),
            link: `${publicUrl}/console/community-invitations/${invitationId}`,
          }),
        );
      }
    });
  }
}
