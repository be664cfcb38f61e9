import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as s from '../../modules/communities/communities.schemas.js';
import * as tenants from '../../modules/communities/community-tenants.service.js';
import * as members from '../../modules/communities/community-members.service.js';
import { aclIn, aclOut, clientOut, communityTenantOut, trusteeIn, trusteeOut, userOut } from './communities.wire.js';
import { OcsPaging } from './paging.js';

const tags = ['ocs-communities'];
/** 204: nothing changed (T1/T2) or the tenant was removed (legacy Status Remove). */
const NoContent = z.undefined();
const TenantParams = z.object({ communityId: s.Guid, tenantId: s.Guid });
const UserParams = TenantParams.extend({ userId: s.Guid });
const ClientParams = TenantParams.extend({ clientId: s.Guid });

type Deps = { deps: ServiceDeps };

/** Community tenants (§2.4) and their users and clients (§2.6). */
export async function communityTenantRoutes(app: FastifyInstance, opts: Deps): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/Communities/:communityId/Tenants/:tenantId';
  registerMembershipRoutes(app, deps, base);
  registerRightsRoutes(app, deps, base);
  registerIdentityProviderRoutes(app, deps, base);

  for (const kind of ['Users', 'ClientCredentialClients'] as const) {
    const memberKind: members.MemberKind = kind === 'Users' ? 'users' : 'clients';
    const Output = kind === 'Users' ? s.UserOutput : s.ClientOutput;
    // GET answers HEAD too (Fastify exposes HEAD routes); both carry the total in Total-Count.
    r.get(
      `${base}/${kind}`,
      { schema: { tags, params: TenantParams, querystring: OcsPaging, response: { 200: z.array(Output) } } },
      async (request, reply) => {
        const { communityId, tenantId } = request.params;
        const list = await members.listMembers(deps, principalOf(request), communityId, tenantId, memberKind, request.query);
        reply.header('Total-Count', String(list.total));
        return memberKind === 'users' ? list.users.map(userOut) : list.clients.map(clientOut);
      },
    );
    const param = kind === 'Users' ? 'userId' : 'clientId';
    const Params = kind === 'Users' ? UserParams : ClientParams;
    r.put(
      `${base}/${kind}/:${param}`,
      { schema: { tags, params: Params, body: s.RoleIdsInput, response: { 200: Output, 201: Output } } },
      async (request, reply) => {
        const p = request.params as z.infer<typeof UserParams> & z.infer<typeof ClientParams>;
        const id = memberKind === 'users' ? p.userId : p.clientId;
        const result = await members.addMember(deps, principalOf(request), p.communityId, p.tenantId, memberKind, id, request.body);
        return reply.status(result.created ? 201 : 200).send(result.user ? userOut(result.user) : clientOut(result.client!));
      },
    );
    r.delete(`${base}/${kind}/:${param}`, { schema: { tags, params: Params } }, async (request, reply) => {
      const p = request.params as z.infer<typeof UserParams> & z.infer<typeof ClientParams>;
      const id = memberKind === 'users' ? p.userId : p.clientId;
      await members.removeMember(deps, principalOf(request), p.communityId, p.tenantId, memberKind, id);
      return reply.status(204).send();
    });
  }
}

/** G1–G4 and P1–P4: identity-provider groups and claims of one member tenant. */
function registerIdentityProviderRoutes(app: FastifyInstance, deps: ServiceDeps, base: string): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const IdpParams = TenantParams.extend({ identityProviderId: s.Guid });
  const GroupParams = IdpParams.extend({ groupId: z.string().min(1).max(255) });
  const ClaimParams = IdpParams.extend({ claimId: z.string().min(1).max(255) });
  const idp = `${base}/IdentityProviders/:identityProviderId`;
  const groupOut = (g: { id: string; name: string }) => ({ Id: g.id, Name: g.name, Email: null, IsClusterManagementAllowed: false });

  r.get(`${idp}/Groups`, { schema: { tags, params: IdpParams, querystring: OcsPaging, response: { 200: s.GroupListOutput } } }, async (request, reply) => {
    const p = request.params;
    const list = await members.listGroups(deps, principalOf(request), p.communityId, p.tenantId, p.identityProviderId, request.query);
    reply.header('Total-Count', String(list.total));
    return { Results: list.groups.map(groupOut), SkipToken: null };
  });
  r.put(`${idp}/Groups/:groupId`, { schema: { tags, params: GroupParams, response: { 200: s.GroupOutput } } }, async (request) => {
    const p = request.params;
    return groupOut(await members.addGroup(deps, principalOf(request), p.communityId, p.tenantId, p.identityProviderId, p.groupId));
  });
  r.delete(`${idp}/Groups/:groupId`, { schema: { tags, params: GroupParams } }, async (request, reply) => {
    const p = request.params;
    await members.removeGroup(deps, principalOf(request), p.communityId, p.tenantId, p.identityProviderId, p.groupId);
    return reply.status(204).send();
  });
  r.get(`${idp}/Claims`, { schema: { tags, params: IdpParams, querystring: OcsPaging, response: { 200: z.array(s.ClaimOutput) } } }, async (request, reply) => {
    const p = request.params;
    const claims = await members.listClaims(deps, principalOf(request), p.communityId, p.tenantId, p.identityProviderId);
    reply.header('Total-Count', String(claims.length));
    return claims;
  });
  for (const method of ['put', 'delete'] as const) {
    r[method](`${idp}/Claims/:claimId`, { schema: { tags, params: ClaimParams } }, async (request) => {
      const p = request.params;
      return members.changeClaim(deps, principalOf(request), p.communityId, p.tenantId, p.identityProviderId, p.claimId);
    });
  }
}

