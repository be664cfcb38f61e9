import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../../platform/deps.js';
import { ociSignatureAuth } from '../../platform/http/auth.js';
import { sendError } from '../../platform/http/errors.js';
import { routeMethods } from '../../platform/http/route-methods.js';
import { invalid, notFound } from '../../platform/errors.js';
import { findApiKey } from '../../modules/identity/identity.service.js';
import { consoleSessionAuth } from '../console/session-auth.js';
import { governanceRuleRoutes } from './governance-rules.routes.js';
import { limitsRoutes, quotasRoutes } from './limits.routes.js';
import { linkRoutes } from './links.routes.js';
import { notImplementedRoutes } from './not-implemented.routes.js';
import { organizationRoutes } from './organizations.routes.js';
import { recipientInvitationRoutes } from './recipient-invitations.routes.js';
import { senderInvitationRoutes } from './sender-invitations.routes.js';
import { usageRoutes } from './usage.routes.js';
import { subscriptionRoutes } from './subscriptions.routes.js';
import { workRequestRoutes } from './work-requests.routes.js';

/**
 * The OCI dialects (`/20230401`, `/20220504`). Every request is authenticated by its HTTP signature
 * before routing, as OCI does: an unsigned request for an unknown path is 401, a signed one 404.
 */
export async function ociApi(app: FastifyInstance, opts: { deps: ServiceDeps; prefix: string }): Promise<void> {
  const authenticate = ociSignatureAuth((keyId) => findApiKey(opts.deps, keyId), opts.deps.clock, consoleSessionAuth(opts.deps));
  app.addHook('preValidation', authenticate);
  const methodsOf = routeMethods(app);
  app.setNotFoundHandler({ preHandler: authenticate }, async (request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = methodsOf(path);
    if (allowed.length === 0) return sendError(request, reply, notFound('ROUTE_NOT_FOUND', `no operation ${request.method} ${path}`));
    // A known path asked with another method: 405 MethodNotAllowed (reference §7), naming the ones it takes.
    reply.header('allow', allowed.join(', '));
    return sendError(request, reply, invalid('METHOD_NOT_ALLOWED', `${path} does not take ${request.method}; it takes ${allowed.join(', ')}`), 405);
  });
  if (opts.prefix === '/20230401') {
    for (const routes of [senderInvitationRoutes, recipientInvitationRoutes, workRequestRoutes, organizationRoutes, linkRoutes, subscriptionRoutes]) {
      await app.register(routes, { deps: opts.deps });
    }
    await app.register(notImplementedRoutes);
  }
  if (opts.prefix === '/20220504') await app.register(governanceRuleRoutes, { deps: opts.deps });
  // The OCI Limits API shape (oci-limits): limits and quotas.
  if (opts.prefix === '/20190729') await app.register(limitsRoutes, { deps: opts.deps });
  if (opts.prefix === '/20181025') await app.register(quotasRoutes, { deps: opts.deps });
  // The OCI Usage API's summarized usages (metering).
  if (opts.prefix === '/20200107') await app.register(usageRoutes, { deps: opts.deps });
}
