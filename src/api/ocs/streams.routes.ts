import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import { principalOf } from '../../platform/http/auth.js';
import { SdsTypeInput, StreamInput, StreamOutput, WindowQuery } from '../../modules/streams/streams.schemas.js';
import { communitySummary, parseCommunityHeader, searchCommunityStreams } from '../../modules/streams/sharing.service.js';
import * as streams from '../../modules/streams/streams.service.js';
import { OcsPaging } from './paging.js';

const tags = ['sds'];
const NamespaceParams = z.object({ tenantId: z.string().max(100), namespaceId: z.string().max(100) });
const TypeParams = NamespaceParams.extend({ typeId: z.string().min(1).max(260) });
const StreamParams = NamespaceParams.extend({ streamId: z.string().min(1).max(260) });
const AnyJson = z.unknown();

/** The community a read goes through (the `community-id` header, any spelling), if any. */
const viaOf = (request: FastifyRequest) => parseCommunityHeader(request.headers['community-id']);

const scopeOf = (p: { tenantId: string; namespaceId: string }): streams.Scope => ({ tenantId: p.tenantId, namespaceId: p.namespaceId });

/** Get-or-create: 201 with the new resource, 302 to the identical existing one (clients follow it). */
function created<T>(request: FastifyRequest, reply: FastifyReply, result: streams.Created<T>) {
  if (result.created) return reply.status(201).send(result.value);
  return reply.status(302).header('location', request.url.split('?')[0]).send(result.value);
}

/** An empty filter means none; a non-empty one is not supported yet and says so. */
function noFilter(filter: string | undefined) {
  if (filter) throw invalid('UNSUPPORTED_FILTER', 'filter expressions are not supported; read the window and filter on the client');
}

/** The SDS subset of issue 4: types, streams, events and stream ACLs of one tenant namespace. */
export async function ocsStreamsRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ns = '/Tenants/:tenantId/Namespaces/:namespaceId';
  // Only these reads may go through a community; anything else carrying the header is refused.
  const sharedReads = new Set(['', '/Resolved', '/Data', '/Data/First', '/Data/Last'].map((tail) => `GET ${ns}/Streams/:streamId${tail}`.toLowerCase()));
  sharedReads.add(`GET ${ns}/Streams`.toLowerCase());
  r.addHook('preHandler', async (request) => {
    const route = `${request.method} ${request.routeOptions.url ?? ''}`.toLowerCase().replace(/^(\w+) \/api\/v1(-preview)?/, '$1 ');
    if (!sharedReads.has(route)) streams.refuseShared(viaOf(request));
  });

  r.get('/Tenants/:tenantId/Namespaces', { schema: { tags, params: z.object({ tenantId: z.string().max(100) }), querystring: z.object({ region: z.string().max(100).optional() }) } }, async (request) =>
    streams.listNamespacesOf(deps, principalOf(request), request.params.tenantId),
  );

  r.get(`${ns}/Types`, { schema: { tags, params: NamespaceParams, querystring: OcsPaging } }, async (request) =>
    streams.listTypes(deps, principalOf(request), scopeOf(request.params), request.query.skip, request.query.count),
  );
  r.get(`${ns}/Types/:typeId`, { schema: { tags, params: TypeParams } }, async (request) =>
    streams.getType(deps, principalOf(request), scopeOf(request.params), request.params.typeId),
  );
  r.post(`${ns}/Types/:typeId`, { schema: { tags, params: TypeParams, body: SdsTypeInput } }, async (request, reply) =>
    created(request, reply, await streams.getOrCreateType(deps, principalOf(request), scopeOf(request.params), request.params.typeId, request.body)),
  );
  r.delete(`${ns}/Types/:typeId`, { schema: { tags, params: TypeParams } }, async (request, reply) => {
    await streams.deleteType(deps, principalOf(request), scopeOf(request.params), request.params.typeId);
    return reply.status(204).send();
  });

  r.get(`${ns}/Streams`, { schema: { tags, params: NamespaceParams, querystring: OcsPaging, response: { 200: z.array(StreamOutput) } } }, async (request) =>
    streams.listStreams(deps, principalOf(request), scopeOf(request.params), request.query.query, request.query.skip, request.query.count, viaOf(request)),
  );
  r.get(`${ns}/Streams/:streamId`, { schema: { tags, params: StreamParams, response: { 200: StreamOutput } } }, async (request) =>
    streams.getStream(deps, principalOf(request), scopeOf(request.params), request.params.streamId, viaOf(request)),
  );
  r.post(`${ns}/Streams/:streamId`, { schema: { tags, params: StreamParams, body: StreamInput } }, async (request, reply) =>
    created(request, reply, await streams.getOrCreateStream(deps, principalOf(request), scopeOf(request.params), request.params.streamId, request.body)),
  );
  r.delete(`${ns}/Streams/:streamId`, { schema: { tags, params: StreamParams } }, async (request, reply) => {
    await streams.deleteStream(deps, principalOf(request), scopeOf(request.params), request.params.streamId);
    return reply.status(204).send();
  });
  r.get(`${ns}/Streams/:streamId/Type`, { schema: { tags, params: StreamParams } }, async (request) =>
    streams.getStreamType(deps, principalOf(request), scopeOf(request.params), request.params.streamId),
  );
  r.get(`${ns}/Streams/:streamId/Resolved`, { schema: { tags, params: StreamParams } }, async (request) =>
    streams.getResolvedStream(deps, principalOf(request), scopeOf(request.params), request.params.streamId, viaOf(request)),
  );

  const Events = z.array(AnyJson).max(100_000);
  r.post(`${ns}/Streams/:streamId/Data`, { schema: { tags, params: StreamParams, body: Events }, bodyLimit: 32 * 1024 * 1024 }, async (request, reply) => {
    await streams.writeData(deps, principalOf(request), scopeOf(request.params), request.params.streamId, request.body, 'insert');
    return reply.status(204).send();
  });
  r.put(`${ns}/Streams/:streamId/Data`, { schema: { tags, params: StreamParams, body: Events }, bodyLimit: 32 * 1024 * 1024 }, async (request, reply) => {
    await streams.writeData(deps, principalOf(request), scopeOf(request.params), request.params.streamId, request.body, 'upsert');
    return reply.status(204).send();
  });
  r.delete(`${ns}/Streams/:streamId/Data`, { schema: { tags, params: StreamParams, querystring: WindowQuery } }, async (request, reply) => {
    const { index, startIndex, endIndex } = request.query;
    await streams.removeWindow(deps, principalOf(request), scopeOf(request.params), request.params.streamId, startIndex ?? index, endIndex ?? index);
    return reply.status(204).send();
  });
  r.get(`${ns}/Streams/:streamId/Data`, { schema: { tags, params: StreamParams, querystring: WindowQuery } }, async (request, reply) => {
    noFilter(request.query.filter);
    const { index, startIndex, endIndex } = request.query;
    const json = await streams.readWindow(deps, principalOf(request), scopeOf(request.params), request.params.streamId, startIndex ?? index, endIndex ?? index, viaOf(request));
    return reply.type('application/json; charset=utf-8').send(json);
  });
  for (const edge of ['first', 'last'] as const) {
    r.get(`${ns}/Streams/:streamId/Data/${edge === 'first' ? 'First' : 'Last'}`, { schema: { tags, params: StreamParams } }, async (request, reply) => {
      const event = await streams.readEdge(deps, principalOf(request), scopeOf(request.params), request.params.streamId, edge, viaOf(request));
      return reply.type('application/json').send(JSON.stringify(event));
    });
  }

  r.get(`${ns}/Streams/:streamId/AccessControl`, { schema: { tags, params: StreamParams } }, async (request) =>
    streams.getAcl(deps, principalOf(request), scopeOf(request.params), request.params.streamId),
  );
  r.put(`${ns}/Streams/:streamId/AccessControl`, { schema: { tags, params: StreamParams, body: AnyJson } }, async (request, reply) => {
    await streams.putAcl(deps, principalOf(request), scopeOf(request.params), request.params.streamId, request.body);
    return reply.status(204).send();
  });
  r.patch(`${ns}/Streams/:streamId/AccessControl`, { schema: { tags, params: StreamParams, body: AnyJson } }, async (request) =>
    streams.patchAcl(deps, principalOf(request), scopeOf(request.params), request.params.streamId, request.body),
  );
}

