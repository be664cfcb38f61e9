import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { operator, type TestApp } from './support/app.js';
import type { Party } from './support/governance.js';
import { envelopeProblem, fillPath, operationsOf, routeLabel, send, sendHttp, type Answer, type JsonSchema, type Operation } from './support/routes.js';
import { createWorlds, idFor, type World, type Worlds } from './support/world.js';

// Bad input (issue 10): a property-based fuzzer over every route of the generated OpenAPI document.
// Each case is one request with generated path ids, query string, headers and body: about half well
// formed (A's real ids, bodies shaped by the route's schema, A's credentials) so they reach the
// services, the rest anything (junk, traversal and overlong ids, wrong types, huge or broken bodies,
// odd content types and spellings, no or broken credentials); one in six goes over a real socket.
// Properties: an answer within the time limit and never a 5xx; every error in the envelope of its
// dialect; a 4xx changes no row of the store (every table hashed before and after); nothing behind
// authentication answers 2xx without valid credentials.
//
// The default run is bounded (3,000 cases or 75 s); TENANTRY_LONG_TESTS=1 runs the long variant
// (50,000 cases or 10 min). Each run prints its seed: TENANTRY_FUZZ_SEED=<seed> draws the same cases
// again on a fresh store (fresh ids too). TENANTRY_FUZZ_RUNS sets the count; TENANTRY_FUZZ_KEEP_GOING=1
// collects every failure instead of stopping at the first; TENANTRY_FUZZ_COVERAGE=<file> lists the
// routes that never answered 2xx.

const LONG = process.env.TENANTRY_LONG_TESTS === '1';
const RUNS = Number(process.env.TENANTRY_FUZZ_RUNS ?? (LONG ? 50_000 : 3_000));
/** A busy machine runs fewer cases: the run stops at this time and says how many it tried. */
const TIME_LIMIT_MS = LONG ? 10 * 60_000 : 75_000;
const MIN_CASES = LONG ? 10_000 : 600;
const SEED = process.env.TENANTRY_FUZZ_SEED ? Number(process.env.TENANTRY_FUZZ_SEED) : randomBytes(4).readInt32LE();
const KEEP_GOING = process.env.TENANTRY_FUZZ_KEEP_GOING === '1';
const TIMEOUT_MS = 10_000;
/** Every this many cases the outbox worker runs what the successful requests queued. */
const DRAIN_EVERY = 200;

type Auth = 'proper' | 'none' | 'broken';

interface Case {
  op: Operation;
  /** Sent over a real socket instead of `inject`. */
  overHttp: boolean;
  method: string;
  url: string;
  auth: Auth;
  brokenAuth: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * SQLite's count of rows written on its one connection: while it stands still nothing was written, so
 * the store needs no hashing (it also moves for writes a rollback undid, so it only says when to hash).
 */
async function writeCount(t: TestApp): Promise<number | undefined> {
  if (t.database.dialect.engine !== 'sqlite') return undefined;
  const { rows } = await sql<{ n: number }>`select total_changes() as n`.execute(t.database.db);
  return Number(rows[0].n);
}

/** A hash of every row of every table: equal before and after a request that changed nothing. */
async function storeFingerprint(t: TestApp, tables: string[]): Promise<string> {
  const db = t.database.db;
  const hash = createHash('sha256');
  if (t.database.dialect.engine === 'postgres') {
    const parts = tables.map((name) => sql`select ${name} as t, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h from ${sql.table(name)} x`);
    const { rows } = await sql<{ t: string; h: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
    for (const row of rows.sort((x, y) => x.t.localeCompare(y.t))) hash.update(`${row.t}:${row.h}\n`);
  } else {
    for (const name of tables) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
      const lines = rows.map((r) => JSON.stringify(r, (_, v) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v))).sort();
      hash.update(`${name}:${lines.join('\n')}\n`);
    }
  }
  return hash.digest('hex');
}

