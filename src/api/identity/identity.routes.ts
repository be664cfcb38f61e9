import formBody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { issueClientToken } from '../../modules/identity/identity.service.js';

const TokenRequest = z.object({
  grant_type: z.string().max(100),
  client_id: z.string().max(200).optional(),
  client_secret: z.string().max(500).optional(),
  scope: z.string().max(1000).optional(),
});

/** Client credentials from the form (client_secret_post) or from HTTP Basic (client_secret_basic). */
function clientCredentials(authorization: string | undefined, body: z.infer<typeof TokenRequest>) {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      try {
        return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
      } catch {
        throw new AppError('invalid', 'invalid_request', 'The Basic credentials are not valid percent-encoded client_id:client_secret.');
      }
    }
  }
  return { id: body.client_id, secret: body.client_secret };
}

/** OAuth2 token endpoint and OpenID discovery, as OCS client libraries use them. Errors are OAuth2 JSON. */
export async function identityRoutes(app: FastifyInstance, opts: { deps: ServiceDeps }): Promise<void> {
  const { deps } = opts;
  await app.register(formBody, { bodyLimit: 16 * 1024 });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/.well-known/openid-configuration', { schema: { tags: ['identity'] } }, async () => {
    const base = `${deps.config.publicUrl}/identity`;
    return {
      issuer: base,
      token_endpoint: `${base}/connect/token`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      response_types_supported: ['token'],
      scopes_supported: ['ocsapi'],
    };
  });

  r.post('/connect/token', { schema: { tags: ['identity'], body: TokenRequest } }, async (request, reply) => {
    if (request.body.grant_type !== 'client_credentials') {
      throw new AppError('invalid', 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    }
    const { id, secret } = clientCredentials(request.headers.authorization, request.body);
    if (!id || !secret) throw new AppError('invalid', 'invalid_request', 'client_id and client_secret are required.');
    const token = await issueClientToken(deps, id, secret);
    reply.header('cache-control', 'no-store');
    return { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn, scope: 'ocsapi' };
  });
}
