import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as links from '../../modules/organizations/links.service.js';
import * as s from '../../modules/organizations/organizations.schemas.js';
import { accepted, idempotent, ifMatchOf, offsetOf, send, setNextPage, withEtag } from './oci-http.js';

const Params = z.object({ linkId: z.string().min(1).max(255) });

export async function linkRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['oci-organizations'];

  r.get(
    '/links',
    {
      schema: {
        tags,
        querystring: z.object({
          parentTenancyId: z.string().max(255).optional(),
          childTenancyId: z.string().max(255).optional(),
          feature: z.string().max(100).optional(),
          lifecycleState: z.enum(s.LIFECYCLE_STATES).optional(),
          page: s.PageToken,
          limit: s.Limit,
          sortOrder: s.SortOrder,
        }),
        response: { 200: s.collection(s.Link) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const result = await links.listLinks(deps, principalOf(request), {
        parentTenancyId: q.parentTenancyId,
        childTenancyId: q.childTenancyId,
        feature: q.feature,
        lifecycleState: q.lifecycleState,
        offset: offsetOf(q.page),
        limit: q.limit,
        sortOrder: q.sortOrder,
      });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get('/links/:linkId', { schema: { tags, params: Params, response: { 200: s.Link } } }, async (request, reply) =>
    send(reply, withEtag(await links.getLink(deps, principalOf(request), request.params.linkId))),
  );

  r.get('/links/:linkId/tenancyNames', { schema: { tags, params: Params, response: { 200: s.LinkWithTenancyNames } } }, async (request, reply) =>
    send(reply, withEtag(await links.getLinkWithTenancyNames(deps, principalOf(request), request.params.linkId))),
  );

  r.delete('/links/:linkId', { schema: { tags, params: Params } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) => accepted(await links.deleteLink(deps, actor, request.params.linkId, ifMatchOf(request)))),
  );
}
