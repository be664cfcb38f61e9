import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as limits from '../../modules/governance/limits.service.js';
import { send, withEtag } from './oci-http.js';

// The OCI Limits API shape (oci-limits): LimitsClient under /20190729, QuotasClient under /20181025.
// List operations answer a JSON array (the SDK reads it as `items`).

const Id = z.string().min(1).max(255);
const Common = { compartmentId: Id.optional(), limit: z.coerce.number().int().min(1).max(1000).optional(), page: z.string().max(64).optional(), sortOrder: z.string().max(8).optional(), sortBy: z.string().max(32).optional(), subscriptionId: Id.optional() };
const tags = ['oci-limits'];

const Quota = z.object({
  id: z.string(),
  compartmentId: z.string(),
  name: z.string(),
  description: z.string(),
  statements: z.array(z.string()),
  timeCreated: z.string(),
  lifecycleState: z.string(),
  locks: z.array(z.object({ type: z.string(), relatedResourceId: z.string(), message: z.string(), timeCreated: z.string() })),
  freeformTags: z.record(z.string(), z.string()),
  definedTags: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export async function limitsRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/services', { schema: { tags, querystring: z.object(Common), response: { 200: z.array(z.object({ name: z.string(), description: z.string() })) } } }, async (request) =>
    limits.listServices(deps, principalOf(request), request.query),
  );

  r.get(
    '/limitDefinitions',
    {
      schema: {
        tags,
        querystring: z.object({ ...Common, serviceName: z.string().max(100).optional(), name: z.string().max(100).optional() }),
        response: {
          200: z.array(
            z.object({
              name: z.string(),
              serviceName: z.string(),
              description: z.string(),
              scopeType: z.string(),
              areQuotasSupported: z.boolean(),
              isResourceAvailabilitySupported: z.boolean(),
              isDeprecated: z.boolean(),
              isEligibleForLimitIncrease: z.boolean(),
              isDynamic: z.boolean(),
              supportedQuotaFamilies: z.array(z.string()),
            }),
          ),
        },
      },
    },
    async (request) => limits.listLimitDefinitions(deps, principalOf(request), request.query),
  );

  r.get(
    '/limitValues',
    {
      schema: {
        tags,
        querystring: z.object({ ...Common, serviceName: z.string().max(100).optional(), name: z.string().max(100).optional(), scopeType: z.string().max(16).optional(), availabilityDomain: z.string().max(100).optional() }),
        response: { 200: z.array(z.object({ name: z.string(), scopeType: z.string(), availabilityDomain: z.string().optional(), value: z.number() })) },
      },
    },
    async (request) => limits.listLimitValues(deps, principalOf(request), request.query),
  );

  r.get(
    '/services/:serviceName/limits/:limitName/resourceAvailability',
    {
      schema: {
        tags,
        params: z.object({ serviceName: z.string().min(1).max(100), limitName: z.string().min(1).max(100) }),
        querystring: z.object({ compartmentId: Id.optional(), availabilityDomain: z.string().max(100).optional(), subscriptionId: Id.optional() }),
        response: {
          200: z.object({ used: z.number(), available: z.number(), effectiveQuotaValue: z.number().optional(), fractionalUsage: z.number(), fractionalAvailability: z.number() }),
        },
      },
    },
    async (request) => limits.getResourceAvailability(deps, principalOf(request), { ...request.params, compartmentId: request.query.compartmentId }),
  );
}

export async function quotasRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = z.object({ quotaId: Id });

  r.get(
    '/quotas',
    {
      schema: { tags, querystring: z.object({ ...Common, name: z.string().max(100).optional(), lifecycleState: z.string().max(16).optional() }), response: { 200: z.array(Quota.omit({ statements: true })) } },
    },
    async (request) => limits.listQuotas(deps, principalOf(request), request.query),
  );

  r.get('/quotas/:quotaId', { schema: { tags, params: Params, response: { 200: Quota } } }, async (request, reply) =>
    send(reply, withEtag(await limits.getQuota(deps, principalOf(request), request.params.quotaId))),
  );

  // Every quota held here is locked by organization governance.
  r.put('/quotas/:quotaId', { schema: { tags, params: Params } }, async (request) => limits.refuseQuotaChange(deps, principalOf(request), request.params.quotaId));
  r.delete('/quotas/:quotaId', { schema: { tags, params: Params } }, async (request) => limits.refuseQuotaChange(deps, principalOf(request), request.params.quotaId));
  r.post('/quotas', { schema: { tags } }, async () => {
    throw limits.notSupported('createQuota');
  });
}
