import { CliError, EXIT } from './errors.js';
import type { HttpAnswer, HttpRequest } from './http.js';
import type { Envelope } from './output.js';
import { optionsOf } from './args.js';
import { keyOf, type CommandSpec, type HttpSpec, type RunContext, type Values } from './spec.js';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

/** Builds the request of an HTTP command from its option values. */
export function buildRequest(command: CommandSpec, values: Values): HttpRequest {
  const http = command.http!;
  const params = optionsOf(command);
  let url = http.url;
  const search = new URLSearchParams();
  const headers: Record<string, string> = {};
  let payload: Record<string, unknown> | undefined;
  for (const p of params) {
    const value = values[p.flag];
    if (value === undefined) continue;
    const key = keyOf(p);
    if (p.in === 'path') url = url.replace(`{${key}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
    else if (p.in === 'header') headers[key] = String(value);
    else if (p.in === 'body' && p.flag !== http.bodyFrom) (payload ??= {})[key] = value;
  }
  const qs = search.toString();
  if (http.fixedBody) payload = { ...payload, ...http.fixedBody };
  const body = http.bodyFrom ? values[http.bodyFrom] : payload;
  return { auth: http.auth, method: http.method, path: qs ? `${url}${url.includes('?') ? '&' : '?'}${qs}` : url, body, headers };
}

/** The envelope of one answer: data plus the headers that matter, as the OCI CLI prints them. */
function envelopeOf(http: HttpSpec, answer: HttpAnswer): Envelope {
  const envelope: Envelope = {};
  const data = http.paging === 'oci' ? (answer.body as { items?: unknown[] } | undefined)?.items : answer.body;
  if (data !== undefined && data !== '') envelope.data = data;
  for (const name of ['etag', 'opc-work-request-id', 'opc-next-page', 'total-count']) {
    const value = answer.headers.get(name);
    if (value) envelope[name] = value;
  }
  return envelope;
}

export async function runHttpCommand(ctx: RunContext, command: CommandSpec, values: Values): Promise<Envelope> {
  const http = command.http!;
  const request = buildRequest(command, values);
  if (values.all && http.paging) return { data: await fetchAll(ctx, command, values) };
  const answer = await ctx.http.send(request);
  const envelope = envelopeOf(http, answer);
  const states = values['wait-for-state'] as string[] | undefined;
  if (http.workRequest && states?.length) {
    const id = envelope['opc-work-request-id'];
    if (typeof id !== 'string') throw new CliError(EXIT.service, 'the service answered without opc-work-request-id, so there is nothing to wait for', { answer: envelope });
    const api = http.workRequest === 'governance-rules' ? '/20220504' : '/20230401';
    return waitForWorkRequest(ctx, `${api}/workRequests/${encodeURIComponent(id)}`, states, Number(values['max-wait-seconds']), Number(values['wait-interval-seconds']));
  }
  return envelope;
}

/** Follows opc-next-page (OCI) or skip/count (OCS) until the last page. */
async function fetchAll(ctx: RunContext, command: CommandSpec, values: Values): Promise<unknown[]> {
  const http = command.http!;
  const items: unknown[] = [];
  const pageSize = values['page-size'] as number | undefined;
  if (http.paging === 'oci') {
    let page: string | undefined = values.page as string | undefined;
    for (;;) {
      const answer = await ctx.http.send(buildRequest(command, { ...values, page, limit: pageSize ?? values.limit }));
      items.push(...(((answer.body as { items?: unknown[] })?.items ?? []) as unknown[]));
      page = answer.headers.get('opc-next-page') ?? undefined;
      if (!page) return items;
    }
  }
  const count = pageSize ?? (values.count as number | undefined) ?? 100;
  for (let skip = (values.skip as number | undefined) ?? 0; ; skip += count) {
    const answer = await ctx.http.send(buildRequest(command, { ...values, skip, count }));
    const batch = Array.isArray(answer.body) ? answer.body : [];
    items.push(...batch);
    if (batch.length < count) return items;
  }
}

/**
 * Polls GET <api>/workRequests/{id} until its status is one of `states`. A work request that
 * finishes in another state is a service error (exit 5) and prints its errors; running out of
 * time exits 7. On a terminal, progress is shown on stderr.
 */
export async function waitForWorkRequest(ctx: RunContext, path: string, states: string[], maxWaitSeconds: number, intervalSeconds: number): Promise<Envelope> {
  const deadline = Date.now() + maxWaitSeconds * 1000;
  const id = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  const tty = ctx.progress.isTTY === true;
  const started = Date.now();
  try {
    for (;;) {
      const answer = await ctx.http.send({ auth: 'oci', method: 'GET', path });
      const wr = answer.body as { status: string; percentComplete?: number; timeFinished?: string };
      if (tty) ctx.progress.write(`\rwork request ${wr.status} ${wr.percentComplete ?? 0}% (${Math.round((Date.now() - started) / 1000)} s)   `);
      if (states.includes(wr.status)) return { data: wr };
      if (TERMINAL.has(wr.status) || wr.timeFinished) {
        const errors = await ctx.http.send({ auth: 'oci', method: 'GET', path: `${path}/errors` }).then(
          (a) => (a.body as { items?: unknown[] })?.items ?? [],
          () => [],
        );
        throw new CliError(EXIT.service, `work request ${id} finished ${wr.status}, not ${states.join(' or ')}`, { workRequest: wr, errors });
      }
      if (Date.now() + intervalSeconds * 1000 > deadline) {
        throw new CliError(EXIT.timeout, `work request ${id} is still ${wr.status} after ${maxWaitSeconds} s (--max-wait-seconds)`, { workRequest: wr });
      }
      await new Promise((resolve) => setTimeout(resolve, intervalSeconds * 1000));
    }
  } finally {
    if (tty) ctx.progress.write('\n');
  }
}
