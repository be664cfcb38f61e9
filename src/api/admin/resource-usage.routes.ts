import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { operatorAuth, principalOf } from '../../platform/http/auth.js';
import { listResourceUsage, setResourceUsage } from '../../modules/governance/resource-usage.service.js';

// Operator API: how much of each catalogued limit a tenancy uses (QUOTA governance rules refuse more).

const Params = z.strictObject({ tenantId: z.string().min(1).max(200) });
const ResourceUsage = z.object({
  serviceName: z.string(),
  limitName: z.string(),
  region: z.string(),
  used: z.number(),
  serviceLimit: z.number(),
  effectiveQuotaValue: z.number().optional(),
  available: z.number(),
  timeUpdated: z.string().optional(),
});
const tags = ['operator'];

export async function resourceUsageRoutes(app: FastifyInstance, opts: { deps: ServiceDeps; operatorToken: string }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('onRequest', operatorAuth(opts.operatorToken));

  r.get('/tenants/:tenantId/resource-usage', { schema: { tags, params: Params, response: { 200: z.array(ResourceUsage) } } }, async (request) =>
    listResourceUsage(deps, request.params.tenantId),
  );

  r.put(
    '/tenants/:tenantId/resource-usage',
    {
      schema: {
        tags,
        params: Params,
        body: z.strictObject({
          serviceName: z.string().min(1).max(100),
          limitName: z.string().min(1).max(100),
          region: z.string().min(1).max(64).optional(),
          used: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        }),
        response: { 200: ResourceUsage },
      },
    },
    async (request) => setResourceUsage(deps, principalOf(request), request.params.tenantId, request.body),
  );
}
