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
