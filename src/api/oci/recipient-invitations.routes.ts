import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as invitations from '../../modules/organizations/invitations.service.js';
import * as s from '../../modules/organizations/organizations.schemas.js';
import { accepted, idempotent, ifMatchOf, pageOf, send, setNextPage, withEtag } from './oci-http.js';

const Params = z.object({ recipientInvitationId: z.string().min(1).max(255) });
const PAGE_SIZE = 100;

export async function recipientInvitationRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['oci-organizations'];

  r.get(
    '/recipientInvitations',
    {
      schema: {
        tags,
        querystring: z.object({
          compartmentId: z.string().max(255).optional(),
          senderTenancyId: z.string().max(255).optional(),
          lifecycleState: z.enum(s.LIFECYCLE_STATES).optional(),
          status: z.enum(s.RECIPIENT_STATUSES).optional(),
          page: s.PageToken,
        }),
        response: { 200: s.collection(s.RecipientInvitation) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const result = await invitations.listRecipientInvitations(deps, principalOf(request), {
        compartmentId: q.compartmentId,
        otherTenancyId: q.senderTenancyId,
        lifecycleState: q.lifecycleState,
        status: q.status,
        page: pageOf(q.page),
        limit: PAGE_SIZE,
        sortBy: 'timeCreated',
      });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get('/recipientInvitations/:recipientInvitationId', { schema: { tags, params: Params, response: { 200: s.RecipientInvitation } } }, async (request, reply) =>
    send(reply, withEtag(await invitations.getRecipientInvitation(deps, principalOf(request), request.params.recipientInvitationId))),
  );

  r.put(
    '/recipientInvitations/:recipientInvitationId',
    { schema: { tags, params: Params, body: s.UpdateInvitationDetails, response: { 200: s.RecipientInvitation } } },
    async (request, reply) =>
      send(
        reply,
        withEtag(
          await invitations.updateRecipientInvitation(deps, principalOf(request), request.params.recipientInvitationId, ifMatchOf(request), request.body ?? {}),
        ),
      ),
  );

  r.post('/recipientInvitations/:recipientInvitationId/actions/accept', { schema: { tags, params: Params } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) =>
      accepted(await invitations.acceptRecipientInvitation(deps, actor, request.params.recipientInvitationId, ifMatchOf(request))),
    ),
  );

  r.post(
    '/recipientInvitations/:recipientInvitationId/actions/ignore',
    { schema: { tags, params: Params, response: { 200: s.RecipientInvitation } } },
    async (request, reply) =>
      idempotent(deps, request, reply, async (actor) =>
        withEtag(await invitations.ignoreRecipientInvitation(deps, actor, request.params.recipientInvitationId, ifMatchOf(request))),
      ),
  );
}
