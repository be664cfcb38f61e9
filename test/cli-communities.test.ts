import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { saveProfile } from '../src/cli/config.js';
import { createTestDatabase, type TestDatabase } from './support/app.js';
import { cliHome, runTenantry, type CliResult } from './support/cli.js';
import { startServer, type ServerProcess } from './support/server.js';

/** These tests start many CLI processes; on a busy machine that takes longer than the suite's default 120 s per test. */
const slow = { timeout: 300_000 };

describe('tenantry CLI: the community handshake and streams against a running tenantry serve', () => {
  let store: TestDatabase;
  let server: ServerProcess;
  let home: ReturnType<typeof cliHome>;
  const operatorToken = `op-${randomBytes(16).toString('hex')}`;

  before(async () => {
    store = await createTestDatabase();
    server = await startServer({ ...store.env, TENANTRY_OPERATOR_TOKEN: operatorToken, TENANTRY_WORKER_POLL: '200ms' });
    home = cliHome();
  });
  after(async () => {
    await server?.stop();
    await store?.drop();
    home?.remove();
  });

  const cli = (args: string[], env: Record<string, string> = {}) => runTenantry(args, { home: home.home, env });
  const ok = (r: CliResult, what: string) => {
    assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}${r.stdout}`);
    return r;
  };
  const admin = async (args: string[]) => ok(await cli([...args, '--endpoint', server.url], { TENANTRY_OPERATOR_TOKEN: operatorToken }), args.join(' ')).json.data;

  /** A tenant and a profile holding a bearer token of its admin and its tenant id. */
  async function tenant(label: string) {
    const tag = randomBytes(3).toString('hex');
    const created = await admin(['admin', 'tenant', 'create', '--name', `${label} ${tag}`, '--admin-email', `admin-${tag}@${label}.test`]);
    const { token } = await admin(['admin', 'token', 'create', '--user-id', created.admin.id, '--ttl-seconds', '3600']);
    const profile = `${label}-${tag}`;
    ok(await cli(['setup', 'profile', '--profile-name', profile, '--endpoint', server.url, `--token=${token}`, '--tenant-id', created.id]), 'setup profile');
    return { ...created, profile };
  }

  /** The same without subprocesses, for tests whose subject is not the set-up. */
  async function quickTenant(label: string) {
    const tag = randomBytes(3).toString('hex');
    const post = async (url: string, body: unknown) => {
      const res = await fetch(`${server.url}/admin/v1${url}`, { method: 'POST', headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 201, await res.clone().text());
      return res.json();
    };
    const created = await post('/tenants', { name: `${label} ${tag}`, adminEmail: `admin-${tag}@${label}.test` });
    const { token } = await post(`/users/${created.admin.id}/tokens`, { ttlSeconds: 3600 });
    const profile = `${label}-${tag}`;
    saveProfile(path.join(home.home, '.tenantry', 'config'), profile, { endpoint: server.url, token, tenant_id: created.id });
    return { ...created, profile };
  }

  test('owner creates and invites, the invitee reads the details and accepts, sees it pending, the owner confirms, both are active members', slow, async () => {
    const owner = await tenant('owner');
    const joiner = await tenant('joiner');
    const community = ok(
      await cli(['communities', 'community', 'create', '--profile', owner.profile, '--name', 'Plant data', '--description', 'shared', '--contact-email', 'ops@owner.test']),
      'community create',
    ).json.data;
    assert.equal(community.Name, 'Plant data');
    const invitation = ok(await cli(['communities', 'invitation', 'create', '--profile', owner.profile, '--community-id', community.Id, '--recipient', 'invitee@joiner.test']), 'invite').json.data;
    assert.equal(invitation.State, 'InvitationCreated');
    const listed = ok(await cli(['communities', 'invitation', 'list', '--profile', owner.profile, '--community-id', community.Id, '--query', 'data[].Id']), 'list').json;
    assert.deepEqual(listed, [invitation.Id]);

    const details = ok(await cli(['communities', 'invitation', 'details', '--profile', joiner.profile, '--invitation-id', invitation.Id]), 'details').json.data;
    assert.deepEqual([details.CommunityName, details.InvitationState], ['Plant data', 'InvitationCreated']);
    const accepted = ok(await cli(['communities', 'invitation', 'accept', '--profile', joiner.profile, '--invitation-id', invitation.Id, '--contact-email', 'ops@joiner.test']), 'accept').json.data;
    assert.equal(accepted.State, 'InvitationAccepted');
    // The joiner's own tenant id comes from the profile (tenant_id).
    const pending = ok(await cli(['communities', 'invitation', 'list-pending', '--profile', joiner.profile, '--query', 'data[].Id']), 'pending').json;
    assert.deepEqual(pending, [invitation.Id]);

    const early = await cli(['communities', 'invitation', 'confirm', '--profile', joiner.profile, '--invitation-id', invitation.Id]);
    assert.notEqual(early.code, 0, 'only the owner confirms');
    assert.ok([3, 4, 5].includes(early.code), early.stderr);
    const confirmed = ok(await cli(['communities', 'invitation', 'confirm', '--profile', owner.profile, '--invitation-id', invitation.Id]), 'confirm').json.data;
    assert.equal(confirmed.State, 'InvitationCompleted');

    const seen = ok(await cli(['communities', 'community', 'get', '--profile', joiner.profile, '--community-id', community.Id, '--query', 'data.Tenants[].[Id, IsOwner, Status]']), 'get').json;
    assert.deepEqual(seen, [
      [owner.id, true, 'Active'],
      [joiner.id, false, 'Active'],
    ]);
    const table = ok(await cli(['communities', 'community', 'list', '--profile', joiner.profile, '--output', 'table', '--query', 'data[].{Id: Id, Name: Name}']), 'table').stdout;
    assert.match(table, new RegExp(`\\| ${community.Id} \\| Plant data \\|`));

    const paused = ok(await cli(['communities', 'tenant', 'update', '--profile', joiner.profile, '--community-id', community.Id, '--status', 'Paused']), 'pause').json.data;
    assert.equal(paused.Status, 'Paused');
    ok(await cli(['communities', 'tenant', 'leave', '--profile', joiner.profile, '--community-id', community.Id]), 'leave');
    const gone = await cli(['communities', 'community', 'get', '--profile', joiner.profile, '--community-id', community.Id]);
    assert.equal(gone.code, 3, 'OCS answers 403 to a tenant that is no member: an authorization error');
    assert.match(gone.stderr, /COMMUNITY_ACCESS_DENIED/);
    const owned = ok(await cli(['communities', 'community', 'get', '--profile', owner.profile, '--community-id', community.Id, '--query', 'length(data.Tenants)']), 'owner get').json;
    assert.equal(owned, 1);
  });

  test('a declined invitation cannot be accepted (exit 5), client credentials work in place of a token, a bad token or secret exits 3', slow, async () => {
    const owner = await quickTenant('owner');
    const joiner = await quickTenant('joiner');
    const community = ok(await cli(['communities', 'community', 'create', '--profile', owner.profile, '--name', 'Declined']), 'create').json.data;
    const invitation = ok(await cli(['communities', 'invitation', 'create', '--profile', owner.profile, '--community-id', community.Id, '--recipient', 'x@joiner.test']), 'invite').json.data;
    const declined = ok(await cli(['communities', 'invitation', 'decline', '--profile', joiner.profile, '--invitation-id', invitation.Id]), 'decline').json.data;
    assert.equal(declined.State, 'InvitationDeclined');
    const late = await cli(['communities', 'invitation', 'accept', '--profile', joiner.profile, '--invitation-id', invitation.Id]);
    assert.equal(late.code, 5);
    const error = JSON.parse(late.stderr.slice(late.stderr.indexOf('{')));
    assert.ok(error.code && error.message, late.stderr);

    // A client-credential client instead of a token: the CLI fetches one from /identity/connect/token.
    const client = await admin(['admin', 'client', 'create', '--tenant-id', owner.id, '--name', 'ci', '--roles', '["TenantAdministrator"]']);
    ok(await cli(['setup', 'profile', '--profile-name', 'robot', '--endpoint', server.url, '--client-id', client.clientId, `--client-secret=${client.clientSecret}`]), 'robot profile');
    const names = ok(await cli(['communities', 'community', 'list', '--profile', 'robot', '--query', 'data[].Name']), 'robot list').json;
    assert.deepEqual(names, ['Declined']);
    ok(await cli(['setup', 'profile', '--profile-name', 'robot', '--client-secret', 'wrong']), 'robot secret');
    assert.equal((await cli(['communities', 'community', 'list', '--profile', 'robot'])).code, 3);

    ok(await cli(['setup', 'profile', '--profile-name', 'stale', '--endpoint', server.url, '--token', 'not-a-token', '--tenant-id', joiner.id]), 'stale profile');
    const refused = await cli(['communities', 'community', 'list', '--profile', 'stale']);
    assert.equal(refused.code, 3);
  });

  test('streams: a type, a stream, events written and read back through the CLI', slow, async () => {
    const owner = await quickTenant('streams');
    await admin(['admin', 'namespace', 'create', '--tenant-id', owner.id, '--namespace-id', 'plant']);
    ok(await cli(['setup', 'profile', '--profile-name', owner.profile, '--namespace', 'plant']), 'namespace in profile');
    const definition = {
      Id: 'Reading',
      SdsTypeCode: 'Object',
      Properties: [
        { Id: 'Time', IsKey: true, SdsType: { Id: 'dateTimeType', SdsTypeCode: 'DateTime', Properties: [] } },
        { Id: 'Value', SdsType: { Id: 'doubleType', SdsTypeCode: 'Double', Properties: [] } },
      ],
    };
    ok(await cli(['streams', 'type', 'create', '--profile', owner.profile, '--type-id', 'Reading', '--definition', JSON.stringify(definition)]), 'type');
    ok(await cli(['streams', 'stream', 'create', '--profile', owner.profile, '--stream-id', 'pump-1', '--type-id', 'Reading', '--name', 'Pump 1']), 'stream');
    const same = ok(await cli(['streams', 'stream', 'create', '--profile', owner.profile, '--stream-id', 'pump-1', '--type-id', 'Reading', '--name', 'Pump 1']), 'same stream again').json;
    assert.equal(same.data.Id, 'pump-1', 'an identical stream is answered 302 with the existing one, which is no error');
    const events = [
      { Time: '2026-01-01T00:00:00Z', Value: 1.5 },
      { Time: '2026-01-01T00:01:00Z', Value: 2.5 },
    ];
    ok(await cli(['streams', 'data', 'insert', '--profile', owner.profile, '--stream-id', 'pump-1', '--events', JSON.stringify(events)]), 'insert');
    const window = ok(
      await cli(['streams', 'data', 'get', '--profile', owner.profile, '--stream-id', 'pump-1', '--start-index', '2026-01-01T00:00:00Z', '--end-index', '2026-01-01T00:05:00Z', '--query', 'data[].Value']),
      'window',
    ).json;
    assert.deepEqual(window, [1.5, 2.5]);
    const last = ok(await cli(['streams', 'data', 'last', '--profile', owner.profile, '--stream-id', 'pump-1', '--query', 'data.Value']), 'last').json;
    assert.equal(last, 2.5);
    const names = ok(await cli(['streams', 'stream', 'list', '--profile', owner.profile, '--all', '--query', 'data[].Name']), 'list').json;
    assert.deepEqual(names, ['Pump 1']);
  });

  test('shared streams: the owner shares a stream into the community, the member finds it by search and reads it through the community', slow, async () => {
    const owner = await quickTenant('sharer');
    const member = await quickTenant('reader');
    const community = ok(await cli(['communities', 'community', 'create', '--profile', owner.profile, '--name', 'Shared plant']), 'create').json.data;
    const invitation = ok(await cli(['communities', 'invitation', 'create', '--profile', owner.profile, '--community-id', community.Id, '--recipient', 'r@reader.test']), 'invite').json.data;
    ok(await cli(['communities', 'invitation', 'accept', '--profile', member.profile, '--invitation-id', invitation.Id]), 'accept');
    ok(await cli(['communities', 'invitation', 'confirm', '--profile', owner.profile, '--invitation-id', invitation.Id]), 'confirm');
    // The member's users read the community once they hold its member role.
    ok(await cli(['communities', 'user', 'add', '--profile', member.profile, '--community-id', community.Id, '--user-id', member.admin.id, '--role-ids', JSON.stringify([community.MemberRoleId])]), 'user add');
    const users = ok(await cli(['communities', 'user', 'list', '--profile', member.profile, '--community-id', community.Id, '--query', 'data[].Id']), 'users').json;
    assert.ok(users.includes(member.admin.id));

    await admin(['admin', 'namespace', 'create', '--tenant-id', owner.id, '--namespace-id', 'data']);
    const scope = ['--profile', owner.profile, '--namespace-id', 'data'];
    const type = { Id: 'Reading', SdsTypeCode: 'Object', Properties: [{ Id: 'Time', IsKey: true, SdsType: { Id: 'dateTimeType', SdsTypeCode: 'DateTime', Properties: [] } }, { Id: 'Value', SdsType: { Id: 'doubleType', SdsTypeCode: 'Double', Properties: [] } }] };
    ok(await cli(['streams', 'type', 'create', ...scope, '--type-id', 'Reading', '--definition', JSON.stringify(type)]), 'type');
    ok(await cli(['streams', 'stream', 'create', ...scope, '--stream-id', 'flow', '--type-id', 'Reading', '--name', 'flow']), 'stream');
    ok(await cli(['streams', 'data', 'insert', ...scope, '--stream-id', 'flow', '--events', JSON.stringify([{ Time: '2026-01-01T00:00:00Z', Value: 4 }])]), 'data');
    const acl = ok(await cli(['streams', 'acl', 'get', ...scope, '--stream-id', 'flow', '--query', 'data']), 'acl').json;
    acl.RoleTrusteeAccessControlEntries.push({ Trustee: { Type: 3, ObjectId: community.MemberRoleId }, AccessType: 0, AccessRights: 1 });
    ok(await cli(['streams', 'acl', 'set', ...scope, '--stream-id', 'flow', '--acl', JSON.stringify(acl)]), 'share');

    const hits = ok(await cli(['communities', 'stream', 'search', '--profile', member.profile, '--community-id', community.Id, '--search', 'flow', '--query', 'data[].[Id, TenantId]']), 'search').json;
    assert.deepEqual(hits, [['flow', owner.id]]);
    const remote = ['--profile', member.profile, '--tenant-id', owner.id, '--namespace-id', 'data', '--stream-id', 'flow'];
    const refused = await cli(['streams', 'data', 'last', ...remote]);
    assert.equal(refused.code, 3, 'without the community another tenant is refused');
    const last = ok(await cli(['streams', 'data', 'last', ...remote, '--community-id', community.Id, '--query', 'data.Value']), 'read shared').json;
    assert.equal(last, 4);
    const summary = ok(await cli(['communities', 'stream', 'summary', '--profile', member.profile, '--community-id', community.Id, '--query', 'data.TotalStreams']), 'summary').json;
    assert.equal(summary, 1);
  });
});
