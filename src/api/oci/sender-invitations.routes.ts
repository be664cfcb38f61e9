import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as invitations from '../../modules/organizations/invitations.service.js';
import * as s from '../../modules/organizations/organizations.schemas.js';
import { accepted, idempotent, ifMatchOf, pageOf, send, setNextPage, withEtag } from './oci-http.js';

const Params = z.object({ senderInvitationId: z.string().min(1).max(255) });

export async function senderInvitationRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['oci-organizations'];

  r.post(
    '/senderInvitations',
    { schema: { tags, body: s.CreateSenderInvitationDetails, response: { 200: s.SenderInvitation } } },
    async (request, reply) =>
      idempotent(deps, request, reply, async (actor) => {
        const { invitation, workRequestId } = await invitations.createSenderInvitation(deps, actor, request.body);
        return withEtag(invitation, 200, { 'opc-work-request-id': workRequestId, location: `/20230401/senderInvitations/${invitation.id}` });
      }),
  );

  r.get(
    '/senderInvitations',
    {
      schema: {
        tags,
        querystring: z.object({
          compartmentId: z.string().max(255).optional(),
          recipientTenancyId: z.string().max(255).optional(),
          lifecycleState: z.enum(s.LIFECYCLE_STATES).optional(),
          status: z.enum(s.SENDER_STATUSES).optional(),
          displayName: z.string().max(255).optional(),
          page: s.PageToken,
          limit: s.Limit,
          sortBy: s.SortBy,
          sortOrder: s.SortOrder,
        }),
        response: { 200: s.collection(s.SenderInvitation) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const result = await invitations.listSenderInvitations(deps, principalOf(request), {
        compartmentId: q.compartmentId,
        otherTenancyId: q.recipientTenancyId,
        lifecycleState: q.lifecycleState,
        status: q.status,
        displayName: q.displayName,
        page: pageOf(q.page),
        limit: q.limit,
        sortBy: q.sortBy,
        sortOrder: q.sortOrder,
      });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get('/senderInvitations/:senderInvitationId', { schema: { tags, params: Params, response: { 200: s.SenderInvitation } } }, async (request, reply) =>
    send(reply, withEtag(await invitations.getSenderInvitation(deps, principalOf(request), request.params.senderInvitationId))),
  );

  r.put(
    '/senderInvitations/:senderInvitationId',
    { schema: { tags, params: Params, body: s.UpdateInvitationDetails, response: { 200: s.SenderInvitation } } },
    async (request, reply) =>
      send(
        reply,
        withEtag(await invitations.updateSenderInvitation(deps, principalOf(request), request.params.senderInvitationId, ifMatchOf(request), request.body ?? {})),
      ),
  );

  r.post('/senderInvitations/:senderInvitationId/actions/cancel', { schema: { tags, params: Params } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) =>
      accepted(await invitations.cancelSenderInvitation(deps, actor, request.params.senderInvitationId, ifMatchOf(request))),
    ),
  );
}
