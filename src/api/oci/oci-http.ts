import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDeps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import { principalOf } from '../../platform/http/auth.js';
import type { PageCursor } from '../../platform/paging.js';
import type { Principal } from '../../platform/principal.js';
import { replayOrRun, requestHash, type StoredResponse } from '../../modules/organizations/retry-tokens.service.js';

// Plumbing shared by the OCI route plugins: paging tokens, if-match, opc-retry-token replays.

/**
 * opc-next-page tokens are opaque to clients. Most lists page by offset (the token is the next
 * offset); the invitation lists page by keyset (the token holds the last row's sort key and id),
 * so a deep page costs what the first one does. See PageCursor.
 */
export function offsetOf(page: string | undefined): number {
  const cursor = pageOf(page);
  if ('after' in cursor) throw badPage();
  return cursor.offset;
}

export function pageOf(page: string | undefined): PageCursor {
  if (page === undefined || page === '') return { offset: 0 };
  const text = Buffer.from(page, 'base64url').toString('utf8');
  if (/^\d{1,9}$/.test(text)) return { offset: Number(text) };
  if (text.startsWith('k')) {
    try {
      const [sort, key, id] = JSON.parse(text.slice(1)) as unknown[];
      if (typeof sort === 'string' && (typeof key === 'string' || typeof key === 'number') && typeof id === 'string') return { after: { sort, key, id } };
    } catch {
      // not JSON: refused below
    }
  }
  throw badPage();
}

const badPage = () => invalid('INVALID_PAGE', 'page is not a token returned as opc-next-page by a previous call');

export function setNextPage(reply: FastifyReply, next: PageCursor | number | undefined): void {
  if (next === undefined) return;
  const text = typeof next === 'number' ? String(next) : 'after' in next ? `k${JSON.stringify([next.after.sort, next.after.key, next.after.id])}` : String(next.offset);
  reply.header('opc-next-page', Buffer.from(text).toString('base64url'));
}

export function ifMatchOf(request: FastifyRequest): string | undefined {
  const value = request.headers['if-match'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Sends a stored (or fresh) answer: status, headers and body. */
export function send(reply: FastifyReply, response: StoredResponse): FastifyReply {
  reply.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  return response.body === undefined ? reply.send() : reply.send(response.body);
}

/** Runs a state-changing operation under its opc-retry-token (replayed for 24 h per tenancy). */
export async function idempotent(
  deps: ServiceDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  run: (actor: Principal) => Promise<StoredResponse>,
): Promise<FastifyReply> {
  const actor = principalOf(request);
  const token = request.headers['opc-retry-token'];
  const hash = requestHash(request.method, request.url.split('?')[0], request.rawBody);
  const response = await replayOrRun(deps, actor.tenantId ?? '', typeof token === 'string' && token !== '' ? token.slice(0, 200) : undefined, hash, () => run(actor));
  return send(reply, response);
}

/** An asynchronous operation's answer: 202 with the work request id. */
export const accepted = ({ workRequestId }: { workRequestId: string }): StoredResponse => ({
  status: 202,
  headers: { 'opc-work-request-id': workRequestId },
  body: undefined,
});

/** A resource answer with its etag. */
export const withEtag = <T extends { etag: string }>(resource: T, status = 200, headers: Record<string, string> = {}): StoredResponse => ({
  status,
  headers: { etag: resource.etag, ...headers },
  body: resource,
});
