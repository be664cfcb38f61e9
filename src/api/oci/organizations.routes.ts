import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as orgs from '../../modules/organizations/organizations.service.js';
import * as s from '../../modules/organizations/organizations.schemas.js';
import { accepted, idempotent, ifMatchOf, offsetOf, send, setNextPage, withEtag } from './oci-http.js';

const Id = z.string().min(1).max(255);
const OrgParams = z.object({ organizationId: Id });
const TenancyParams = z.object({ organizationTenancyId: Id });
const Compartment = z.object({ compartmentId: z.string().max(255).optional() });

/** Organizations, organization tenancies, governance opt-in/out and child tenancies. */
export async function organizationRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['oci-organizations'];

  r.get(
    '/organizations',
    { schema: { tags, querystring: Compartment.extend({ page: s.PageToken, limit: s.Limit }), response: { 200: s.collection(s.Organization) } } },
    async (request, reply) => {
      const q = request.query;
      const result = await orgs.listOrganizations(deps, principalOf(request), { compartmentId: q.compartmentId, offset: offsetOf(q.page), limit: q.limit });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get('/organizations/:organizationId', { schema: { tags, params: OrgParams, response: { 200: s.Organization } } }, async (request, reply) =>
    send(reply, withEtag(await orgs.getOrganization(deps, principalOf(request), request.params.organizationId))),
  );

  r.put('/organizations/:organizationId', { schema: { tags, params: OrgParams, body: s.UpdateOrganizationDetails } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) =>
      accepted(await orgs.updateOrganization(deps, actor, request.params.organizationId, ifMatchOf(request), request.body)),
    ),
  );

  r.get(
    '/organizations/:organizationId/tenancies',
    { schema: { tags, params: OrgParams, querystring: z.object({ page: s.PageToken, limit: s.Limit }), response: { 200: s.collection(s.OrganizationTenancy) } } },
    async (request, reply) => {
      const result = await orgs.listOrganizationTenancies(deps, principalOf(request), request.params.organizationId, {
        offset: offsetOf(request.query.page),
        limit: request.query.limit,
      });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get(
    '/organizations/:organizationId/tenancies/:tenancyId',
    { schema: { tags, params: OrgParams.extend({ tenancyId: Id }), response: { 200: s.OrganizationTenancy } } },
    async (request, reply) =>
      send(reply, withEtag(await orgs.getOrganizationTenancy(deps, principalOf(request), request.params.organizationId, request.params.tenancyId))),
  );

  const GovernanceParams = OrgParams.extend({ organizationTenancyId: Id });
  r.post('/organizations/:organizationId/tenancies/:organizationTenancyId/actions/addGovernance', { schema: { tags, params: GovernanceParams } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) =>
      accepted(await orgs.addGovernance(deps, actor, request.params.organizationId, request.params.organizationTenancyId, ifMatchOf(request))),
    ),
  );
  r.post('/organizations/:organizationId/tenancies/:organizationTenancyId/actions/removeGovernance', { schema: { tags, params: GovernanceParams } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) =>
      accepted(await orgs.removeGovernance(deps, actor, request.params.organizationId, request.params.organizationTenancyId, ifMatchOf(request))),
    ),
  );

  r.delete('/organizationTenancies/:organizationTenancyId', { schema: { tags, params: TenancyParams } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) =>
      accepted(await orgs.deleteOrganizationTenancy(deps, actor, request.params.organizationTenancyId, ifMatchOf(request))),
    ),
  );
  r.post('/organizationTenancies/:organizationTenancyId/actions/restore', { schema: { tags, params: TenancyParams } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) =>
      accepted(await orgs.restoreOrganizationTenancy(deps, actor, request.params.organizationTenancyId, ifMatchOf(request))),
    ),
  );
  for (const [action, approved] of [['approveForTransfer', true], ['unapproveForTransfer', false]] as const) {
    r.post(
      `/organizationTenancies/:organizationTenancyId/actions/${action}`,
      { schema: { tags, params: TenancyParams, querystring: Compartment, response: { 200: s.OrganizationTenancy } } },
      async (request, reply) =>
        idempotent(deps, request, reply, async (actor) =>
          withEtag(await orgs.setApprovedForTransfer(deps, actor, request.params.organizationTenancyId, request.query.compartmentId, ifMatchOf(request), approved)),
        ),
    );
  }

  r.post('/childTenancies', { schema: { tags, body: s.CreateChildTenancyDetails } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) => accepted(await orgs.createChildTenancy(deps, actor, request.body))),
  );
}
