import type { ExpressionBuilder } from 'kysely';
import type { DB, Executor, Trx } from '../../platform/db/index.js';
import type { PageStart, RowKey } from '../../platform/paging.js';
import type { OrgRecipientInvitationsTable, OrgSenderInvitationsTable } from '../../platform/db/schema.js';

export type SenderInvitationRow = OrgSenderInvitationsTable;
export type RecipientInvitationRow = OrgRecipientInvitationsTable;

type InvitationTable = 'org_sender_invitations' | 'org_recipient_invitations';

export interface InvitationFilter {
  tenantId: string;
  now: number;
  /** Sender side: the recipient tenancy; recipient side: the sender tenancy. */
  otherTenancyId?: string;
  lifecycleState?: string;
  status?: string;
  displayName?: string;
}

export interface Page {
  /** An offset, or (keyset) the sort key and id of the row the page starts after. */
  start: PageStart;
  limit: number;
  sortBy: 'timeCreated' | 'displayName';
  sortOrder: 'ASC' | 'DESC';
}

/** Keyset paging: the rows after `after` in the list's order, found by one index seek. */
function afterRow<T extends InvitationTable>(eb: ExpressionBuilder<DB, T>, column: 'created_at' | 'display_name', page: Page, after: RowKey) {
  const e = eb as unknown as ExpressionBuilder<DB, 'org_sender_invitations'>;
  return e(e.refTuple(column, 'id'), page.sortOrder === 'ASC' ? '>' : '<', e.tuple(after.key as string, after.id));
}

const afterOf = (page: Page) => ('after' in page.start ? page.start.after : undefined);
const offsetOf = (page: Page) => ('offset' in page.start ? page.start.offset : 0);

/**
 * Filters on the status and lifecycle a reader sees: a PENDING invitation past its expiry reads as
 * EXPIRED / INACTIVE even before the sweep has written that down.
 */
function whereVisible<T extends InvitationTable>(eb: ExpressionBuilder<DB, T>, table: T, f: InvitationFilter) {
  const e = eb as unknown as ExpressionBuilder<DB, 'org_sender_invitations'>;
  const expired = e.and([e('status', '=', 'PENDING'), e('expires_at', '<=', f.now)]);
  const parts = [e('tenant_id', '=', f.tenantId)];
  if (f.otherTenancyId) {
    parts.push(
      table === 'org_sender_invitations'
        ? e('recipient_tenancy_id', '=', f.otherTenancyId)
        : (eb as unknown as ExpressionBuilder<DB, 'org_recipient_invitations'>)('sender_tenancy_id', '=', f.otherTenancyId) as never,
    );
  }
  if (f.displayName !== undefined) parts.push(e('display_name', '=', f.displayName));
  if (f.status === 'EXPIRED') parts.push(e.or([e('status', '=', 'EXPIRED'), expired]));
  else if (f.status === 'PENDING') parts.push(e.and([e('status', '=', 'PENDING'), e('expires_at', '>', f.now)]));
  else if (f.status) parts.push(e('status', '=', f.status));
  if (f.lifecycleState === 'INACTIVE') parts.push(e.or([e('lifecycle_state', '=', 'INACTIVE'), expired]));
  else if (f.lifecycleState) parts.push(e.and([e('lifecycle_state', '=', f.lifecycleState), e.not(expired)]));
  return e.and(parts);
}

export async function insertSenderInvitation(trx: Trx, row: SenderInvitationRow): Promise<void> {
  await trx.insertInto('org_sender_invitations').values(row).execute();
}

export function findSenderInvitation(db: Executor, id: string): Promise<SenderInvitationRow | undefined> {
  return db.selectFrom('org_sender_invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listSenderInvitations(db: Executor, filter: InvitationFilter, page: Page): Promise<SenderInvitationRow[]> {
  const column = page.sortBy === 'displayName' ? 'display_name' : 'created_at';
  const order = page.sortOrder === 'ASC' ? 'asc' : 'desc';
  const after = afterOf(page);
  return db
    .selectFrom('org_sender_invitations')
    .selectAll()
    .where((eb) => whereVisible(eb, 'org_sender_invitations', filter))
    .$if(after !== undefined, (qb) => qb.where((eb) => afterRow(eb, column, page, after!)))
    .orderBy(column, order)
    .orderBy('id', order)
    .limit(page.limit + 1)
    .offset(offsetOf(page))
    .execute();
}

/** Guarded update: applies only while the row still has `version`; returns the new row or undefined. */
export function updateSenderInvitation(
  trx: Trx,
  id: string,
  version: number,
  changes: Partial<SenderInvitationRow>,
  guard: { status?: string; lifecycleState?: string } = {},
): Promise<SenderInvitationRow | undefined> {
  let q = trx
    .updateTable('org_sender_invitations')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version);
  if (guard.status) q = q.where('status', '=', guard.status);
  if (guard.lifecycleState) q = q.where('lifecycle_state', '=', guard.lifecycleState);
  return q.returningAll().executeTakeFirst();
}

