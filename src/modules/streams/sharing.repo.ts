import type { Executor, Trx } from '../../platform/db/index.js';
import type { SdsStreamsTable } from '../../platform/db/schema.js';

interface StreamKey {
  tenantId: string;
  namespaceId: string;
  streamId: string;
}

/** Makes the share rows of one stream exactly `communityIds`. */
export async function replaceSharesOfStream(trx: Trx, key: StreamKey, communityIds: readonly string[], now: number): Promise<void> {
  await trx
    .deleteFrom('sds_stream_shares')
    .where('tenant_id', '=', key.tenantId)
    .where('namespace_id', '=', key.namespaceId)
    .where('stream_id', '=', key.streamId)
    .execute();
  if (communityIds.length === 0) return;
  await trx
    .insertInto('sds_stream_shares')
    .values(communityIds.map((communityId) => ({ community_id: communityId, tenant_id: key.tenantId, namespace_id: key.namespaceId, stream_id: key.streamId, shared_at: now })))
    .execute();
}

export type SharedStreamRow = SdsStreamsTable;

/** The streams shared into a community by the given owner tenants, in owner, namespace, id order. */
export function listSharedStreams(db: Executor, communityId: string, ownerTenantIds: readonly string[]): Promise<SharedStreamRow[]> {
  if (ownerTenantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('sds_stream_shares')
    .innerJoin('sds_streams', (join) =>
      join
        .onRef('sds_streams.tenant_id', '=', 'sds_stream_shares.tenant_id')
        .onRef('sds_streams.namespace_id', '=', 'sds_stream_shares.namespace_id')
        .onRef('sds_streams.id', '=', 'sds_stream_shares.stream_id'),
    )
    .selectAll('sds_streams')
    .where('sds_stream_shares.community_id', '=', communityId)
    .where('sds_stream_shares.tenant_id', 'in', ownerTenantIds)
    .orderBy('sds_streams.tenant_id')
    .orderBy('sds_streams.namespace_id')
    .orderBy('sds_streams.id')
    .execute();
}

/** Removes a tenant's shares into a community; returns the streams that were shared. */
export async function deleteSharesOfTenant(trx: Trx, communityId: string, tenantId: string): Promise<SharedStreamRow[]> {
  const streams = await listSharedStreams(trx, communityId, [tenantId]);
  await trx.deleteFrom('sds_stream_shares').where('community_id', '=', communityId).where('tenant_id', '=', tenantId).execute();
  return streams;
}

/** How many streams each tenant shares into a community. */
export async function countSharesByTenant(db: Executor, communityId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sds_stream_shares')
    .select(['tenant_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('community_id', '=', communityId)
    .groupBy('tenant_id')
    .execute();
  return new Map(rows.map((r) => [r.tenant_id, Number(r.n)]));
}
