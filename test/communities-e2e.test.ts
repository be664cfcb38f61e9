import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/app.js';
import { startServer, type ServerProcess } from './support/server.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface Http {
  status: number;
  body: any;
}

async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<Http> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function expectStatus(res: Http, status: number, what: string): any {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  return res.body;
}

describe('communities over HTTP against running tenantry processes', () => {
  let store: TestDatabase;
  let smtp: TestSmtpServer;
  let server: ServerProcess;
  const operatorToken = `op-${randomBytes(16).toString('hex')}`;
  let env: Record<string, string>;

  before(async () => {
    store = await createTestDatabase();
    smtp = await startSmtpServer();
    env = { ...store.env, SMTP_URL: smtp.url, TENANTRY_OPERATOR_TOKEN: operatorToken, TENANTRY_WORKER_POLL: '200ms' };
    server = await startServer(env);
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
    await store?.drop();
  });

  let seq = 0;
  async function tenant(base = server.url) {
    seq += 1;
    const tag = randomBytes(3).toString('hex');
    const created = expectStatus(
      await call(base, operatorToken, 'POST', '/admin/v1/tenants', { name: `E2E ${seq} ${tag}`, adminEmail: `admin-${tag}@e2e${seq}.test` }),
      201,
      'create tenant',
    );
    const { token } = expectStatus(await call(base, operatorToken, 'POST', `/admin/v1/users/${created.admin.id}/tokens`, {}), 201, 'token');
    return { ...created, token };
  }

  test('the whole handshake, with the invitation id and link taken from the email the SMTP server received', async () => {
    const base = server.url;
    const owner = await tenant();
    const joiner = await tenant();
    const community = expectStatus(
      await call(base, owner.token, 'POST', '/api/v1-preview/Communities', { Name: 'Plant data', Description: 'shared', ContactEmail: 'owner-ops@e2e.test' }),
      201,
      'create community',
    );
    const recipient = `invitee-${randomBytes(3).toString('hex')}@partner.test`;
    const invitation = expectStatus(
      await call(base, owner.token, 'POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, { InvitationRecipient: recipient }),
      201,
      'invite',
    );

    const [mail] = await smtp.waitFor((m) => m.to.includes(recipient), 1, 15_000);
    assert.deepEqual(mail.to, [recipient], 'the invitation goes to its recipient only');
    assert.ok(mail.text.includes('Plant data') && mail.text.includes(owner.name), mail.text);
    const idInMail = new RegExp(`Invitation id: (${GUID.source})`).exec(mail.text)?.[1];
    assert.equal(idInMail, invitation.Id);
    const link = /https?:\/\/\S+/.exec(mail.text)?.[0] ?? '';
    assert.ok(link.startsWith(`${base}/console`), link);
    assert.match(mail.messageId, /^<.+@tenantry>$/);

    // The invitee works only from what the email told it.
    const details = expectStatus(await call(base, joiner.token, 'GET', `/api/v1-preview/communityinvitations/${idInMail}/details`), 200, 'details');
    assert.deepEqual([details.CommunityName, details.InvitationState, details.TenantAlreadyMemberOfCommunity], ['Plant data', 'InvitationCreated', false]);
    const accepted = expectStatus(
      await call(base, joiner.token, 'PUT', `/api/v1-preview/communityinvitations/${idInMail}`, { Action: 'Accept', ContactEmail: 'joiner-ops@e2e.test' }),
      200,
      'accept',
    );
    assert.equal(accepted.State, 'InvitationAccepted');

    const [pleaseConfirm] = await smtp.waitFor((m) => m.to.includes(owner.admin.email) && m.subject.includes('accepted'), 1, 15_000);
    assert.ok(pleaseConfirm.text.includes(joiner.name) && pleaseConfirm.text.includes(invitation.Id), pleaseConfirm.text);
    const pending = expectStatus(await call(base, joiner.token, 'GET', `/api/v1-preview/tenants/${joiner.id}/communityinvitations`), 200, 'pending');
    assert.deepEqual(pending.map((i: { Id: string }) => i.Id), [invitation.Id]);

    const confirmed = expectStatus(
      await call(base, owner.token, 'PUT', `/api/v1-preview/community/invitations/${invitation.Id}`, { Action: 'Confirm' }),
      200,
      'confirm',
    );
    assert.equal(confirmed.State, 'InvitationCompleted');
    const [welcome] = await smtp.waitFor((m) => m.to.includes('joiner-ops@e2e.test'), 1, 15_000);
    assert.ok(welcome.text.includes('Plant data'), welcome.text);

    const seen = expectStatus(await call(base, joiner.token, 'GET', `/api/v1-preview/Communities/${community.Id}`), 200, 'member reads');
    assert.deepEqual(
      seen.Tenants.map((x: { Id: string; IsOwner: boolean; Status: string }) => [x.Id, x.IsOwner, x.Status]),
      [
        [owner.id, true, 'Active'],
        [joiner.id, false, 'Active'],
      ],
    );
  });

  test('client-credential clients run it as the OCS sample library does: discovery, token, legacy paths', async () => {
    const base = server.url;
    const owner = await tenant();
    const joiner = await tenant();
    const clientOf = async (t: { id: string }) => {
      const c = expectStatus(await call(base, operatorToken, 'POST', `/admin/v1/tenants/${t.id}/clients`, { name: 'sample', roles: ['TenantAdministrator'] }), 201, 'client');
      const discovery = await (await fetch(`${base}/identity/.well-known/openid-configuration`, { headers: { accept: '*/*' } })).json();
      const res = await fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `client_id=${c.clientId}&client_secret=${encodeURIComponent(c.clientSecret)}&grant_type=client_credentials`,
      });
      return { id: c.clientId as string, token: (await res.json()).access_token as string };
    };
    const a = await clientOf(owner);
    const b = await clientOf(joiner);
    const community = expectStatus(
      await call(base, a.token, 'POST', `/api/v1-preview/Tenants/${owner.id}/Communities`, { Name: 'Sample community', Description: 'from the library' }),
      201,
      'legacy create',
    );
    const invitation = expectStatus(
      await call(base, a.token, 'POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'b@sample.test' }),
      201,
      'invite',
    );
    const details = expectStatus(await call(base, b.token, 'GET', `/api/v1-preview/CommunityInvitations/${invitation.Id}/Details`), 200, 'details');
    assert.equal(details.CommunityId, community.Id);
    expectStatus(await call(base, b.token, 'PUT', `/api/v1-preview/CommunityInvitations/${invitation.Id}`, { Action: 'Accept', ContactEmail: 'b@sample.test' }), 200, 'accept');
    expectStatus(await call(base, a.token, 'PUT', `/api/v1-preview/CommunityInvitations/${invitation.Id}`, { Action: 'Confirm' }), 200, 'confirm');
    const full = expectStatus(await call(base, b.token, 'GET', `/api/v1-preview/Communities/${community.Id}`), 200, 'get');
    const added = await call(base, b.token, 'PUT', `/api/v1-preview/Communities/${community.Id}/Tenants/${joiner.id}/ClientCredentialClients/${b.id}`, [full.MemberRoleId]);
    expectStatus(added, 201, 'add own client');
    const roles = expectStatus(await call(base, b.token, 'GET', `/api/v1/Tenants/${joiner.id}/Roles?skip=0&count=100`), 200, 'roles');
    assert.ok(roles.some((r: { Id: string; RoleScope: number; CommunityId: string }) => r.Id === full.MemberRoleId && r.RoleScope === 2 && r.CommunityId === community.Id));
    const listed = expectStatus(await call(base, b.token, 'GET', `/api/v1-preview/Tenants/${joiner.id}/Communities?skip=0&count=100`), 200, 'legacy list');
    assert.deepEqual(listed.map((c: { Id: string }) => c.Id), [community.Id]);
    assert.ok(listed[0].Tenants.every((x: { Status: string }) => x.Status === 'Active'));
    const del = await fetch(`${base}/api/v1-preview/Tenants/${owner.id}/Communities/${community.Id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json', accept: 'application/json', 'content-length': '0' },
    });
    assert.equal(del.status, 204);
    expectStatus(await call(base, b.token, 'GET', `/api/v1-preview/Communities/${community.Id}`), 404, 'gone');
  });

  test('five tenants accepting one invitation through two server processes on one store: exactly one wins', async () => {
    const second = await startServer(env);
    try {
      const owner = await tenant();
      const community = expectStatus(await call(server.url, owner.token, 'POST', '/api/v1-preview/Communities', { Name: 'Race' }), 201, 'create');
      const invitation = expectStatus(
        await call(server.url, owner.token, 'POST', `/api/v1-preview/Communities/${community.Id}/Invitations`, { InvitationRecipient: 'race@e2e.test' }),
        201,
        'invite',
      );
      const racers = [];
      for (let i = 0; i < 5; i += 1) racers.push(await tenant(i % 2 ? second.url : server.url));
      const results = await Promise.all(
        racers.map((r, i) => call(i % 2 ? second.url : server.url, r.token, 'PUT', `/api/v1-preview/CommunityInvitations/${invitation.Id}`, { Action: 'Accept' })),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 400, 400, 400, 400], JSON.stringify(results.map((r) => r.body)));
      const winner = results.find((r) => r.status === 200)!.body;
      const read = expectStatus(await call(second.url, owner.token, 'GET', `/api/v1-preview/Communities/${community.Id}/Invitations/${invitation.Id}`), 200, 'read');
      assert.equal(read.InvitedTenantId, winner.InvitedTenantId);
      assert.equal(read.State, 'InvitationAccepted');
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
});
