import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { operatorAuth, principalOf } from '../../platform/http/auth.js';
import { addRegionSubscription, listRegionSubscriptions } from '../../modules/governance/region-subscriptions.service.js';

// Operator API: a tenancy's region subscriptions (ALLOWED_REGIONS governance rules restrict new ones).

const Params = z.strictObject({ tenantId: z.string().min(1).max(200) });
const RegionSubscription = z.object({ region: z.string(), isHomeRegion: z.boolean(), status: z.string(), timeCreated: z.string().optional() });
const tags = ['operator'];

export async function regionSubscriptionRoutes(app: FastifyInstance, opts: { deps: ServiceDeps; operatorToken: string }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('onRequest', operatorAuth(opts.operatorToken));

  r.get('/tenants/:tenantId/region-subscriptions', { schema: { tags, params: Params, response: { 200: z.array(RegionSubscription) } } }, async (request) =>
    listRegionSubscriptions(deps, request.params.tenantId),
  );

  r.post(
    '/tenants/:tenantId/region-subscriptions',
    { schema: { tags, params: Params, body: z.strictObject({ region: z.string().min(1).max(64) }), response: { 200: RegionSubscription, 201: RegionSubscription } } },
    async (request, reply) => {
      const { subscription, created } = await addRegionSubscription(deps, principalOf(request), request.params.tenantId, request.body.region);
      return reply.status(created ? 201 : 200).send(subscription);
    },
  );
}
