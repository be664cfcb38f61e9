import assert from 'node:assert/strict';
import type { MailMessage, Mailer } from '../../src/platform/mail/mailer.js';
import { operator, seedTenant as seedTenantWithDayToken, type SeededTenant, type TestApp } from './app.js';

export interface OcsResponse {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  text: string;
}

/** One OCS call with a bearer token; `expected` fails the test on any other status. */
export async function ocs(t: TestApp, token: string, method: string, url: string, body?: unknown, expected?: number): Promise<OcsResponse> {
  const res = await t.app.inject({
    method: method as 'GET',
    url: /^\/api\//i.test(url) ? url : `/api/v1-preview${url}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const parsed = { status: res.statusCode, text: res.body, headers: res.headers, body: res.body ? safeJson(res.body) : undefined };
  if (expected !== undefined) assert.equal(res.statusCode, expected, `${method} ${url}: ${res.body}`);
  return parsed;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A mailer that keeps what the worker sends (mail is not the subject of the tests using it). */
export function capturingMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return { sent, async send(message) { sent.push(message); }, close() {} };
}

export interface Actor {
  token: string;
  id: string;
}

/** A user of the tenant with the given roles and a bearer token. */
export async function seedUser(t: TestApp, tenant: SeededTenant, roles: string[], email?: string): Promise<Actor> {
  const user = await operator(t, 'POST', `/tenants/${tenant.id}/users`, { email: email ?? `u${Math.random().toString(36).slice(2, 10)}@${tenant.id.slice(0, 8)}.test`, roles });
  const { token } = await operator(t, 'POST', `/users/${user.id}/tokens`, { ttlSeconds: LONG_TTL });
  return { token, id: user.id };
}

/** A client-credential client of the tenant and a token for it from the real token endpoint. */
export async function seedClient(t: TestApp, tenant: SeededTenant, roles: string[]): Promise<Actor> {
  const client = await operator(t, 'POST', `/tenants/${tenant.id}/clients`, { name: `client-${Math.random().toString(36).slice(2, 8)}`, roles });
  const res = await t.app.inject({
    method: 'POST',
    url: '/identity/connect/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${encodeURIComponent(client.clientSecret)}`,
  });
  assert.equal(res.statusCode, 200, res.body);
  return { token: res.json().access_token, id: client.clientId };
}

let names = 0;
export async function createCommunity(t: TestApp, owner: SeededTenant, body: Record<string, unknown> = {}): Promise<any> {
  names += 1;
  return (await ocs(t, owner.adminToken, 'POST', '/Communities', { Name: `Community ${names}`, Description: 'd', ...body }, 201)).body;
}

export async function invite(t: TestApp, owner: SeededTenant, communityId: string, recipient = 'partner@invitee.test'): Promise<any> {
  return (await ocs(t, owner.adminToken, 'POST', `/Communities/${communityId}/Invitations`, { InvitationRecipient: recipient }, 201)).body;
}

export async function act(t: TestApp, token: string, invitationId: string, Action: string, extra: Record<string, unknown> = {}) {
  return ocs(t, token, 'PUT', `/CommunityInvitations/${invitationId}`, { Action, ...extra });
}

/** invite → accept → confirm: the joiner becomes a member. Returns the completed invitation. */
export async function join(t: TestApp, owner: SeededTenant, joiner: SeededTenant, communityId: string): Promise<any> {
  const invitation = await invite(t, owner, communityId);
  assert.equal((await act(t, joiner.adminToken, invitation.Id, 'Accept', { ContactEmail: 'contact@joiner.test' })).status, 200);
  const confirmed = await act(t, owner.adminToken, invitation.Id, 'Confirm');
  assert.equal(confirmed.status, 200, confirmed.text);
  return confirmed.body;
}

/** Tokens live a year here: tests move the clock by weeks. */
const LONG_TTL = 366 * 86_400;

export async function seedTenant(t: TestApp, overrides: Record<string, unknown> = {}): Promise<SeededTenant> {
  const tenant = await seedTenantWithDayToken(t, overrides);
  const { token } = await operator(t, 'POST', `/users/${tenant.admin.id}/tokens`, { ttlSeconds: LONG_TTL });
  return { ...tenant, adminToken: token };
}
