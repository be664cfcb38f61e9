import http from 'node:http';
import * as common from 'oci-common';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { dialectOf, type Dialect } from '../../src/platform/http/dialect.js';

/** A JSON Schema as the generated OpenAPI document holds it (only the keywords the tests read). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

/** One operation of the OpenAPI document: every route a test must cover, found without a list by hand. */
export interface Operation {
  method: string;
  /** The path template, e.g. `/api/v1/Communities/{communityId}`. */
  path: string;
  dialect: Dialect | 'console';
  /** Every `{name}` of the template (the document does not always declare them as parameters). */
  pathParams: string[];
  query: Parameter[];
  body?: { schema: JsonSchema; required: boolean; contentTypes: string[] };
}

export const routeLabel = (op: Operation) => `${op.method} ${op.path}`;

/** The operations of the app's own generated OpenAPI document (`/openapi.json`). */
export async function operationsOf(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
  const document = res.json() as { paths: Record<string, Record<string, any>> };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const parameters = (op.parameters ?? []) as Parameter[];
      const content = op.requestBody?.content as Record<string, { schema: JsonSchema }> | undefined;
      const contentTypes = content ? Object.keys(content) : [];
      operations.push({
        method: method.toUpperCase(),
        path,
        dialect: path.startsWith('/console/') ? 'console' : dialectOf(path),
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        query: parameters.filter((p) => p.in === 'query'),
        ...(content ? { body: { schema: content[contentTypes[0]].schema, required: op.requestBody.required === true, contentTypes } } : {}),
      });
    }
  }
  return operations;
}

export function fillPath(op: Operation, values: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} of ${routeLabel(op)}`);
    return value;
  });
}

/**
 * An OCI API key as the official SDK signs with it (oci-common's DefaultRequestSigner), for requests
 * sent with `app.inject`. The signature's date comes from the app's clock, so a long run with a
 * manual clock stays inside the 5-minute window.
 */
export function ociSigner(tenancyOcid: string, userOcid: string, fingerprint: string, privateKey: string, now: () => number) {
  const provider = new common.SimpleAuthenticationDetailsProvider(tenancyOcid, userOcid, fingerprint, privateKey, null);
  const signer = new common.DefaultRequestSigner(provider);
  return async (method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Record<string, string>> => {
    const h = new Headers({ ...headers, host: 'localhost', 'x-date': new Date(now()).toUTCString() });
    const request = { method: method as common.Method, uri: `http://localhost${url}`, headers: h, body };
    await signer.signHttpRequest(request);
    return Object.fromEntries(request.headers.entries());
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  json: unknown;
}

/** Sends one request through `inject`, failing (not hanging) after `timeoutMs`. */
export async function send(app: FastifyInstance, options: InjectOptions, timeoutMs = 10_000): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const res = await Promise.race([app.inject(options), timeout]);
    let json: unknown;
    try {
      json = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, text: res.body, json };
  } finally {
    clearTimeout(timer);
  }
}

const isText = (v: unknown) => typeof v === 'string';

/**
 * What is wrong with an error answer's envelope for the dialect of its path, or undefined when it is
 * right: OCS `ErrorResponse` {OperationId, Error, Reason, Resolution}; OCI {code, message} with
 * opc-request-id; OAuth2 {error, error_description}; operator API and console {code, message}.
 */
export function envelopeProblem(path: string, answer: Answer): string | undefined {
  if (answer.status < 400) return undefined;
  const body = answer.json as Record<string, unknown> | undefined;
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) return `content-type ${type || '(none)'} on an error`;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the error body is not a JSON object';
  const keys = Object.keys(body).sort().join(',');
  switch (dialectOf(path)) {
    case 'ocs':
      if (keys !== 'Error,OperationId,Reason,Resolution' || ![body.Error, body.OperationId, body.Reason, body.Resolution].every(isText)) {
        return `not an OCS ErrorResponse: ${keys}`;
      }
      return undefined;
    case 'oci':
      if (keys !== 'code,message' || !isText(body.code) || !isText(body.message)) return `not an OCI error: ${keys}`;
      if (!answer.headers['opc-request-id']) return 'an OCI error without opc-request-id';
      return undefined;
    case 'oauth':
      if (!isText(body.error) || !/^[a-z_]+$/.test(body.error as string)) return `not an OAuth2 error: ${keys}`;
      return undefined;
    case 'admin':
      if (!isText(body.code) || !isText(body.message) || Object.keys(body).some((k) => !['code', 'message', 'details'].includes(k))) {
        return `not an operator-API error: ${keys}`;
      }
      return undefined;
  }
}

/**
 * A deterministic valid value of a schema: every property present (so references to other
 * resources are sent too), `pick(name)` choosing the value of string properties it knows.
 */
export function exampleOf(schema: JsonSchema | undefined, pick: (name: string) => string | undefined, name = '', depth = 0): unknown {
  if (!schema || schema.$ref || depth > 6) return {};
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return exampleOf(options.find((o) => o.type !== 'null') ?? options[0], pick, name, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(schema.properties ?? {})) out[key] = exampleOf(value, pick, key, depth + 1);
      return out;
    }
    case 'array': {
      const item = exampleOf(schema.items, pick, name.replace(/s$/, ''), depth + 1);
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
    }
    case 'integer':
    case 'number':
      return schema.minimum !== undefined ? Math.max(schema.minimum, Math.min(1, schema.maximum ?? 1)) : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string': {
      const chosen = pick(name);
      if (chosen !== undefined) return chosen;
      if (schema.format === 'email' || /@/.test(schema.pattern ?? '')) return `someone@example.test`;
      if (schema.format === 'date-time' || /T\(\?:/.test(schema.pattern ?? '')) return new Date(Date.UTC(2026, 0, 1)).toISOString();
      if (schema.pattern?.startsWith('^[0-9a-f]{8}-')) return '00000000-0000-4000-8000-000000000000';
      if (schema.pattern === '^[A-Z]{3}$') return 'USD';
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    }
    default:
      return 'x';
  }
}

/** The same over a real socket (node:http, so any method may carry a body), failing after `timeoutMs`. */
export function sendHttp(
  base: string,
  options: { method: string; url: string; headers: Record<string, string>; payload?: string },
  timeoutMs = 10_000,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${options.url}`, { method: options.method, headers: options.headers, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    request.on('error', (error) => reject(error.name === 'AbortError' ? new Error(`no answer within ${timeoutMs} ms`) : error));
    if (options.payload !== undefined && !Object.keys(options.headers).some((h) => h.toLowerCase() === 'content-length')) {
      request.setHeader('content-length', Buffer.byteLength(options.payload));
    }
    request.end(options.payload);
  });
}
