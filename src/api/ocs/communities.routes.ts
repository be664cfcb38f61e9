import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { forbidden } from '../../platform/errors.js';
import { principalOf } from '../../platform/http/auth.js';
import * as s from '../../modules/communities/communities.schemas.js';
import * as communities from '../../modules/communities/communities.service.js';
import * as invitations from '../../modules/communities/invitations.service.js';
import { communityTenantRoutes, legacyCommunityTenantRoutes } from './community-tenants.routes.js';
import { communityOut, invitationDetailsOut, invitationOut, roleOut } from './communities.wire.js';
import { OcsPaging } from './paging.js';

const tags = ['ocs-communities'];
const CommunityParams = z.object({ communityId: s.Guid });
const InvitationParams = z.object({ communityId: s.Guid, invitationId: s.Guid });

/**
 * The community-scoped routes of §2.1, §2.2, §2.4 and §2.6. They are served twice: as documented,
 * and under the legacy `/Tenants/{callerTenantId}` prefix the OCS sample library uses.
 */
async function communityScopedRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/Communities',
    { schema: { tags, querystring: OcsPaging, response: { 200: z.array(s.CommunityOutput) } } },
    async (request) => (await communities.listCommunities(deps, principalOf(request), request.query)).map(communityOut),
  );

  r.post(
    '/Communities',
    { schema: { tags, body: s.CreateCommunityInput, response: { 201: s.CommunityOutput } } },
    async (request, reply) => {
      const { Name, Description, PreferredRegionId, ContactEmail } = request.body;
      const community = await communities.createCommunity(deps, principalOf(request), {
        name: Name,
        description: Description,
        preferredRegionId: PreferredRegionId,
        contactEmail: ContactEmail,
      });
      return reply.status(201).send(communityOut(community));
    },
  );

  r.get(
    '/Communities/:communityId',
    { schema: { tags, params: CommunityParams, querystring: s.CommunityQuery, response: { 200: s.CommunityOutput } } },
    async (request) =>
      communityOut(await communities.getCommunity(deps, principalOf(request), request.params.communityId, request.query.resolveCompanyName)),
  );

  r.put(
    '/Communities/:communityId',
    { schema: { tags, params: CommunityParams, body: s.UpdateCommunityInput, response: { 200: s.CommunityOutput } } },
    async (request) => {
      const { Name, Description, PreferredRegionId } = request.body;
      return communityOut(
        await communities.updateCommunity(deps, principalOf(request), request.params.communityId, {
          name: Name,
          description: Description,
          preferredRegionId: PreferredRegionId,
        }),
      );
    },
  );

  r.delete('/Communities/:communityId', { schema: { tags, params: CommunityParams } }, async (request, reply) => {
    await communities.deleteCommunity(deps, principalOf(request), request.params.communityId);
    return reply.status(204).send();
  });

  r.get(
    '/Communities/:communityId/Roles',
    { schema: { tags, params: CommunityParams, querystring: OcsPaging, response: { 200: z.array(s.RoleOutput) } } },
    async (request) =>
      (await communities.listCommunityRoles(deps, principalOf(request), request.params.communityId, request.query)).map(roleOut),
  );

  r.get(
    '/Communities/:communityId/Invitations',
    { schema: { tags, params: CommunityParams, querystring: OcsPaging, response: { 200: z.array(s.InvitationOutput) } } },
    async (request) =>
      (await invitations.listInvitations(deps, principalOf(request), request.params.communityId, request.query)).map(invitationOut),
  );

  r.post(
    '/Communities/:communityId/Invitations',
    { schema: { tags, params: CommunityParams, body: s.CreateInvitationInput, response: { 201: s.InvitationOutput } } },
    async (request, reply) => {
      const invitation = await invitations.createInvitation(deps, principalOf(request), request.params.communityId, {
        recipient: request.body.InvitationRecipient,
      });
      return reply.status(201).send(invitationOut(invitation));
    },
  );

  r.get(
    '/Communities/:communityId/Invitations/:invitationId',
    { schema: { tags, params: InvitationParams, response: { 200: s.InvitationOutput } } },
    async (request) =>
      invitationOut(await invitations.getInvitation(deps, principalOf(request), request.params.communityId, request.params.invitationId)),
  );

  r.delete('/Communities/:communityId/Invitations/:invitationId', { schema: { tags, params: InvitationParams } }, async (request, reply) => {
    await invitations.deleteInvitation(deps, principalOf(request), request.params.communityId, request.params.invitationId);
    return reply.status(204).send();
  });

  await app.register(communityTenantRoutes, { deps });
}

/** The recipient side of invitations (§2.3), under both documented spellings. */
async function recipientRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = z.object({ invitationId: s.Guid });
  for (const base of ['/CommunityInvitations', '/Community/Invitations']) {
    for (const path of [`${base}/:invitationId/Details`, `${base}/:invitationId`]) {
      r.get(path, { schema: { tags, params: Params, response: { 200: s.InvitationDetailsOutput } } }, async (request) =>
        invitationDetailsOut(await invitations.getInvitationDetails(deps, principalOf(request), request.params.invitationId)),
      );
    }
    r.put(
      `${base}/:invitationId`,
      { schema: { tags, params: Params, body: s.ProcessInvitationInput.optional(), response: { 200: s.InvitationOutput, 202: s.InvitationOutput } } },
      async (request, reply) => {
        const result = await invitations.processInvitation(deps, principalOf(request), request.params.invitationId, {
          action: request.body?.Action,
          contactEmail: request.body?.ContactEmail,
        });
        return reply.status(result.status).send(invitationOut(result.invitation));
      },
    );
  }
  r.get(
    '/Tenants/:tenantId/CommunityInvitations',
    { schema: { tags, params: z.object({ tenantId: s.Guid }), querystring: OcsPaging, response: { 200: z.array(s.InvitationOutput) } } },
    async (request) =>
      (await invitations.listPendingConfirmations(deps, principalOf(request), request.params.tenantId, request.query)).map(invitationOut),
  );
}

/** Legacy routes name the caller's tenant in the path; another tenant's id there is refused. */
function callerTenantMatches(request: FastifyRequest): void {
  const claimed = (request.params as { callerTenantId?: string }).callerTenantId ?? '';
  if (claimed.toLowerCase() !== (principalOf(request).tenantId ?? '').toLowerCase()) {
    throw forbidden('COMMUNITY_ACCESS_DENIED', 'the tenant in the path must be your own tenant');
  }
}

export async function ocsCommunityRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  await app.register(communityScopedRoutes, opts);
  await app.register(recipientRoutes, opts);
  await app.register(
    async (legacy) => {
      legacy.addHook('preValidation', async (request) => callerTenantMatches(request));
      await legacy.register(communityScopedRoutes, opts);
      await legacy.register(legacyCommunityTenantRoutes, opts);
    },
    { prefix: '/Tenants/:callerTenantId' },
  );
}
