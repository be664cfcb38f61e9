import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { operatorAuth, principalOf } from '../../platform/http/auth.js';
import { AuditOutput, AuditQuery } from '../../modules/audit/audit.schemas.js';
import { listAudit } from '../../modules/audit/audit.service.js';
import * as identitySchemas from '../../modules/identity/identity.schemas.js';
import * as identity from '../../modules/identity/identity.service.js';
import { RateCardInput, RateCardOutput, UsageInput, UsageOutput } from '../../modules/subscriptions/subscriptions.schemas.js';
import { recordUsage, setRateCard } from '../../modules/subscriptions/subscriptions.service.js';
import * as tenantSchemas from '../../modules/tenants/tenants.schemas.js';
import * as tenants from '../../modules/tenants/tenants.service.js';

const Id = z.string().min(1).max(200);
const TenantParams = z.strictObject({ tenantId: Id });
const UserParams = z.strictObject({ userId: Id });
const tags = ['operator'];

/** The operator API of ARCHITECTURE.md §4 (a contract): camelCase JSON, operator bearer token. */
export async function adminRoutes(app: FastifyInstance, opts: { deps: ServiceDeps; operatorToken: string }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('onRequest', operatorAuth(opts.operatorToken));

  r.post(
    '/tenants',
    { schema: { tags, body: tenantSchemas.CreateTenantInput, response: { 201: tenantSchemas.CreatedTenantOutput } } },
    async (request, reply) => reply.status(201).send(await tenants.createTenant(deps, principalOf(request), request.body)),
  );

  r.get('/tenants', { schema: { tags, response: { 200: z.array(tenantSchemas.TenantOutput) } } }, async () => tenants.listTenants(deps));

  r.post(
    '/tenants/:tenantId/users',
    { schema: { tags, params: TenantParams, body: identitySchemas.CreateUserInput, response: { 201: identitySchemas.UserOutput } } },
    async (request, reply) =>
      reply.status(201).send(await identity.createUser(deps, principalOf(request), request.params.tenantId, request.body)),
  );

  r.post(
    '/users/:userId/tokens',
    {
      schema: {
        tags,
        params: UserParams,
        body: identitySchemas.CreateTokenInput.optional(),
        response: { 201: identitySchemas.TokenOutput },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await identity.issueUserToken(deps, principalOf(request), request.params.userId, request.body?.ttlSeconds ?? 86_400)),
  );

  r.post(
    '/users/:userId/api-keys',
    { schema: { tags, params: UserParams, body: identitySchemas.CreateApiKeyInput, response: { 201: identitySchemas.ApiKeyOutput } } },
    async (request, reply) =>
      reply.status(201).send(await identity.registerApiKey(deps, principalOf(request), request.params.userId, request.body.publicKey)),
  );

  r.post(
    '/tenants/:tenantId/clients',
    { schema: { tags, params: TenantParams, body: identitySchemas.CreateClientInput, response: { 201: identitySchemas.ClientOutput } } },
    async (request, reply) =>
      reply.status(201).send(await identity.createClient(deps, principalOf(request), request.params.tenantId, request.body)),
  );

  r.post(
    '/tenants/:tenantId/groups',
    { schema: { tags, params: TenantParams, body: identitySchemas.CreateGroupInput, response: { 201: identitySchemas.GroupOutput } } },
    async (request, reply) =>
      reply.status(201).send(await identity.createGroup(deps, principalOf(request), request.params.tenantId, request.body)),
  );

  r.post(
    '/tenants/:tenantId/policies',
    { schema: { tags, params: TenantParams, body: identitySchemas.CreatePolicyInput, response: { 201: identitySchemas.PolicyOutput } } },
    async (request, reply) =>
      reply.status(201).send(await identity.createPolicy(deps, principalOf(request), request.params.tenantId, request.body)),
  );

  r.post(
    '/tenants/:tenantId/namespaces',
    { schema: { tags, params: TenantParams, body: tenantSchemas.CreateNamespaceInput, response: { 201: z.object({ id: z.string() }) } } },
    async (request, reply) =>
      reply.status(201).send(await tenants.createNamespace(deps, principalOf(request), request.params.tenantId, request.body)),
  );

  r.post(
    '/tenants/:tenantId/subscriptions',
    {
      schema: {
        tags,
        params: TenantParams,
        body: tenantSchemas.CreateSubscriptionInput.optional(),
        response: { 201: z.object({ subscriptionId: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tenants.addSubscription(deps, principalOf(request), request.params.tenantId, request.body ?? {})),
  );

  r.put(
    '/subscriptions/:subscriptionId/rate-card',
    { schema: { tags, params: z.strictObject({ subscriptionId: Id }), body: RateCardInput, response: { 200: RateCardOutput } } },
    async (request) => setRateCard(deps, principalOf(request), request.params.subscriptionId, request.body.items),
  );

  r.post('/usage', { schema: { tags, body: UsageInput, response: { 202: UsageOutput } } }, async (request, reply) =>
    reply.status(202).send(await recordUsage(deps, principalOf(request), request.body.records)),
  );

  r.get('/audit', { schema: { tags, querystring: AuditQuery, response: { 200: AuditOutput } } }, async (request) =>
    listAudit(deps.database.db, request.query),
  );
}