async function tablesOf(t: TestApp): Promise<string[]> {
  const db = t.database.db;
  const query =
    t.database.dialect.engine === 'postgres'
      ? sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`
      : sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
  return (await query.execute(db)).rows.map((r) => r.name).sort();
}

const JUNK_IDS = [
  '..',
  '.',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%ZZ',
  '%',
  ' ',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  '{id}',
  ':id',
  '*',
  "'; drop table tenants; --",
  'ocid1.tenancy.oc1..',
  'ocid1.tenancy.oc2..aaaa',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
];

/** Words the services act on (actions, grant types, enum-like strings), so that free text sometimes means something. */
const VOCABULARY = ['client_credentials', 'Accept', 'Decline', 'Confirm', 'Resend', 'ocsapi', 'LINK', 'GOVERNANCE', 'QUOTA', 'TAG', 'ALLOWED_REGIONS', 'TENANCY', 'ALL', 'TEMPLATE', 'us-ashburn-1', 'eu-frankfurt-1', 'COMPUTE', 'Paused', 'Active', 'Reading', 'TenantAdministrator', 'TenantMember', 'CommunityAdministrator', 'nul\u0000inside', '\u202e\ufeff'];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'application/json-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  ';;;',
];

const safeEncode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'));
  }
};

/** Printable header text (what an HTTP client can send at all). */
const headerText = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });

describe('fuzzing every route of the OpenAPI document', () => {
  let t: TestApp;
  let a: World;
  let b: World;
  let third: Party;
  let worlds: Worlds;
  let operations: Operation[];
  let tables: string[];
  let client: { clientId: string; clientSecret: string };
  let pool: string[];

  before(async () => {
    worlds = await createWorlds();
    ({ t, a, b, third } = worlds);
    client = await operator(t, 'POST', `/tenants/${a.tenant.id}/clients`, { name: 'fuzz', roles: ['TenantAdministrator'] });
    // From here on the fuzzer runs the worker itself, so nothing changes the store between a request and its check.
    await t.worker.stop();
    operations = await operationsOf(t.app);
    tables = await tablesOf(t);
    pool = [...new Set([...Object.values(a.ids), ...Object.values(b.ids), third.tenant.id, third.tenant.ocid, a.tenant.ocid, b.tenant.ocid])];
  });
  after(() => worlds?.close());

  /** Ids: A's real one for the parameter most of the time, else anyone's, made-up or junk. */
  const idArb = (op: Operation, name: string): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(safeEncode(idFor(a, op.path, name))) },
      { weight: 1, arbitrary: fc.constant(safeEncode(idFor(b, op.path, name))) },
      { weight: 1, arbitrary: fc.constantFrom(...pool).map(safeEncode) },
      { weight: 1, arbitrary: fc.uuid().map((u) => (Math.random() < 0.5 ? u.toUpperCase() : u)) },
      { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,60}$/).map((s) => `ocid1.${name.replace(/Id$/, '').toLowerCase()}.oc1..${s}`) },
      { weight: 1, arbitrary: fc.constantFrom(...JUNK_IDS) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(safeEncode) },
      { weight: 1, arbitrary: fc.integer({ min: 90, max: 6000 }).map((n) => 'a'.repeat(Math.random() < 0.7 ? Math.min(n, 100) : n)) },
    );

  /** Values shaped by a JSON schema (valid most of the time), with real ids where the name asks for one. */
  function valueArb(schema: JsonSchema | undefined, name: string, depth = 0): fc.Arbitrary<unknown> {
    if (!schema || schema.$ref || depth > 5) return fc.jsonValue({ maxDepth: 2 });
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.const !== undefined) return fc.constant(schema.const);
    const options = schema.anyOf ?? schema.oneOf;
    if (options) return fc.oneof(...options.map((o) => valueArb(o, name, depth + 1)));
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    const base = ((): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'object': {
          const props = schema.properties ?? {};
          const record = fc.record(
            Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueArb(v, k, depth + 1)])),
            { requiredKeys: (schema.required ?? []).filter((k) => k in props) },
          );
          if (Object.keys(props).length === 0 && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
            return fc.dictionary(fc.string({ maxLength: 12 }), valueArb(schema.additionalProperties, name, depth + 1), { maxKeys: 3 });
          }
          return record;
        }
        case 'array':
          return fc.array(valueArb(schema.items, name, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
        case 'integer':
          return fc.integer({ min: Math.max(schema.minimum ?? -1000, -(2 ** 31)), max: Math.min(schema.maximum ?? 100_000, 2 ** 31) });
        case 'number':
          return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'string': {
          const own = ownId(name);
          if (own) return fc.oneof({ weight: 3, arbitrary: fc.constant(own) }, { weight: 1, arbitrary: stringArb(schema, name) });
          return stringArb(schema, name);
        }
        default:
          return fc.jsonValue({ maxDepth: 2 });
      }
    })();
    return schema.nullable ? fc.option(base, { nil: null, freq: 8 }) : base;
  }

  /** Strings by format or pattern; free text otherwise, sometimes an id of the pool or a word the services know. */
  function stringArb(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    const max = Math.min(schema.maxLength ?? 60, 60);
    const min = Math.min(schema.minLength ?? 0, max);
    if (schema.format === 'email' || /@/.test(schema.pattern ?? '')) return fc.emailAddress();
    if (schema.format === 'date-time' || /T\(\?:/.test(schema.pattern ?? '')) return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString());
    if (schema.pattern?.startsWith('^[0-9a-f]{8}-')) return fc.oneof(fc.constantFrom(...pool.filter((p) => /^[0-9a-f]{8}-/.test(p))), fc.uuid());
    if (schema.pattern?.startsWith('^')) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 1e9));
    const text = fc.string({ minLength: min, maxLength: max });
    if (/id$|Ids?$/i.test(name)) return fc.oneof(fc.constantFrom(...pool), text);
    return fc.oneof({ weight: 3, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom(...VOCABULARY) });
  }

  /** A's own id for a field or parameter of this name (OCI scopes are A's tenancy; recipients the third one). */
  function ownId(name: string): string | undefined {
    const n = name.replace(/Ids$/, 'Id');
    if (n === 'compartmentId' || n === 'parentTenancyId' || n === 'senderTenancyId') return a.tenant.ocid;
    if (n === 'recipientTenancyId') return third.tenant.ocid;
    if (n === 'childTenancyId') return a.ids.tenancyId;
    if (n === 'resourceId') return a.ids.governanceRuleId;
    if (n === 'searchTenantId') return a.tenant.id;
    return a.ids[n];
  }

  /** A body: schema-shaped, schema-shaped with one field of the wrong type, any JSON, or not JSON at all. */
  function bodyArb(op: Operation): fc.Arbitrary<string | undefined> {
    const shaped = op.body ? valueArb(op.body.schema, '') : fc.constant(undefined);
    const mutated = fc.tuple(shaped, fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })).map(([value, key, junk]) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const keys = Object.keys(value);
        const target = keys.length ? keys[key.length % keys.length] : key;
        return JSON.stringify({ ...value, [target]: junk });
      }
      return JSON.stringify(junk);
    });
    return fc.oneof(
      { weight: op.body ? 8 : 1, arbitrary: shaped.map((v) => (v === undefined ? undefined : JSON.stringify(v))) },
      { weight: op.body ? 3 : 1, arbitrary: mutated },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constantFrom('{', '[', '{"a":', 'null', '""', '[]', '{}', '\u0000', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}') },
      { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 1_100_000 }).map((n) => JSON.stringify({ huge: 'x'.repeat(n) })) },
      { weight: op.body ? 1 : 6, arbitrary: fc.constant(undefined) },
    );
  }

  function queryArb(op: Operation, wellFormed = false): fc.Arbitrary<string> {
    const valid = (p: Operation['query'][number]) => valueArb(p.schema, p.name).map((v) => [`${p.name}=${safeEncode(String(v))}`]);
    if (wellFormed) return fc.tuple(...op.query.map((p) => fc.option(valid(p), { freq: 3 })), fc.constant(null)).map((parts) => parts.flatMap((p) => p ?? []).join('&'));
    const params = op.query.map((p) =>
      fc.option(
        fc.oneof(
          { weight: 4, arbitrary: valid(p) },
          { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map((v) => [`${p.name}=${safeEncode(v)}`]) },
          { weight: 1, arbitrary: fc.tuple(fc.nat(9), fc.nat(9)).map(([x, y]) => [`${p.name}=${x}`, `${p.name}=${y}`]) },
          { weight: 1, arbitrary: fc.constantFrom('-1', '1e400', 'NaN', '', '%', 'true', '[]', '9'.repeat(40)).map((v) => [`${p.name}=${v}`]) },
        ),
        { freq: 2 },
      ),
    );
    const extra = fc.option(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([k, v]) => [`${safeEncode(k)}=${safeEncode(v)}`]), { freq: 5 });
    return fc.tuple(...params, extra).map((parts) => parts.flatMap((p) => p ?? []).join('&'));
  }

  const headersArb = fc.record(
    {
      'content-type': fc.constantFrom(...CONTENT_TYPES),
      'if-match': fc.oneof(fc.constant('*'), headerText(80), fc.constant('"x"')),
      'opc-retry-token': fc.oneof(fc.constantFrom('fuzz-1', 'fuzz-2'), headerText(300)),
      'community-id': fc.oneof(fc.constant(''), fc.uuid(), headerText(60)),
      'opc-request-id': headerText(120),
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'),
    },
    { requiredKeys: [] },
  );

  /** Text made of the characters credential parsers split and decode on. */
  const credentialText = fc.string({ unit: fc.constantFrom('%', 'E', '4', 'a', 'z', ':', '+', '=', '"', ',', ' ', '/', '.', '\u00e9'), maxLength: 24 });
  const brokenAuthArb = fc.oneof(
    fc.constantFrom('Bearer', 'Bearer ', 'Bearer  x y', 'Basic', 'Basic %%%', 'Basic Og==', 'Signature', 'Signature keyId="a/b/c",signature="x"'),
    fc.constantFrom('Signature version="2",keyId="x"', 'Signature headers="date",keyId="ocid1.tenancy.oc1..x/ocid1.user.oc1..y/aa:bb",algorithm="rsa-sha256",signature="AAAA"'),
    fc.tuple(credentialText, credentialText).map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`),
    fc.record({ keyId: credentialText, headers: credentialText, signature: credentialText, algorithm: fc.constantFrom('rsa-sha256', 'hmac-sha256', '') }).map(
      (p) => `Signature ${Object.entries(p).map(([k, v]) => `${k}="${v}"`).join(',')}`,
    ),
    headerText(200).map((s) => `Bearer ${s}`),
    headerText(200),
    fc.integer({ min: 9000, max: 20_000 }).map((n) => `Bearer ${'a'.repeat(n)}`),
  );

  /**
   * The token endpoint and the console's session routes parse credentials themselves, and each
   * /api/v1-preview route repeats an /api/v1 one: those get more, and these fewer, of the cases.
   */
  /** Paths as clients misspell them: OCS matches case-insensitively and tolerates doubled and trailing slashes. */
  const respell = (path: string, spelling: string) =>
    spelling === 'lower' ? path.toLowerCase() : spelling === 'upper' ? path.toUpperCase() : spelling === 'double-slashes' ? path.replace(/\//g, '//') : spelling === 'trailing-slash' ? `${path}/` : path;

  /** One case in six goes over a real socket: the HTTP parser, connection handling and timeouts too. */
  const overHttpArb = fc.nat(5).map((n) => n === 0);
  const ownCredentials = (op: Operation) => op.dialect === 'oauth' || op.dialect === 'console';
  const weightOf = (op: Operation) => (ownCredentials(op) ? 12 : op.path.startsWith('/api/v1-preview/') ? 1 : 2);

  // One arbitrary per operation, built once: building them (regexes, schemas) costs more than drawing from them.
  const perOperation = new Map<Operation, fc.Arbitrary<Case>>();
  const caseArb = (): fc.Arbitrary<Case> =>
    fc.oneof(...operations.map((op) => ({ weight: weightOf(op), arbitrary: fc.constant(op) }))).chain((op) => {
      const known = perOperation.get(op);
      if (known) return known;
      const made = operationCaseArb(op);
      perOperation.set(op, made);
      return made;
    });

  /**
   * About half the cases are well formed (A's real ids, schema-shaped query and body, the route's content
   * type, A's credentials), so that they get past validation into the services; the other half are not.
   */
  const operationCaseArb = (op: Operation): fc.Arbitrary<Case> =>
    // A well-formed DELETE removes a resource for the rest of the run: fewer of them leave more to reach.
    fc.oneof({ weight: op.method === 'DELETE' ? 1 : 5, arbitrary: wellFormedCaseArb(op) }, { weight: 5, arbitrary: fuzzyCaseArb(op) });

  const wellFormedCaseArb = (op: Operation): fc.Arbitrary<Case> =>
    fc
      .record({
        query: queryArb(op, true),
        body: op.body ? valueArb(op.body.schema, '').map((v) => JSON.stringify(v)) : fc.constant(undefined),
        retryToken: fc.option(fc.constantFrom('well-1', 'well-2', 'well-3'), { freq: 3 }),
        pick: fc.nat(11),
        overHttp: overHttpArb,
      })
      .map(({ query, body, retryToken, pick, overHttp }) => {
        const filled = fillPath(op, Object.fromEntries(op.pathParams.map((n) => [n, safeEncode(idFor(a, op.path, n))])));
        const headers: Record<string, string> = {};
        if (body !== undefined) headers['content-type'] = op.body!.contentTypes[0];
        if (retryToken) headers['opc-retry-token'] = retryToken;
        return { op, overHttp, method: op.method, url: query ? `${filled}?${query}` : filled, auth: 'proper', brokenAuth: 'x'.repeat(pick), headers, body };
      });

  const fuzzyCaseArb = (op: Operation): fc.Arbitrary<Case> =>
    fc
      .record({
        path: fc.tuple(...op.pathParams.map((n) => idArb(op, n)), fc.constant('')),
        query: queryArb(op),
        headers: headersArb,
        body: bodyArb(op),
        auth: ownCredentials(op)
          ? fc.constantFrom<Auth>('proper', 'none', 'broken', 'broken')
          : fc.constantFrom<Auth>('proper', 'proper', 'proper', 'proper', 'proper', 'proper', 'none', 'broken'),
        brokenAuth: brokenAuthArb,
        method: fc.oneof({ weight: 19, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') }),
        overHttp: overHttpArb,
        spelling: fc.constantFrom('as-is', 'as-is', 'as-is', 'as-is', 'as-is', 'as-is', 'lower', 'upper', 'double-slashes', 'trailing-slash'),
      })
      .map(({ path, query, headers, body, auth, brokenAuth, method, overHttp, spelling }) => {
        const filled = respell(fillPath(op, Object.fromEntries(op.pathParams.map((n, i) => [n, path[i]]))), spelling);
        const h: Record<string, string> = { ...headers };
        // Mostly the content type the route takes, so that the body reaches validation.
        if (body !== undefined && op.body && brokenAuth.length % 3 !== 0) h['content-type'] = op.body.contentTypes[0];
        if (body === undefined) delete h['content-type'];
        return { op, overHttp, method, url: query ? `${filled}?${query}` : filled, auth, brokenAuth, headers: h, body };
      });

  async function sendCase(c: Case): Promise<Answer> {
    let headers = { ...c.headers };
    let body = c.body;
    if (c.op.path === '/identity/connect/token' && c.auth === 'proper' && c.body !== undefined && c.brokenAuth.length % 2 === 0) {
      // The token endpoint's own credentials: a form with A's client.
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${safeEncode(client.clientSecret)}`;
    } else if (c.auth === 'broken') {
      headers.authorization = c.brokenAuth;
      if (c.op.path === '/identity/connect/token' && c.brokenAuth.length % 2 === 0) {
        // A valid grant, so that the broken credentials are what the endpoint has to deal with.
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = 'grant_type=client_credentials';
      }
    } else if (c.auth === 'proper') {
      switch (c.op.dialect) {
        case 'ocs':
          headers.authorization = `Bearer ${c.brokenAuth.length % 4 === 0 ? a.client.token : a.tenant.adminToken}`;
          break;
        case 'admin':
          headers.authorization = `Bearer ${t.operatorToken}`;
          break;
        case 'oci':
          headers = await a.sign(c.method, c.url, headers, body);
          break;
        default:
          break;
      }
    }
    if (c.overHttp) return sendHttp(worlds.url, { method: c.method, url: c.url, headers, ...(body === undefined ? {} : { payload: body }) }, TIMEOUT_MS);
    return send(t.app, { method: c.method as 'GET', url: c.url, headers, ...(body === undefined ? {} : { payload: body }) }, TIMEOUT_MS);
  }

  const describeCase = (c: Case) =>
    `${c.overHttp ? 'HTTP ' : ''}${c.method} ${c.url.slice(0, 300)} auth=${c.auth === 'broken' ? `broken(${c.brokenAuth.slice(0, 120)})` : c.auth} headers=${JSON.stringify(c.headers).slice(0, 300)} body=${(c.body ?? '(none)').slice(0, 300)}`;

  test('the store check sees a change, and sees none after a refused request', async () => {
    const before = await storeFingerprint(t, tables);
    const refused = await send(t.app, { method: 'POST', url: '/api/v1/Communities', headers: { authorization: `Bearer ${a.tenant.adminToken}`, 'content-type': 'application/json' }, payload: '{"Name":' });
    assert.equal(refused.status, 400);
    assert.equal(await storeFingerprint(t, tables), before);
    await operator(t, 'POST', `/tenants/${a.tenant.id}/namespaces`, { id: `fuzz-check-${randomBytes(3).toString('hex')}` });
    assert.notEqual(await storeFingerprint(t, tables), before);
  });

  test('no 5xx, no hang, errors in the dialect envelope, and a 4xx changes nothing', { timeout: LONG ? 1_200_000 : 600_000 }, async () => {
    fs.rmSync(path.join(os.tmpdir(), 'fuzz-failures.txt'), { force: true });
    let baseline = await storeFingerprint(t, tables);
    let baselineWrites = await writeCount(t);
    let cases = 0;
    const routesHit = new Set<string>();
    const succeeded = new Set<string>();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const started = Date.now();
    let requestMs = 0;
    let checkMs = 0;
    console.log(`fuzz: seed=${SEED} runs=${RUNS} (replay with TENANTRY_FUZZ_SEED=${SEED})`);

    const property = fc.asyncProperty(caseArb(), async (c) => {
      cases += 1;
      if (cases % DRAIN_EVERY === 0) {
        await t.worker.drain();
        baseline = await storeFingerprint(t, tables);
        baselineWrites = await writeCount(t);
      }
      routesHit.add(routeLabel(c.op));
      let problem: string | undefined;
      let answer: Answer | undefined;
      const sentAt = performance.now();
      try {
        answer = await sendCase(c);
      } catch (error) {
        problem = `no answer: ${(error as Error).message}`;
      }
      requestMs += performance.now() - sentAt;
      if (answer) {
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status < 300) succeeded.add(routeLabel(c.op));
        const notImplemented = answer.status === 501 && (answer.json as { code?: string } | undefined)?.code === 'NotImplemented';
        if (answer.status >= 500 && !notImplemented) problem = `${answer.status} ${answer.text.slice(0, 300)}`;
        // Without credentials (or with broken ones) nothing behind authentication answers 2xx/3xx.
        if (c.auth !== 'proper' && ['ocs', 'oci', 'admin'].includes(c.op.dialect) && answer.status < 400) problem ??= `${answer.status} without valid credentials`;
        // A HEAD answer has headers only.
        if (c.method !== 'HEAD') problem ??= envelopeProblem(c.url, answer);
        const checkedAt = performance.now();
        const writes = await writeCount(t);
        if (writes === undefined || writes !== baselineWrites) {
          const after = await storeFingerprint(t, tables);
          if (!problem && answer.status >= 400 && answer.status < 500 && after !== baseline) problem = `${answer.status} changed the store: ${answer.text.slice(0, 200)}`;
          baseline = after;
          baselineWrites = writes;
        }
        checkMs += performance.now() - checkedAt;
      }
      if (!problem) return true;
      const line = `${problem}\n    ${describeCase(c)}`;
      failures.push(line);
      if (KEEP_GOING) return true;
      throw new Error(line);
    });
    const details = await fc.check(property, { numRuns: RUNS, seed: SEED, endOnFailure: true, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const byStatus = [...statuses.entries()].sort(([x], [y]) => x - y).map(([s, n]) => `${s}:${n}`).join(' ');
    console.log(`fuzz: routes=${operations.length} hit=${routesHit.size} answered2xx=${succeeded.size} cases=${cases} failures=${failures.length} seconds=${seconds} (requests ${(requestMs / 1000).toFixed(1)} s, store checks ${(checkMs / 1000).toFixed(1)} s) statuses ${byStatus}`);
    if (details.failed) console.log(fc.defaultReportMessage(details));
    if (process.env.TENANTRY_FUZZ_COVERAGE) fs.writeFileSync(process.env.TENANTRY_FUZZ_COVERAGE, operations.map(routeLabel).filter((r) => !succeeded.has(r)).join('\n'));
    if (failures.length) fs.writeFileSync(path.join(os.tmpdir(), 'fuzz-failures.txt'), failures.join('\n'));
    assert.equal(failures.length, 0, `${failures.length} failing cases (seed ${SEED}), in ${path.join(os.tmpdir(), 'fuzz-failures.txt')}; the first:\n${failures[0]}`);
    assert.equal(details.failed, false);
    assert.ok(cases >= Math.min(RUNS, MIN_CASES), `only ${cases} cases ran within ${TIME_LIMIT_MS / 1000} s`);
  });
});
