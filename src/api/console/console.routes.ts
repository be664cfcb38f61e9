import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceDeps } from '../../platform/deps.js';
import { sendError } from '../../platform/http/errors.js';
import { AppError, forbidden, notFound, unauthenticated } from '../../platform/errors.js';
import { getSession, SESSION_TTL_MS, signIn, signOut } from '../../modules/identity/sessions.service.js';
import { consoleSessionAuth, fromAnotherSite, SESSION_COOKIE, sessionIdOf } from './session-auth.js';

/** Where `npm ci` (the `prepare` script) writes the console's production build. */
export const CONSOLE_BUILD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

const SignInBody = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  tenantId: z.string().min(1).max(100).optional(),
});

const SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};
/** The pages load their own scripts, styles and images; nothing else, and no other site may frame them. */
const PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/** The session API answers JSON that nothing is to load from, and that no cache is to keep. */
const API_HEADERS = { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'cache-control': 'no-store' };

/**
 * The web console: its session API under /console/api and the React build (with the single-page
 * fallback: any other GET under /console answers index.html, and the app routes on the client).
 */
export async function consoleRoutes(app: FastifyInstance, opts: { deps: ServiceDeps; buildDir?: string }): Promise<void> {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const secure = deps.config.publicUrl.startsWith('https:');
  const publicOrigin = new URL(deps.config.publicUrl).origin;
  const tags = ['console'];

  const setSessionCookie = (reply: FastifyReply, value: string, maxAgeSeconds: number) =>
    reply.setCookie(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: maxAgeSeconds });

  r.post('/api/sign-in', { schema: { tags, body: SignInBody } }, async (request, reply) => {
    // SameSite cookies do not protect signing in itself: refuse sign-ins another site's page sends.
    if (fromAnotherSite(request, publicOrigin)) throw forbidden('CROSS_SITE_SIGN_IN', 'Sign in from the console itself.');
    const result = await signIn(deps, request.body, request.ip);
    if (result.kind === 'choose-tenant') return reply.status(200).send({ status: 'choose-tenant', tenants: result.tenants });
    setSessionCookie(reply, result.sessionId, SESSION_TTL_MS / 1000);
    return reply.status(200).send({ status: 'signed-in', session: result.session });
  });

  r.get('/api/session', { schema: { tags } }, async (request, reply) => {
    const sessionId = sessionIdOf(request);
    const session = sessionId ? await getSession(deps, sessionId) : null;
    if (!session) throw unauthenticated('You are not signed in, or your session has ended: sign in again.');
    return reply.send(session);
  });

  const authenticate = consoleSessionAuth(deps);
  r.post('/api/sign-out', { schema: { tags } }, async (request, reply) => {
    const sessionId = sessionIdOf(request);
    // A session signs out only with its CSRF token: another site cannot sign the user out.
    if (sessionId && (await authenticate(request))) await signOut(deps, sessionId);
    setSessionCookie(reply, '', 0);
    return reply.status(204).send();
  });

  const buildDir = opts.buildDir ?? CONSOLE_BUILD_DIR;
  const built = fs.existsSync(path.join(buildDir, 'index.html'));
  app.addHook('onSend', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (request.url.toLowerCase().startsWith('/console/api')) reply.headers(API_HEADERS);
    else reply.header('content-security-policy', PAGE_POLICY);
  });
  if (built) {
    await app.register(fastifyStatic, {
      root: buildDir,
      prefix: '/',
      index: ['index.html'],
      cacheControl: false,
      // Vite names every asset by its content hash: they never change under one name.
      setHeaders: (res, file) => res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.toLowerCase();
    if (url.startsWith('/console/api') || (request.method !== 'GET' && request.method !== 'HEAD') || /\/assets\//.test(url)) {
      return sendError(request, reply, notFound('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
    }
    if (!built) {
      return sendError(request, reply, new AppError('unavailable', 'CONSOLE_NOT_BUILT', 'The console is not built: run `npm ci` (or `npm run build:console`).'));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
