import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import { listCommunityIdsOfTenant } from '../../modules/communities/communities.service.js';
import { listTenantRoles } from '../../modules/identity/identity.service.js';
import { OcsPaging } from './paging.js';

const RoleOutput = z.object({
  Id: z.string(),
  Name: z.string(),
  Description: z.string(),
  RoleScope: z.number().int(),
  TenantId: z.string().nullable(),
  CommunityId: z.string().nullable(),
  RoleTypeId: z.string().nullable(),
});

export async function ocsRolesRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/Tenants/:tenantId/Roles',
    {
      schema: {
        tags: ['ocs'],
        params: z.object({ tenantId: z.string().max(200) }),
        querystring: OcsPaging,
        response: { 200: z.array(RoleOutput) },
      },
    },
    async (request) => {
      // The member role of each community the tenant belongs to is listed too (ocs-client-compat.md item 17).
      const communityIds = await listCommunityIdsOfTenant(opts.deps, request.params.tenantId);
      const roles = await listTenantRoles(opts.deps, principalOf(request), request.params.tenantId, request.query.skip, request.query.count, communityIds);
      return roles.map((role) => ({
        Id: role.id,
        Name: role.name,
        Description: role.description,
        RoleScope: role.roleScope,
        TenantId: role.tenantId,
        CommunityId: role.communityId,
        RoleTypeId: role.roleTypeId,
      }));
    },
  );
}