const SearchQuery = OcsPaging.extend({
  pageSize: z.coerce.number().int().min(1).max(1000).optional(),
  orderBy: z.string().max(100).optional(),
  searchTenantId: z.string().max(100).optional(),
});
const CommunityParams = z.object({ communityId: z.string().regex(/^[0-9a-f-]{36}$/i, 'must be a community id (GUID)') });

/** Community search (S1) and summary (S4), as documented and on the legacy tenant paths. */
export async function ocsCommunityDataRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const search = (request: FastifyRequest, communityId: string, query: z.infer<typeof SearchQuery>) =>
    searchCommunityStreams(deps, principalOf(request), communityId, {
      query: query.query,
      skip: query.skip,
      count: query.pageSize ?? query.count,
      orderBy: query.orderBy,
    });
  const LegacyParams = CommunityParams.extend({ tenantId: z.string().max(100) });
  r.get('/Search/Communities/:communityId/Streams', { schema: { tags, params: CommunityParams, querystring: SearchQuery } }, async (request) =>
    search(request, request.params.communityId, request.query),
  );
  r.get('/Tenants/:tenantId/Search/Communities/:communityId/Streams', { schema: { tags, params: LegacyParams, querystring: SearchQuery } }, async (request) => {
    const results = await search(request, request.params.communityId, request.query);
    const only = request.query.searchTenantId;
    return only && only !== '00000000-0000-0000-0000-000000000000' ? results.filter((x) => x.TenantId === only) : results;
  });
  r.get('/Communities/:communityId/Summary', { schema: { tags, params: CommunityParams, querystring: z.object({ excludeCrossRegions: z.string().max(10).optional() }) } }, async (request) =>
    communitySummary(deps, principalOf(request), request.params.communityId),
  );
  r.get('/Tenants/:tenantId/Communities/:communityId/Summary', { schema: { tags, params: LegacyParams } }, async (request) =>
    communitySummary(deps, principalOf(request), request.params.communityId),
  );
}
