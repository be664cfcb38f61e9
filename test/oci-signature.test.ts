import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as common from 'oci-common';
import * as tm from 'oci-tenantmanagercontrolplane';
import { verifyOciSignature } from '../src/platform/http/oci-signature.js';
import { createTestApp, operator, seedTenant, type TestApp } from './support/app.js';

function newKeyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

describe('OCI request signatures', () => {
  let t: TestApp;
  let url: string;
  let provider: common.SimpleAuthenticationDetailsProvider;
  let unknownProvider: common.SimpleAuthenticationDetailsProvider;
  const clients: Array<{ close(): void }> = [];

  before(async () => {
    t = await createTestApp();
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const tenant = await seedTenant(t);
    const keys = newKeyPair();
    const registered = await operator(t, 'POST', `/users/${tenant.admin.id}/api-keys`, { publicKey: keys.publicKey });
    provider = new common.SimpleAuthenticationDetailsProvider(tenant.ocid, tenant.admin.ocid, registered.fingerprint, keys.privateKey, null);
    const stranger = newKeyPair();
    // The same kind of fingerprint, of a key the server has never seen.
    const fingerprint = createHash('md5')
      .update(createPublicKey(stranger.publicKey).export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .match(/../g)!
      .join(':');
    unknownProvider = new common.SimpleAuthenticationDetailsProvider(tenant.ocid, tenant.admin.ocid, fingerprint, stranger.privateKey, null);
  });
  after(async () => {
    for (const c of clients) c.close();
    await t.close();
  });

  function sdkClient(p: common.AuthenticationDetailsProvider) {
    const client = new tm.SenderInvitationClient(
      { authenticationDetailsProvider: p },
      { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) },
    );
    client.endpoint = url;
    clients.push(client);
    return client;
  }

  async function sdkStatus(p: common.AuthenticationDetailsProvider): Promise<{ status: number; code: string }> {
    try {
      await sdkClient(p).getSenderInvitation({ senderInvitationId: 'ocid1.senderinvitation.oc1..nothing' });
      return { status: 200, code: '' };
    } catch (error) {
      const e = error as { statusCode: number; serviceCode: string };
      return { status: e.statusCode, code: e.serviceCode };
    }
  }

  /** Signs a request with the SDK's own signer, then lets the test change it before it is sent. */
  async function signed(p: common.AuthenticationDetailsProvider, method: common.Method, path: string, body?: string, xDate?: string) {
    const headers = new Headers({ 'content-type': 'application/json' });
    if (xDate) headers.set('x-date', xDate);
    const request = { method, uri: `${url}${path}`, headers, body };
    await new common.DefaultRequestSigner(p).signHttpRequest(request);
    return request;
  }

  async function send(request: { method: string; uri: string; headers: Headers }, body?: string) {
    const headers = new Headers(request.headers);
    headers.delete('host');
    const res = await fetch(request.uri, { method: request.method, headers, body });
    return { status: res.status, body: await res.json(), requestId: res.headers.get('opc-request-id') };
  }

  test('a request the official SDK signed with a registered key is authenticated', async () => {
    const { status, code } = await sdkStatus(provider);
    assert.equal(status, 404, 'past authentication, the unknown invitation is not found');
    assert.equal(code, 'NotAuthorizedOrNotFound');
    const body = JSON.stringify({ displayName: 'signed body' });
    const post = await send(await signed(provider, 'POST', '/20230401/senderInvitations', body), body);
    assert.notEqual(post.status, 401, JSON.stringify(post.body));
  });

  test('a key the server does not know is refused 401 NotAuthenticated', async () => {
    const { status, code } = await sdkStatus(unknownProvider);
    assert.deepEqual([status, code], [401, 'NotAuthenticated']);
  });

  test('a tampered body is refused 401', async () => {
    const body = JSON.stringify({ displayName: 'original' });
    const request = await signed(provider, 'POST', '/20230401/senderInvitations', body);
    const tampered = JSON.stringify({ displayName: 'tampered' });
    assert.equal(tampered.length, body.length);
    const res = await send(request, tampered);
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'NotAuthenticated');
    assert.ok(res.requestId);
  });

  test('a signature dated 10 minutes ahead is refused 401 (no replay window opened in advance), 4 minutes ahead accepted', async () => {
    const future = await send(await signed(provider, 'GET', '/20230401/senderInvitations', undefined, new Date(Date.now() + 10 * 60_000).toUTCString()));
    assert.deepEqual([future.status, future.body.code], [401, 'NotAuthenticated']);
    const ahead = await send(await signed(provider, 'GET', '/20230401/senderInvitations', undefined, new Date(Date.now() + 4 * 60_000).toUTCString()));
    assert.notEqual(ahead.status, 401);
  });

  test('a signed request replayed after the 5-minute window is refused 401', async () => {
    const request = await signed(provider, 'GET', '/20230401/senderInvitations');
    assert.notEqual((await send(request)).status, 401, 'accepted when fresh');
    // The request is dated by the real clock; the server's manual clock started earlier.
    const later = Date.now() - t.clock.now() + 5 * 60_000 + 1000;
    t.clock.advance(later);
    try {
      assert.equal((await send(request)).status, 401, 'the same bytes 5 minutes later');
    } finally {
      t.clock.advance(-later);
    }
  });

  test('a signature over a 10-minute-old date is refused 401, a 4-minute-old one accepted', async () => {
    const old = await send(await signed(provider, 'GET', '/20230401/senderInvitations', undefined, new Date(Date.now() - 10 * 60_000).toUTCString()));
    assert.deepEqual([old.status, old.body.code], [401, 'NotAuthenticated']);
    const recent = await send(await signed(provider, 'GET', '/20230401/senderInvitations', undefined, new Date(Date.now() - 4 * 60_000).toUTCString()));
    assert.notEqual(recent.status, 401);
    const ahead = Date.now() - t.clock.now() + 10 * 60_000;
    t.clock.advance(ahead);
    try {
      assert.equal((await sdkStatus(provider)).status, 401, 'a server clock 10 minutes ahead refuses a fresh SDK request too');
    } finally {
      t.clock.advance(-ahead);
    }
  });

  test('unsigned and wrongly signed requests are refused 401, also for unknown paths', async () => {
    const unsigned = await fetch(`${url}/20230401/anything`);
    assert.equal(unsigned.status, 401);
    assert.equal((await unsigned.json()).code, 'NotAuthenticated');
    const unknownRoute = await send(await signed(provider, 'GET', '/20230401/noSuchThings'));
    assert.deepEqual([unknownRoute.status, unknownRoute.body.code], [404, 'NotFound'], 'a signed request for an unknown route');
    const request = await signed(provider, 'GET', '/20230401/senderInvitations');
    const moved = { ...request, uri: `${url}/20230401/recipientInvitations` };
    assert.equal((await send(moved)).status, 401, 'a signature does not carry over to another request target');
  });

  test('a signed request with a method its route does not take is 405 MethodNotAllowed, naming the methods in Allow', async () => {
    const answerTo = async (method: common.Method, path: string) => {
      const body = method === 'PUT' ? '{}' : undefined;
      const request = await signed(provider, method, path, body);
      const headers = new Headers(request.headers);
      headers.delete('host');
      const res = await fetch(request.uri, { method, headers, body });
      return { status: res.status, allow: res.headers.get('allow'), body: await res.json() };
    };
    const list = await answerTo('PUT', '/20230401/senderInvitations');
    assert.deepEqual([list.status, list.body.code], [405, 'MethodNotAllowed'], JSON.stringify(list.body));
    assert.deepEqual(list.allow?.split(', ').sort(), ['GET', 'HEAD', 'POST']);
    const one = await answerTo('DELETE', '/20230401//senderinvitations/ocid1.senderinvitation.oc1..anything/');
    assert.deepEqual([one.status, one.body.code], [405, 'MethodNotAllowed'], 'matched as the router matches: any case, doubled and trailing slashes');
    assert.match(String(one.allow), /\bGET\b/);
    assert.match(String(one.allow), /\bPUT\b/);
    const unsigned = await fetch(`${url}/20230401/senderInvitations`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(unsigned.status, 401, 'authentication comes first');
    assert.equal((await answerTo('DELETE', '/20230401/noSuchThings')).status, 404, 'an unknown path stays 404');
  });
});

