import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { principalOf } from '../../platform/http/auth.js';
import * as attachments from '../../modules/governance/attachments.service.js';
import * as governance from '../../modules/governance/governance.service.js';
import * as s from '../../modules/governance/governance.schemas.js';
import * as workRequests from '../../modules/governance/governance-work-requests.service.js';
import { accepted, idempotent, ifMatchOf, offsetOf, send, setNextPage, withEtag } from './oci-http.js';

// The OCI Governance Rules API (/20220504, reference §3): GovernanceRuleClient and its WorkRequestClient.

const Id = z.string().min(1).max(255);
const Paging = { page: s.PageToken, limit: s.Limit, sortOrder: s.SortOrder, sortBy: s.SortBy };
const paging = (q: { page?: string; limit: number; sortOrder?: 'ASC' | 'DESC'; sortBy?: string }) => ({
  offset: offsetOf(q.page),
  limit: q.limit,
  sortOrder: q.sortOrder,
  sortBy: q.sortBy,
});

export async function governanceRuleRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['oci-governance-rules'];
  const RuleParams = z.object({ governanceRuleId: Id });
  const CriterionParams = z.object({ inclusionCriterionId: Id });
  const AttachmentParams = z.object({ tenancyAttachmentId: Id });

  // Governance rules

  r.post('/governanceRules', { schema: { tags, body: s.CreateGovernanceRuleDetails, response: { 200: s.GovernanceRule } } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) => {
      const { rule, workRequestId } = await governance.createGovernanceRule(deps, actor, request.body);
      return withEtag(rule, 200, { 'opc-work-request-id': workRequestId, location: `/20220504/governanceRules/${rule.id}` });
    }),
  );

  r.get(
    '/governanceRules',
    {
      schema: {
        tags,
        querystring: z.object({
          compartmentId: Id.optional(),
          governanceRuleId: Id.optional(),
          lifecycleState: z.enum(s.RULE_STATES).optional(),
          displayName: z.string().max(255).optional(),
          governanceRuleType: z.enum(s.RULE_TYPES).optional(),
          ...Paging,
        }),
        response: { 200: s.collection(s.GovernanceRuleSummary) },
      },
    },
    async (request, reply) => {
      const result = await governance.listGovernanceRules(deps, principalOf(request), { ...request.query, ...paging(request.query) });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get('/governanceRules/:governanceRuleId', { schema: { tags, params: RuleParams, response: { 200: s.GovernanceRule } } }, async (request, reply) =>
    send(reply, withEtag(await governance.getGovernanceRule(deps, principalOf(request), request.params.governanceRuleId))),
  );

  r.put('/governanceRules/:governanceRuleId', { schema: { tags, params: RuleParams, body: s.UpdateGovernanceRuleDetails } }, async (request, reply) =>
    send(reply, accepted(await governance.updateGovernanceRule(deps, principalOf(request), request.params.governanceRuleId, request.body, ifMatchOf(request)))),
  );

  r.delete('/governanceRules/:governanceRuleId', { schema: { tags, params: RuleParams } }, async (request, reply) =>
    send(reply, accepted(await governance.deleteGovernanceRule(deps, principalOf(request), request.params.governanceRuleId, ifMatchOf(request)))),
  );

  r.post('/governanceRules/:governanceRuleId/actions/retry', { schema: { tags, params: RuleParams } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) => accepted(await governance.retryGovernanceRule(deps, actor, request.params.governanceRuleId, ifMatchOf(request)))),
  );

  // Inclusion criteria

  r.post('/inclusionCriteria', { schema: { tags, body: s.CreateInclusionCriterionDetails, response: { 200: s.InclusionCriterion } } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) => {
      const { criterion, workRequestId } = await governance.createInclusionCriterion(deps, actor, request.body);
      return withEtag(criterion, 200, { 'opc-work-request-id': workRequestId, location: `/20220504/inclusionCriteria/${criterion.id}` });
    }),
  );

  r.get(
    '/inclusionCriteria',
    {
      schema: {
        tags,
        querystring: z.object({ governanceRuleId: Id.optional(), inclusionCriterionId: Id.optional(), lifecycleState: z.enum(s.RULE_STATES).optional(), ...Paging }),
        response: { 200: s.collection(s.InclusionCriterion) },
      },
    },
    async (request, reply) => {
      const result = await governance.listInclusionCriteria(deps, principalOf(request), { ...request.query, ...paging(request.query) });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get('/inclusionCriteria/:inclusionCriterionId', { schema: { tags, params: CriterionParams, response: { 200: s.InclusionCriterion } } }, async (request, reply) =>
    send(reply, withEtag(await governance.getInclusionCriterion(deps, principalOf(request), request.params.inclusionCriterionId))),
  );

  r.delete('/inclusionCriteria/:inclusionCriterionId', { schema: { tags, params: CriterionParams } }, async (request, reply) =>
    send(reply, accepted(await governance.deleteInclusionCriterion(deps, principalOf(request), request.params.inclusionCriterionId, ifMatchOf(request)))),
  );

  // Tenancy attachments (the parent's view) and enforced rules (the child's view)

  r.get(
    '/tenancyAttachments',
    {
      schema: {
        tags,
        querystring: z.object({
          compartmentId: Id.optional(),
          tenancyAttachmentId: Id.optional(),
          governanceRuleId: Id.optional(),
          lifecycleState: z.enum(s.ATTACHMENT_STATES).optional(),
          childTenancyId: Id.optional(),
          ...Paging,
        }),
        response: { 200: s.collection(s.TenancyAttachment) },
      },
    },
    async (request, reply) => {
      const result = await attachments.listTenancyAttachments(deps, principalOf(request), { ...request.query, ...paging(request.query) });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get('/tenancyAttachments/:tenancyAttachmentId', { schema: { tags, params: AttachmentParams, response: { 200: s.TenancyAttachment } } }, async (request, reply) =>
    send(reply, withEtag(await attachments.getTenancyAttachment(deps, principalOf(request), request.params.tenancyAttachmentId))),
  );

  r.post('/tenancyAttachments/:tenancyAttachmentId/actions/retry', { schema: { tags, params: AttachmentParams } }, async (request, reply) =>
    idempotent(deps, request, reply, async (actor) =>
      accepted(await attachments.retryTenancyAttachment(deps, actor, request.params.tenancyAttachmentId, ifMatchOf(request))),
    ),
  );

  r.get(
    '/enforcedGovernanceRules',
    {
      schema: {
        tags,
        querystring: z.object({
          compartmentId: Id.optional(),
          enforcedGovernanceRuleId: Id.optional(),
          governanceRuleType: z.enum(s.RULE_TYPES).optional(),
          displayName: z.string().max(255).optional(),
          ...Paging,
        }),
        response: { 200: s.collection(s.EnforcedGovernanceRuleSummary) },
      },
    },
    async (request, reply) => {
      const result = await attachments.listEnforcedGovernanceRules(deps, principalOf(request), { ...request.query, ...paging(request.query) });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get(
    '/enforcedGovernanceRules/:enforcedGovernanceRuleId',
    { schema: { tags, params: z.object({ enforcedGovernanceRuleId: Id }), response: { 200: s.EnforcedGovernanceRule } } },
    async (request, reply) => send(reply, withEtag(await attachments.getEnforcedGovernanceRule(deps, principalOf(request), request.params.enforcedGovernanceRuleId))),
  );

  // Work requests of this API

  const WorkRequestParams = z.object({ workRequestId: Id });
  const EntryPaging = z.object(Paging);

  r.get('/workRequests/:workRequestId', { schema: { tags, params: WorkRequestParams, response: { 200: s.WorkRequest } } }, async (request, reply) => {
    const workRequest = await workRequests.getWorkRequest(deps, principalOf(request), request.params.workRequestId);
    if (!workRequest.timeFinished) reply.header('retry-after', '1');
    return workRequest;
  });

  r.delete('/workRequests/:workRequestId', { schema: { tags, params: WorkRequestParams } }, async (request, reply) => {
    await workRequests.cancelWorkRequest(deps, principalOf(request), request.params.workRequestId);
    return reply.status(202).send();
  });

  r.get(
    '/workRequests',
    {
      schema: {
        tags,
        querystring: z.object({
          compartmentId: Id.optional(),
          workRequestId: Id.optional(),
          status: z.enum(s.WORK_REQUEST_STATUSES).optional(),
          resourceId: Id.optional(),
          ...Paging,
        }),
        response: { 200: s.collection(s.WorkRequest) },
      },
    },
    async (request, reply) => {
      const result = await workRequests.listWorkRequests(deps, principalOf(request), { ...request.query, ...paging(request.query) });
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get(
    '/workRequests/:workRequestId/errors',
    { schema: { tags, params: WorkRequestParams, querystring: EntryPaging, response: { 200: s.collection(s.WorkRequestError) } } },
    async (request, reply) => {
      const result = await workRequests.listWorkRequestErrors(deps, principalOf(request), request.params.workRequestId, paging(request.query));
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );

  r.get(
    '/workRequests/:workRequestId/logs',
    { schema: { tags, params: WorkRequestParams, querystring: EntryPaging, response: { 200: s.collection(s.WorkRequestLogEntry) } } },
    async (request, reply) => {
      const result = await workRequests.listWorkRequestLogs(deps, principalOf(request), request.params.workRequestId, paging(request.query));
      setNextPage(reply, result.next);
      return { items: result.items };
    },
  );
}