/** T1–T3: update, merge-patch, remove or leave. */
function registerMembershipRoutes(app: FastifyInstance, deps: ServiceDeps, base: string): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const method of ['put', 'patch'] as const) {
    r[method](
      base,
      { schema: { tags, params: TenantParams, body: s.UpdateCommunityTenantInput.optional(), response: { 200: s.CommunityTenantOutput, 204: NoContent } } },
      async (request, reply) => {
        const body = request.body ?? {};
        const updated = await tenants.updateCommunityTenant(
          deps,
          principalOf(request),
          request.params.communityId,
          request.params.tenantId,
          { status: body.Status, preferredRegionId: body.PreferredRegionId, contactEmail: body.ContactEmail, communityAlias: body.CommunityAlias },
          method,
        );
        return updated ? communityTenantOut(updated) : reply.status(204).send(undefined);
      },
    );
  }

  r.delete(base, { schema: { tags, params: TenantParams } }, async (request, reply) => {
    await tenants.removeCommunityTenant(deps, principalOf(request), request.params.communityId, request.params.tenantId);
    return reply.status(204).send();
  });
}

/** T4–T9: access rights, community-admin ACL and owner of one member tenant. */
function registerRightsRoutes(app: FastifyInstance, deps: ServiceDeps, base: string): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(`${base}/AccessRights`, { schema: { tags, params: TenantParams, response: { 200: z.array(z.string()) } } }, async (request) => {
    return (await tenants.getAccessRights(deps, principalOf(request), request.params.communityId, request.params.tenantId)).names;
  });

  r.get(`${base}/ExtendedAccessRights`, { schema: { tags, params: TenantParams, response: { 200: z.array(z.number().int()) } } }, async (request) => {
    return (await tenants.getAccessRights(deps, principalOf(request), request.params.communityId, request.params.tenantId)).bits;
  });

  r.get(`${base}/AccessControl`, { schema: { tags, params: TenantParams, response: { 200: s.AccessControlListOutput } } }, async (request) =>
    aclOut(await tenants.getAccessControl(deps, principalOf(request), request.params.communityId, request.params.tenantId)),
  );

  r.put(`${base}/AccessControl`, { schema: { tags, params: TenantParams, body: s.AccessControlListInput } }, async (request, reply) => {
    await tenants.setAccessControl(deps, principalOf(request), request.params.communityId, request.params.tenantId, aclIn(request.body));
    return reply.status(204).send();
  });

  r.get(`${base}/Owner`, { schema: { tags, params: TenantParams } }, async (request, reply) => {
    const owner = await tenants.getOwner(deps, principalOf(request), request.params.communityId, request.params.tenantId);
    return owner ? trusteeOut(owner) : reply.status(200).send('');
  });

  r.put(`${base}/Owner`, { schema: { tags, params: TenantParams, body: s.TrusteeBody } }, async (request, reply) => {
    await tenants.setOwner(deps, principalOf(request), request.params.communityId, request.params.tenantId, trusteeIn(request.body));
    return reply.status(204).send();
  });
}

const LegacyStatusBody = z.object({ Status: z.string().max(50).nullish() }).passthrough();

/**
 * 2021–2023 member-tenant paths (served only under `/Tenants/{callerTenantId}`):
 * `…/CommunityTenants/{t}` and `…/MemberTenants/{t}` with `{Status}` where `Remove` removes.
 */
export async function legacyCommunityTenantRoutes(app: FastifyInstance, opts: Deps): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const collection of ['CommunityTenants', 'MemberTenants']) {
    const base = `/Communities/:communityId/${collection}/:tenantId`;
    registerRightsRoutes(app, deps, base);
    r.put(
      base,
      { schema: { tags, params: TenantParams, body: LegacyStatusBody.optional(), response: { 200: s.CommunityTenantOutput, 204: NoContent } } },
      async (request, reply) => {
        const { communityId, tenantId } = request.params;
        const status = request.body?.Status;
        if (typeof status === 'string' && status.toLowerCase() === 'remove') {
          await tenants.removeCommunityTenant(deps, principalOf(request), communityId, tenantId);
          return reply.status(204).send(undefined);
        }
        const updated = await tenants.updateCommunityTenant(deps, principalOf(request), communityId, tenantId, { status }, 'put');
        return updated ? communityTenantOut(updated) : reply.status(204).send(undefined);
      },
    );
    r.delete(base, { schema: { tags, params: TenantParams } }, async (request, reply) => {
      await tenants.removeCommunityTenant(deps, principalOf(request), request.params.communityId, request.params.tenantId);
      return reply.status(204).send();
    });
  }
}
