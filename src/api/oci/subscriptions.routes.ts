import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as subs from '../../modules/organizations/org-subscriptions.service.js';
import * as s from '../../modules/organizations/organizations.schemas.js';
import { idempotent, ifMatchOf, offsetOf, send, setNextPage, withEtag } from './oci-http.js';

const Id = z.string().min(1).max(255);
const Sorted = z.object({ page: s.PageToken, limit: s.Limit, sortBy: s.SortBy, sortOrder: s.SortOrder });
const Filters = Sorted.extend({ compartmentId: z.string().max(255).optional(), subscriptionId: z.string().max(255).optional(), entityVersion: z.enum(['V1', 'V2']).optional() });
const LineItems = z.object({ items: z.array(z.object({ id: z.string() })) });

/** Subscriptions, assigned subscriptions, available regions and subscription mappings. */
export async function subscriptionRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['oci-organizations'];

  r.get('/subscriptions', { schema: { tags, querystring: Filters, response: { 200: s.collection(s.Subscription) } } }, async (request, reply) => {
    const q = request.query;
    const result = await subs.listSubscriptions(deps, principalOf(request), { ...q, offset: offsetOf(q.page) });
    setNextPage(reply, result.next);
    return { items: result.items };
  });

  r.get('/subscriptions/:subscriptionId', { schema: { tags, params: z.object({ subscriptionId: Id }), response: { 200: s.Subscription } } }, async (request, reply) =>
    send(reply, withEtag(await subs.getSubscription(deps, principalOf(request), request.params.subscriptionId))),
  );

  r.get(
    '/subscriptions/:subscriptionId/availableRegions',
    { schema: { tags, params: z.object({ subscriptionId: Id }), querystring: z.object({ page: s.PageToken }), response: { 200: s.collection(z.object({ regionName: z.string() })) } } },
    async (request) => {
      const regions = await subs.listAvailableRegions(deps, principalOf(request), request.params.subscriptionId);
      return { items: regions.map((regionName) => ({ regionName })) };
    },
  );

  r.get(
    '/subscriptions/:subscriptionId/subscriptionLineItems',
    { schema: { tags, params: z.object({ subscriptionId: Id }), querystring: Sorted, response: { 200: LineItems } } },
    async (request) => ({ items: await subs.listLineItems(deps, principalOf(request), request.params.subscriptionId, false) }),
  );

  r.get('/assignedSubscriptions', { schema: { tags, querystring: Filters, response: { 200: s.collection(s.Subscription) } } }, async (request, reply) => {
    const q = request.query;
    const result = await subs.listAssignedSubscriptions(deps, principalOf(request), { ...q, offset: offsetOf(q.page) });
    setNextPage(reply, result.next);
    return { items: result.items };
  });

  r.get(
    '/assignedSubscriptions/:assignedSubscriptionId',
    { schema: { tags, params: z.object({ assignedSubscriptionId: Id }), response: { 200: s.Subscription } } },
    async (request, reply) => send(reply, withEtag(await subs.getAssignedSubscription(deps, principalOf(request), request.params.assignedSubscriptionId))),
  );

  r.get(
    '/assignedSubscriptions/:assignedSubscriptionId/assignedSubscriptionLineItems',
    { schema: { tags, params: z.object({ assignedSubscriptionId: Id }), querystring: Sorted, response: { 200: LineItems } } },
    async (request) => ({ items: await subs.listLineItems(deps, principalOf(request), request.params.assignedSubscriptionId, true) }),
  );

  r.post(
    '/subscriptionMappings',
    { schema: { tags, body: s.CreateSubscriptionMappingDetails, response: { 200: s.SubscriptionMapping } } },
    async (request, reply) => idempotent(deps, request, reply, async (actor) => withEtag(await subs.createSubscriptionMapping(deps, actor, request.body))),
  );

  r.get(
    '/subscriptionMappings',
    {
      schema: {
        tags,
        querystring: Sorted.extend({
          subscriptionId: z.string().max(255).optional(),
          subscriptionMappingId: z.string().max(255).optional(),
          compartmentId: z.string().max(255).optional(),
          lifecycleState: z.enum(s.MAPPING_STATES).optional(),
        }),
        response: { 200: s.collection(s.SubscriptionMapping) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const result = await subs.listSubscriptionMappings(deps, principalOf(request), { ...q, offset: offsetOf(q.page) });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  const MappingParams = z.object({ subscriptionMappingId: Id });
  r.get('/subscriptionMappings/:subscriptionMappingId', { schema: { tags, params: MappingParams, response: { 200: s.SubscriptionMapping } } }, async (request, reply) =>
    send(reply, withEtag(await subs.getSubscriptionMapping(deps, principalOf(request), request.params.subscriptionMappingId))),
  );

  r.delete('/subscriptionMappings/:subscriptionMappingId', { schema: { tags, params: MappingParams } }, async (request, reply) => {
    await subs.deleteSubscriptionMapping(deps, principalOf(request), request.params.subscriptionMappingId, ifMatchOf(request));
    return reply.status(204).send();
  });
}
