import type { FastifyInstance } from 'fastify';
import { invalid } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received (OCI signatures hash it); empty when there was none. */
    rawBody?: Buffer;
  }
}

const JSON_TYPES = ['application/json', 'application/merge-patch+json', 'application/json-patch+json'];

/**
 * JSON bodies, keeping the raw bytes. An empty body is `undefined`, not an error: OCS clients send
 * `Content-Type: application/json` on every call, DELETE included.
 */
export function registerBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'buffer', bodyLimit }, (request, body: Buffer, done) => {
    request.rawBody = body;
    if (body.length === 0 || body.toString('utf8').trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch {
      done(invalid('INVALID_JSON', 'the request body is not valid JSON'), undefined);
    }
  });
}

function holdsNul(value: unknown): boolean {
  const stack = [value];
  while (stack.length) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (next !== null && typeof next === 'object') {
      for (const [key, inner] of Object.entries(next)) {
        if (key.includes('\u0000')) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

/**
 * PostgreSQL text cannot hold U+0000 (SQLite can): a NUL in a path id, a query parameter or a body
 * is refused on both engines alike, once the caller is authenticated and the request validated.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body)) {
      throw invalid('INVALID_CHARACTER', 'the request holds a NUL character (U+0000), which no identifier or field accepts');
    }
  });
}
