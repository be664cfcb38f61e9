import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import { requestSummarizedUsages } from '../../modules/metering/metering.service.js';

// The OCI Usage API's RequestSummarizedUsages (/20200107/usage) for the oci-usageapi client.

const Details = z.object({
  tenantId: z.string().min(1).max(255),
  timeUsageStarted: z.string().min(1).max(40),
  timeUsageEnded: z.string().min(1).max(40),
  granularity: z.enum(['HOURLY', 'DAILY', 'MONTHLY', 'TOTAL']),
  queryType: z.enum(['USAGE', 'COST', 'CREDIT', 'EXPIREDCREDIT', 'ALLCREDIT', 'USAGE_ONLY']).optional(),
  groupBy: z.array(z.string().max(40)).max(10).optional(),
  isAggregateByTime: z.boolean().optional(),
  compartmentDepth: z.number().optional(),
});

const Summary = z.object({
  tenantId: z.string().optional(),
  tenantName: z.string().optional(),
  service: z.string().optional(),
  subscriptionId: z.string().optional(),
  timeUsageStarted: z.string(),
  timeUsageEnded: z.string(),
  computedQuantity: z.number(),
  computedAmount: z.number().optional(),
  unit: z.string().optional(),
  currency: z.string().optional(),
});

export async function usageRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/usage',
    {
      schema: {
        tags: ['oci-usage'],
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional(), page: z.string().max(64).optional() }),
        body: Details,
        response: { 200: z.object({ groupBy: z.array(z.string()), items: z.array(Summary) }) },
      },
    },
    async (request) => requestSummarizedUsages(opts.deps, principalOf(request), request.body),
  );
}
