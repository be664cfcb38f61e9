import type { Executor, Trx } from '../../platform/db/index.js';

export async function findCollectionAcl(db: Executor, tenantId: string): Promise<string | undefined> {
  const row = await db.selectFrom('community_collection_acls').select('acl').where('tenant_id', '=', tenantId).executeTakeFirst();
  return row?.acl;
}

export async function saveCollectionAcl(trx: Trx, tenantId: string, acl: string, now: number): Promise<void> {
  await trx
    .insertInto('community_collection_acls')
    .values({ tenant_id: tenantId, acl, updated_at: now })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ acl, updated_at: now }))
    .execute();
}
