import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod, RouteOptions } from 'fastify';
import type { ServiceDeps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import { principalOf } from '../../platform/http/auth.js';
import { replayOrRun, requestHash, type StoredResponse } from '../../modules/organizations/retry-tokens.service.js';
import { send } from '../oci/oci-http.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Headers of an answer that belong to it (the rest Fastify sets again when it is replayed). */
const KEPT_HEADERS = ['location', 'etag'];

/**
 * `Idempotency-Key` on the OCS dialect, served by the store of OCI's opc-retry-token (24 h per
 * tenant): a state-changing request sent again with the same key and the same method, path and body
 * gets the first answer back instead of acting twice; the same key with another request is refused.
 * Every unsafe OCS route gets it: each route handler registered after this is wrapped.
 */
export function idempotencyKeys(app: FastifyInstance, deps: ServiceDeps): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => UNSAFE.has(m))) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const header = request.headers['idempotency-key'];
      if (header === undefined || !UNSAFE.has(request.method)) return handler.call(this, request, reply);
      if (typeof header !== 'string' || header === '' || header.length > 200) {
        throw invalid('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 200 characters');
      }
      const actor = principalOf(request);
      const hash = requestHash(request.method, request.url.split('?')[0].toLowerCase(), request.rawBody);
      const run = () => captured(() => handler.call(this, request, reply), reply);
      const response = await replayOrRun(deps, actor.tenantId ?? '', header, hash, run, 'Idempotency-Key');
      return send(reply, response);
    };
  });
}

/** Runs a route handler without letting it send: what it would have sent, to store and send once. */
async function captured(run: () => unknown, reply: FastifyReply): Promise<StoredResponse> {
  const realSend = reply.send;
  let answer: StoredResponse | undefined;
  // Returns nothing rather than the reply: a handler's `return reply.send(x)` would otherwise hand
  // back the reply, a thenable that settles only once the answer went out, which it never does here.
  reply.send = function (payload?: unknown) {
    answer = { status: reply.statusCode, headers: keptHeaders(reply), body: payload };
    return undefined;
  } as unknown as FastifyReply['send'];
  try {
    const returned = await run();
    return answer ?? { status: reply.statusCode, headers: keptHeaders(reply), body: returned };
  } finally {
    reply.send = realSend;
  }
}

function keptHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}
