import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as s from '../../modules/organizations/organizations.schemas.js';
import * as workRequests from '../../modules/work-requests/work-requests.service.js';
import { offsetOf, setNextPage } from './oci-http.js';

const Params = z.object({ workRequestId: z.string().min(1).max(255) });
const Paging = z.object({ page: s.PageToken, limit: s.Limit, sortOrder: s.SortOrder });

export async function workRequestRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['oci-organizations'];

  r.get('/workRequests/:workRequestId', { schema: { tags, params: Params, response: { 200: s.WorkRequest } } }, async (request, reply) => {
    const workRequest = await workRequests.getWorkRequest(deps, principalOf(request), request.params.workRequestId);
    // The SDK's waiter polls until timeFinished; tell it when to look again.
    if (!workRequest.timeFinished) reply.header('retry-after', '1');
    return workRequest;
  });

  r.get(
    '/workRequests',
    { schema: { tags, querystring: Paging.extend({ compartmentId: z.string().max(255).optional() }), response: { 200: s.collection(s.WorkRequest) } } },
    async (request, reply) => {
      const q = request.query;
      const result = await workRequests.listWorkRequests(deps, principalOf(request), { compartmentId: q.compartmentId, offset: offsetOf(q.page), limit: q.limit, sortOrder: q.sortOrder });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get(
    '/workRequests/:workRequestId/errors',
    { schema: { tags, params: Params, querystring: Paging, response: { 200: s.collection(s.WorkRequestError) } } },
    async (request, reply) => {
      const q = request.query;
      const result = await workRequests.listWorkRequestErrors(deps, principalOf(request), request.params.workRequestId, { offset: offsetOf(q.page), limit: q.limit, sortOrder: q.sortOrder });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get(
    '/workRequests/:workRequestId/logs',
    { schema: { tags, params: Params, querystring: Paging, response: { 200: s.collection(s.WorkRequestLogEntry) } } },
    async (request, reply) => {
      const q = request.query;
      const result = await workRequests.listWorkRequestLogs(deps, principalOf(request), request.params.workRequestId, { offset: offsetOf(q.page), limit: q.limit, sortOrder: q.sortOrder });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );
}