/** Writes down expiry for one sender/recipient pair, so a new invitation can take the pending slot. */
export async function expireDueForPair(trx: Trx, senderTenantId: string, recipientTenantId: string, now: number): Promise<void> {
  const due = await trx
    .updateTable('org_sender_invitations')
    .set((eb) => ({ status: 'EXPIRED', lifecycle_state: 'INACTIVE', updated_at: now, version: eb('version', '+', 1) }))
    .where('tenant_id', '=', senderTenantId)
    .where('recipient_tenant_id', '=', recipientTenantId)
    .where('status', '=', 'PENDING')
    .where('expires_at', '<=', now)
    .returning('id')
    .execute();
  if (due.length) await expireRecipientSide(trx, due.map((d) => d.id), now);
}

/** The sweep: every pending invitation of one sender invitation id past its expiry becomes EXPIRED. */
export async function expireSenderInvitation(trx: Trx, id: string, now: number): Promise<boolean> {
  const done = await trx
    .updateTable('org_sender_invitations')
    .set((eb) => ({ status: 'EXPIRED', lifecycle_state: 'INACTIVE', updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'PENDING')
    .where('expires_at', '<=', now)
    .returning('id')
    .execute();
  await expireRecipientSide(trx, [id], now);
  return done.length > 0;
}

async function expireRecipientSide(trx: Trx, senderInvitationIds: string[], now: number): Promise<void> {
  await trx
    .updateTable('org_recipient_invitations')
    .set((eb) => ({ status: 'EXPIRED', lifecycle_state: 'INACTIVE', updated_at: now, version: eb('version', '+', 1) }))
    .where('sender_invitation_id', 'in', senderInvitationIds)
    .where('status', '=', 'PENDING')
    .where('expires_at', '<=', now)
    .execute();
}

/** Pending invitations of a sender, counted up to `upTo` (the child limit needs no more), from an index alone. */
export async function countPendingInvitations(db: Executor, tenantId: string, now: number, upTo: number): Promise<number> {
  const pending = db
    .selectFrom('org_sender_invitations')
    .select('expires_at')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'PENDING')
    .where('expires_at', '>', now)
    .limit(upTo);
  const row = await db
    .selectFrom(pending.as('pending'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertRecipientInvitation(trx: Trx, row: RecipientInvitationRow): Promise<void> {
  await trx.insertInto('org_recipient_invitations').values(row).execute();
}

export function findRecipientInvitation(db: Executor, id: string): Promise<RecipientInvitationRow | undefined> {
  return db.selectFrom('org_recipient_invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findRecipientInvitationBySender(db: Executor, senderInvitationId: string): Promise<RecipientInvitationRow | undefined> {
  return db.selectFrom('org_recipient_invitations').selectAll().where('sender_invitation_id', '=', senderInvitationId).executeTakeFirst();
}

export function listRecipientInvitations(db: Executor, filter: InvitationFilter, page: Page): Promise<RecipientInvitationRow[]> {
  const after = afterOf(page);
  return db
    .selectFrom('org_recipient_invitations')
    .selectAll()
    .where((eb) => whereVisible(eb, 'org_recipient_invitations', filter))
    .$if(after !== undefined, (qb) => qb.where((eb) => afterRow(eb, 'created_at', page, after!)))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .offset(offsetOf(page))
    .execute();
}

export function updateRecipientInvitation(
  trx: Trx,
  id: string,
  version: number,
  changes: Partial<RecipientInvitationRow>,
  guard: { status?: string; lifecycleState?: string } = {},
): Promise<RecipientInvitationRow | undefined> {
  let q = trx
    .updateTable('org_recipient_invitations')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version);
  if (guard.status) q = q.where('status', '=', guard.status);
  if (guard.lifecycleState) q = q.where('lifecycle_state', '=', guard.lifecycleState);
  return q.returningAll().executeTakeFirst();
}

type Guard = { status?: string; lifecycleState?: string };
type Changes<R> = Partial<Omit<R, 'id' | 'version'>>;

/**
 * A state transition guarded by the states it leaves (compare-and-set on state, not on version,
 * so an edit of tags meanwhile does not block it); bumps the version. Undefined when the guard failed.
 */
export function transitionSenderInvitation(trx: Trx, id: string, changes: Changes<SenderInvitationRow>, guard: Guard): Promise<SenderInvitationRow | undefined> {
  let q = trx
    .updateTable('org_sender_invitations')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (guard.status) q = q.where('status', '=', guard.status);
  if (guard.lifecycleState) q = q.where('lifecycle_state', '=', guard.lifecycleState);
  return q.returningAll().executeTakeFirst();
}

export function transitionRecipientInvitation(
  trx: Trx,
  id: string,
  changes: Changes<RecipientInvitationRow>,
  guard: Guard,
): Promise<RecipientInvitationRow | undefined> {
  let q = trx
    .updateTable('org_recipient_invitations')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (guard.status) q = q.where('status', '=', guard.status);
  if (guard.lifecycleState) q = q.where('lifecycle_state', '=', guard.lifecycleState);
  return q.returningAll().executeTakeFirst();
}
