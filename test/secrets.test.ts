import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import * as common from 'oci-common';
import { hashSecret, secretsEqual } from '../src/platform/secrets.js';
import { createTestDatabase, ENGINE, type TestDatabase } from './support/app.js';
import { ROOT, startServer, type ServerProcess } from './support/server.js';

/**
 * One full run against a real `tenantry serve` at log level trace — tenants with passwords, user
 * tokens, a client and its access token, API keys signing OCI requests, a console session, a
 * community invitation accepted and confirmed, an organization invitation sent and accepted — and
 * then every secret it handed out is looked for in the log, in every row of every table and in
 * every file of the data directory.
 */
describe('secrets: hashed at rest, never logged', () => {
  let store: TestDatabase;
  let server: ServerProcess;
  const operatorToken = `operator-${Math.random().toString(36).slice(2)}-never-logged`;
  /** Every secret the run handed out or sent, by name. */
  const secrets: Record<string, string> = { operatorToken };
  let sessionId = '';
  let userToken = '';
  let clientSecret = '';

  before(async () => {
    store = await createTestDatabase();
    server = await startServer({ ...store.env, TENANTRY_OPERATOR_TOKEN: operatorToken, TENANTRY_LOG_LEVEL: 'trace', TENANTRY_WORKER_POLL: '50ms' });
  });
  after(async () => {
    await server.stop();
    await store.drop();
  });

  async function call(method: string, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; form?: string } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${server.url}${url}`, { method, headers, body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  const op = async (method: string, url: string, body?: unknown) => {
    const res = await call(method, `/admin/v1${url}`, { token: operatorToken, body });
    assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** An API key for the user; requests it signs record their signature as a secret too. */
  async function signer(user: { id: string; ocid: string }, tenancyOcid: string, name: string) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    secrets[`${name} private key`] = privateKey.split('\n')[1];
    const { fingerprint } = await op('POST', `/users/${user.id}/api-keys`, { publicKey });
    const provider = new common.SimpleAuthenticationDetailsProvider(tenancyOcid, user.ocid, fingerprint, privateKey, null);
    let n = 0;
    return async (method: 'GET' | 'POST', url: string, body?: unknown) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const headers = new Headers({ 'content-type': 'application/json' });
      const request = { method, uri: `${server.url}${url}`, headers, body: text };
      await new common.DefaultRequestSigner(provider).signHttpRequest(request);
      headers.delete('host');
      secrets[`${name} signature ${++n}`] = /signature="([^"]+)"/.exec(headers.get('authorization') ?? '')![1];
      const res = await fetch(request.uri, { method, headers, body: text });
      const answer = await res.text();
      return { status: res.status, headers: res.headers, body: answer ? JSON.parse(answer) : undefined };
    };
  }

  async function untilSucceeded(sign: Awaited<ReturnType<typeof signer>>, workRequestId: string | null) {
    assert.ok(workRequestId, 'an opc-work-request-id');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const wr = await sign('GET', `/20230401/workRequests/${workRequestId}`);
      if (wr.body.status === 'SUCCEEDED') return;
      assert.ok(!['FAILED', 'CANCELED'].includes(wr.body.status) && Date.now() < deadline, JSON.stringify(wr.body));
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  test('a full run: passwords, tokens, a client secret, API keys, a console session, both kinds of invitation', async () => {
    secrets.passwordA = 'parent tenancy password 9f8e7d';
    secrets.passwordB = 'child tenancy password 1a2b3c';
    secrets.memberPassword = 'member password 5d6e7f';
    const a = await op('POST', '/tenants', { name: 'Secret Parent', adminEmail: 'admin@parent.secret', adminPassword: secrets.passwordA });
    const b = await op('POST', '/tenants', { name: 'Secret Child', adminEmail: 'admin@child.secret', adminPassword: secrets.passwordB, subscriptionType: 'PAYG' });
    await op('POST', `/tenants/${a.id}/users`, { email: 'member@parent.secret', password: secrets.memberPassword, roles: ['TenantMember'] });
    userToken = secrets.userToken = (await op('POST', `/users/${a.admin.id}/tokens`, {})).token;
    const client = await op('POST', `/tenants/${b.id}/clients`, { name: 'automation', roles: ['TenantAdministrator'] });
    clientSecret = secrets.clientSecret = client.clientSecret;
    const issued = await call('POST', '/identity/connect/token', {
      form: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${encodeURIComponent(client.clientSecret)}`,
    });
    assert.equal(issued.status, 200);
    secrets.accessToken = issued.body.access_token;

    // The console: sign in, then create a community with the session and its CSRF token.
    const signedIn = await fetch(`${server.url}/console/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@parent.secret', password: secrets.passwordA }),
    });
    assert.equal(signedIn.status, 200);
    sessionId = secrets.sessionId = /tenantry_session=([^;]+)/.exec(signedIn.headers.getSetCookie().join('\n'))![1];
    secrets.csrfToken = (await signedIn.json()).session.csrfToken;
    const session = { cookie: `tenantry_session=${sessionId}`, 'x-csrf-token': secrets.csrfToken };
    const community = await call('POST', '/api/v1-preview/Communities', { headers: session, body: { Name: 'Secretive', Description: 'd' } });
    assert.equal(community.status, 201, JSON.stringify(community.body));

    // Community handshake: invite (user token), accept (the other tenant's client), confirm.
    const invitation = await call('POST', `/api/v1-preview/Communities/${community.body.Id}/Invitations`, { token: userToken, body: { InvitationRecipient: 'ops@child.secret' } });
    assert.equal(invitation.status, 201);
    const accepted = await call('PUT', `/api/v1-preview/CommunityInvitations/${invitation.body.Id}`, {
      token: secrets.accessToken,
      body: { Action: 'Accept', ContactEmail: 'ops@child.secret' },
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const confirmed = await call('PUT', `/api/v1-preview/CommunityInvitations/${invitation.body.Id}`, { headers: session, body: { Action: 'Confirm' } });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));

    // Organization handshake over signed requests.
    const parent = await signer(a.admin, a.ocid, 'parent');
    const child = await signer(b.admin, b.ocid, 'child');
    const sent = await parent('POST', '/20230401/senderInvitations', { compartmentId: a.ocid, recipientTenancyId: b.ocid, recipientEmailAddress: 'finance@child.secret' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await untilSucceeded(parent, sent.headers.get('opc-work-request-id'));
    const pending = await child('GET', `/20230401/recipientInvitations?compartmentId=${encodeURIComponent(b.ocid)}`);
    assert.equal(pending.body.items.length, 1);
    const accept = await child('POST', `/20230401/recipientInvitations/${pending.body.items[0].id}/actions/accept`);
    assert.equal(accept.status, 202, JSON.stringify(accept.body));
    await untilSucceeded(child, accept.headers.get('opc-work-request-id'));
    // Let the worker deliver the mails of the run.
    await new Promise((r) => setTimeout(r, 1000));
  });

  test('no secret of the run appears in the log, in any form a request could carry it', () => {
    const log = server.output();
    assert.match(log, /"url":"\/console\/api\/sign-in"/, 'the log recorded the requests');
    assert.match(log, /"url":"\/identity\/connect\/token"/);
    assert.match(log, /"url":"\/20230401\/senderInvitations"/);
    assert.ok(Object.keys(secrets).length >= 14, Object.keys(secrets).join(', '));
    for (const [name, secret] of Object.entries(secrets)) {
      for (const form of new Set([secret, encodeURIComponent(secret)])) assert.ok(!log.includes(form), `${name} appears in the log`);
    }
    console.log(`secrets: issued=${Object.keys(secrets).length} logLines=${log.split('\n').length} found=0`);
  });

  test('no secret is stored in plaintext in any column of any table; tokens, client secrets and sessions are stored as SHA-256, passwords as argon2id', async () => {
    const db = store.database.db;
    const tables =
      ENGINE === 'postgres'
        ? (await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(db)).rows
        : (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db)).rows;
    assert.ok(tables.length > 20, `${tables.length} tables`);
    let stored = '';
    for (const { name } of tables) {
      const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(db)).rows;
      stored += `\n${name}: ${JSON.stringify(rows)}`;
    }
    for (const [name, secret] of Object.entries(secrets)) assert.ok(!stored.includes(secret), `${name} is stored in plaintext`);
    // The scan did read the credentials: their hashes are there.
    for (const [name, secret] of Object.entries({ userToken, clientSecret, sessionId, accessToken: secrets.accessToken })) {
      assert.ok(stored.includes(hashSecret(secret)), `the SHA-256 of ${name} is stored`);
    }
    const hashes = (await db.selectFrom('users').select(['email', 'password_hash']).execute()).filter((u) => u.password_hash !== null);
    assert.equal(hashes.length, 3, JSON.stringify(hashes.map((u) => u.email)));
    for (const { email, password_hash } of hashes) assert.match(password_hash!, /^\$argon2id\$v=19\$[mtp=\d,]+\$[\w+/]+\$[\w+/]+$/, email);
  });

  test('no secret is in any file of the data directory (store files and mail included)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(store.dataDir);
    const mails = files.filter((f) => f.endsWith('.eml'));
    assert.ok(mails.length >= 3, `mail files: ${mails.length}`);
    if (ENGINE === 'sqlite') assert.ok(files.some((f) => f.endsWith('tenantry.sqlite')));
    const contents = files.map((f) => [f, fs.readFileSync(f)] as const);
    if (ENGINE === 'sqlite') {
      assert.ok(contents.some(([, bytes]) => bytes.includes(hashSecret(userToken))), 'the store files hold the token hash');
    }
    for (const [name, secret] of Object.entries(secrets)) {
      for (const [file, bytes] of contents) assert.ok(!bytes.includes(secret), `${name} is in ${path.relative(store.dataDir, file)}`);
    }
  });
});

describe('secrets: constant-time comparisons', () => {
  test('secretsEqual compares secrets of any length without throwing', () => {
    assert.equal(secretsEqual('abc', 'abc'), true);
    assert.equal(secretsEqual('abc', 'abd'), false);
    assert.equal(secretsEqual('abc', 'abcd'), false);
    assert.equal(secretsEqual('', ''), true);
  });

  test('no source file compares a secret, token, hash or password with === or !==', () => {
    const offenders: string[] = [];
    const secretName = /\b\w*(secret|token|password|passphrase|csrf|session_?id|_hash|hash)\w*\b/i;
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (full.endsWith('.ts')) {
          fs.readFileSync(full, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              for (const match of line.matchAll(/((?:'[^']*'|"[^"]*"|[\w.$[\]])+)\s*[!=]==\s*((?:'[^']*'|"[^"]*"|[\w.$[\]])+)/g)) {
                const [, left, right] = match;
                if ([left, right].some((side) => /^(undefined|null|true|false|'[^']*'|"[^"]*"|\d+)$|\[\d+\]$/.test(side))) continue;
                if (secretName.test(left) || secretName.test(right)) offenders.push(`${path.relative(ROOT, full)}:${i + 1}: ${line.trim()}`);
              }
            });
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    // Not secrets: a request's own body digest and the hash of a retried request's body (both
    // computable by anyone who has the body).
    const allowed = [/oci-signature\.ts:.*digest !== header\(request\.headers, 'x-content-sha256'\)/, /retry-tokens\.service\.ts:.*request_hash !== hash/];
    assert.deepEqual(
      offenders.filter((line) => !allowed.some((a) => a.test(line))),
      [],
      'compare secrets with secretsEqual (crypto.timingSafeEqual)',
    );
  });
});
