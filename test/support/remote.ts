import type { SeededTenant } from './app.js';
import type { OperatorCall } from './oci.js';

// Real HTTP to a server process (test/support/server.ts), for the tests that kill, race or restore
// whole processes and so cannot use app.inject().

export interface HttpAnswer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** One request; a refused or cut connection rejects (the caller decides what an unknown outcome means). */
export async function http(base: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** The operator API of a server process: the parsed body, or an error naming the unexpected answer. */
export function remoteOperator(base: () => string, token: string): OperatorCall {
  return async (method, path, body) => {
    const res = await http(base(), method, `/admin/v1${path}`, { token, body });
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
}

/** A tenant seeded over HTTP has the shape of one seeded in-process. */
export type RemoteTenant = SeededTenant;

let seq = 0;

/** A tenant with its administrator and a day-long bearer token for it. */
export async function remoteTenant(operator: OperatorCall, overrides: Record<string, unknown> = {}): Promise<RemoteTenant> {
  seq += 1;
  const tag = `${process.pid}-${seq}-${Math.random().toString(36).slice(2, 7)}`;
  const tenant = await operator('POST', '/tenants', { name: `Tenant ${tag}`, adminEmail: `admin-${tag}@remote.test`, ...overrides });
  const { token } = await operator('POST', `/users/${tenant.admin.id}/tokens`, { ttlSeconds: 86_400 });
  return { ...tenant, adminToken: token };
}

/** The whole audit trail through the operator API (every page): `action resourceId` keys and the event count. */
export async function auditTrail(operator: OperatorCall): Promise<{ keys: Set<string>; events: number }> {
  const keys = new Set<string>();
  let events = 0;
  let page: string | undefined;
  do {
    const res = await operator('GET', `/audit${page ? `?page=${encodeURIComponent(page)}` : ''}`);
    for (const e of res.items) keys.add(`${e.action} ${e.resourceId}`);
    events += res.items.length;
    page = res.nextPage ?? undefined;
  } while (page);
  return { keys, events };
}
