import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../../platform/deps.js';
import { bearerAuth } from '../../platform/http/auth.js';
import { authenticateBearer } from '../../modules/identity/identity.service.js';
import { consoleSessionAuth } from '../console/session-auth.js';
import { ocsCommunityRoutes } from './communities.routes.js';
import { idempotencyKeys } from './idempotency-key.js';
import { communityCollectionRoutes } from './community-collection.routes.js';
import { ocsRolesRoutes } from './roles.routes.js';
import { ocsCommunityDataRoutes, ocsStreamsRoutes } from './streams.routes.js';

/** The OCS dialect under one version prefix (`/api/v1` and `/api/v1-preview` serve the same routes). */
export async function ocsApi(app: FastifyInstance, opts: { deps: ServiceDeps; prefix: string }): Promise<void> {
  app.addHook('onRequest', bearerAuth((token) => authenticateBearer(opts.deps, token), consoleSessionAuth(opts.deps)));
  idempotencyKeys(app, opts.deps);
  await app.register(ocsRolesRoutes, { deps: opts.deps });
  await app.register(ocsCommunityRoutes, { deps: opts.deps });
  await app.register(communityCollectionRoutes, { deps: opts.deps });
  await app.register(ocsStreamsRoutes, { deps: opts.deps });
  await app.register(ocsCommunityDataRoutes, { deps: opts.deps });
}
