import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { adminRoutes } from './api/admin/admin.routes.js';
import { regionSubscriptionRoutes } from './api/admin/region-subscriptions.routes.js';
import { resourceUsageRoutes } from './api/admin/resource-usage.routes.js';
import { consoleRoutes } from './api/console/console.routes.js';
import { identityRoutes } from './api/identity/identity.routes.js';
import { ociApi } from './api/oci/index.js';
import { ocsApi } from './api/ocs/index.js';
import type { Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/index.js';
import type { ServiceDeps } from './platform/deps.js';
import { refuseNulCharacters, registerBodyParsers } from './platform/http/body.js';
import { clientError, frameworkError, registerErrorHandling, sendError } from './platform/http/errors.js';
import { registerMetrics } from './platform/http/metrics.js';
import { registerRateLimit } from './platform/http/rate-limit.js';
import { awaitRunningHandlersOnClose } from './platform/http/running-handlers.js';
import { notFound } from './platform/errors.js';
import type { Logger } from './platform/log.js';
import { countPendingJobs } from './platform/outbox/outbox.repo.js';

export interface AppDeps {
  config: Config;
  database: Database;
  clock: Clock;
  log: Logger;
  operatorToken: string;
  /** Called after a request's transaction queued outbox jobs (the in-process worker's wake-up). */
  wakeWorker?: () => void;
}

const REQUEST_ID = /^[A-Za-z0-9._:/-]{1,98}$/;

/** The composition root: every route and plugin, no listen(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const services: ServiceDeps = {
    config: deps.config,
    database: deps.database,
    clock: deps.clock,
    log: deps.log,
    wakeWorker: deps.wakeWorker ?? (() => {}),
  };
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['opc-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID().replace(/-/g, '').toUpperCase();
    },
    bodyLimit: deps.config.bodyLimitBytes,
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    // A client cannot hold a connection open: one that falls silent mid-request is cut off
    // (connectionTimeout), and an idle keep-alive connection is closed well before that, so a
    // client never reuses a socket the server is about to drop.
    connectionTimeout: deps.config.requestTimeoutMs,
    requestTimeout: deps.config.requestTimeoutMs,
    keepAliveTimeout: Math.floor(deps.config.requestTimeoutMs / 2),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerBodyParsers(app, deps.config.bodyLimitBytes);
  refuseNulCharacters(app);
  registerErrorHandling(app);
  registerRateLimit(app, { perSecond: deps.config.rateLimitPerSecond, burst: deps.config.rateLimitBurst });
  awaitRunningHandlersOnClose(app, deps.config.requestTimeoutMs);
  // While shutting down, answers to requests still in flight close their connection, so a
  // keep-alive client cannot hold the process open until its idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('opc-request-id', request.id);
    // Closing too when an answer goes out before the body was read (a refused upload): the
    // socket would otherwise wait for the rest of a body nobody will read.
    if (closing || !request.raw.complete) reply.header('connection', 'close');
  });

  await app.register(swagger, {
    openapi: { info: { title: 'Tenantry', version: '0.1.0', description: 'Relationships between tenants: communities and organizations.' } },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  registerMetrics(app, () => countPendingJobs(deps.database.db));

  await app.register(cookie);
  await app.register(consoleRoutes, { prefix: '/console', deps: services });
  await app.register(adminRoutes, { prefix: '/admin/v1', deps: services, operatorToken: deps.operatorToken });
  await app.register(regionSubscriptionRoutes, { prefix: '/admin/v1', deps: services, operatorToken: deps.operatorToken });
  await app.register(resourceUsageRoutes, { prefix: '/admin/v1', deps: services, operatorToken: deps.operatorToken });
  await app.register(identityRoutes, { prefix: '/identity', deps: services });
  for (const prefix of ['/api/v1', '/api/v1-preview']) await app.register(ocsApi, { prefix, deps: services });
  for (const prefix of ['/20230401', '/20220504', '/20190729', '/20181025', '/20200107']) await app.register(ociApi, { prefix, deps: services });

  app.setNotFoundHandler(async (request, reply) =>
    sendError(request, reply, notFound('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
  return app;
}
