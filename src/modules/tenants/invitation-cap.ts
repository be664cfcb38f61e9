import type { Trx } from '../../platform/db/index.js';
import * as repo from './tenants.repo.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * TENANTRY_INVITATIONS_PER_DAY: one count per tenant over both dialects (community invitations,
 * deleted ones included, plus organization sender invitations) in the 24 hours before `now`.
 * Run it inside the transaction that inserts the invitation: it locks the tenant first, so two
 * racing creates (in either dialect, on any replica) cannot both take the last place.
 * Returns null when the tenant may create one more, otherwise the whole seconds until the
 * invitation that holds the cap full leaves the window (the Retry-After).
 */
export async function invitationCapWait(trx: Trx, cap: number, tenantId: string, now: number): Promise<number | null> {
  if (cap <= 0) return null;
  await repo.lockTenant(trx, tenantId);
  const capFilledAt = await repo.nthNewestInvitationSince(trx, tenantId, now - DAY_MS, cap);
  if (capFilledAt === undefined) return null;
  return Math.max(1, Math.ceil((capFilledAt + DAY_MS - now) / 1000));
}