describe('OCI signature verifier', () => {
  const keys = newKeyPair();
  const lookup = (id: string) => (id === 'tenancy/user/fp' ? keys.publicKey : undefined);

  test('accepts the date header instead of x-date, and lower-case header names in any case', () => {
    const date = new Date().toUTCString();
    const signingString = [`date: ${date}`, '(request-target): get /20230401/x?a=1', 'host: h:1'].join('\n');
    const signature = sign('sha256', Buffer.from(signingString), keys.privateKey).toString('base64');
    const result = verifyOciSignature(
      {
        method: 'GET',
        target: '/20230401/x?a=1',
        headers: { date, host: 'h:1', authorization: `Signature version="1",keyId="tenancy/user/fp",algorithm="rsa-sha256",headers="Date (request-target) Host",signature="${signature}"` },
        body: Buffer.alloc(0),
      },
      lookup,
      Date.now(),
    );
    assert.deepEqual(result, { ok: true, keyId: 'tenancy/user/fp' });
  });

  test('refuses a POST whose body headers are not signed', () => {
    const date = new Date().toUTCString();
    const signingString = [`x-date: ${date}`, '(request-target): post /20230401/x', 'host: h:1'].join('\n');
    const signature = sign('sha256', Buffer.from(signingString), keys.privateKey).toString('base64');
    const result = verifyOciSignature(
      {
        method: 'POST',
        target: '/20230401/x',
        headers: { 'x-date': date, host: 'h:1', authorization: `Signature version="1",keyId="tenancy/user/fp",algorithm="rsa-sha256",headers="x-date (request-target) host",signature="${signature}"` },
        body: Buffer.from('{}'),
      },
      lookup,
      Date.now(),
    );
    assert.equal(result.ok, false);
  });
});
