import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as collection from '../../modules/communities/collection-acl.service.js';

const tags = ['ocs-communities'];
const Params = z.object({ tenantId: z.string().max(100) });

/** §2.5: the tenant-level access control list of the community collection (A1–A3). */
export async function communityCollectionRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/Tenants/:tenantId/AccessControl/Communities', { schema: { tags, params: Params } }, async (request) =>
    collection.getCollectionAcl(deps, principalOf(request), request.params.tenantId),
  );
  r.put('/Tenants/:tenantId/AccessControl/Communities', { schema: { tags, params: Params, body: z.unknown() } }, async (request, reply) => {
    await collection.setCollectionAcl(deps, principalOf(request), request.params.tenantId, request.body);
    return reply.status(204).send();
  });
  r.get('/Tenants/:tenantId/AccessRights/Communities', { schema: { tags, params: Params, response: { 200: z.array(z.string()) } } }, async (request) =>
    collection.getCollectionRightNames(deps, principalOf(request), request.params.tenantId),
  );
}
