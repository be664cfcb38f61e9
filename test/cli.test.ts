import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/app.js';
import { Writable } from 'node:stream';
import { saveProfile } from '../src/cli/config.js';
import { runCli } from '../src/cli/index.js';
import { cliHome, runTenantry, type CliResult } from './support/cli.js';
import { startServer, type ServerProcess } from './support/server.js';

/** These tests start many CLI processes; on a busy machine that takes longer than the suite's default 120 s per test. */
const slow = { timeout: 300_000 };

describe('tenantry CLI: the organizations seed story against a running tenantry serve', () => {
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
  const admin = (args: string[]) => cli([...args, '--endpoint', server.url], { TENANTRY_OPERATOR_TOKEN: operatorToken });
  const ok = (r: CliResult, what: string) => {
    assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}${r.stdout}`);
    return r;
  };
  const fast = ['--wait-interval-seconds', '0.2', '--max-wait-seconds', '30'];

  let seq = 0;
  /** A tenancy made with the CLI alone: operator creates it, keys are generated and registered, a profile is written. */
  async function tenancy(subscriptionType: string) {
    seq += 1;
    const name = `cli${seq}${randomBytes(2).toString('hex')}`;
    const tenant = ok(await admin(['admin', 'tenant', 'create', '--name', name, '--admin-email', `admin@${name}.test`, '--subscription-type', subscriptionType]), 'tenant create').json.data;
    const keys = ok(await cli(['setup', 'keys', '--output-dir', path.join(home.home, 'keys'), '--key-name', name]), 'setup keys').json.data;
    assert.equal(fs.statSync(keys.privateKeyFile).mode & 0o777, 0o600);
    const key = ok(await admin(['admin', 'api-key', 'create', '--user-id', tenant.admin.id, '--public-key-file', keys.publicKeyFile]), 'api-key create').json.data;
    assert.equal(key.fingerprint, keys.fingerprint, 'the CLI computes the fingerprint the server does');
    ok(
      await cli(['setup', 'profile', '--profile-name', name, '--endpoint', server.url, '--tenancy', tenant.ocid, '--user', tenant.admin.ocid, '--fingerprint', keys.fingerprint, '--key-file', keys.privateKeyFile]),
      'setup profile',
    );
    return { ...tenant, profile: name };
  }

  /**
   * The same set-up without subprocesses (operator API over fetch, key and profile written here),
   * for tests whose subject is not the set-up.
   */
  async function quickTenancy(subscriptionType: string) {
    seq += 1;
    const name = `q${seq}${randomBytes(2).toString('hex')}`;
    const post = async (url: string, body: unknown) => {
      const res = await fetch(`${server.url}/admin/v1${url}`, { method: 'POST', headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 201, await res.clone().text());
      return res.json();
    };
    const tenant = await post('/tenants', { name, adminEmail: `admin@${name}.test`, subscriptionType });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const keyFile = path.join(home.home, 'keys', `${name}.pem`);
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, privateKey, { mode: 0o600 });
    const { fingerprint } = await post(`/users/${tenant.admin.id}/api-keys`, { publicKey });
    saveProfile(path.join(home.home, '.tenantry', 'config'), name, { endpoint: server.url, tenancy: tenant.ocid, user: tenant.admin.ocid, fingerprint, key_file: keyFile });
    return { ...tenant, profile: name };
  }

  test('parent invites with the seed command, waits for the work request, the child lists and accepts, the parent lists its tenancies', slow, async () => {
    const parent = await tenancy('ANNUAL_COMMIT');
    const child = await tenancy('PAYG');
    const createdRun = ok(
      await cli([
        'organizations', 'sender-invitation', 'create', '--profile', parent.profile,
        '-c', parent.ocid, '--recipient-tenancy-id', child.ocid, '--display-name', 'Join Acme Group',
        '--recipient-email-address', 'finance@child.example', '--subjects', '["LINK","GOVERNANCE"]', '--freeform-tags', '{"costCenter":"cc-42"}',
        '--wait-for-state', 'SUCCEEDED', ...fast,
      ]),
      'sender-invitation create',
    );
    assert.equal(createdRun.stderr, '', 'no progress display when stderr is not a terminal');
    const created = createdRun.json.data;
    assert.equal(created.operationType, 'CREATE_SENDER_INVITATION');
    assert.equal(created.status, 'SUCCEEDED');
    const senderId = created.resources.find((r: { entityType: string }) => r.entityType === 'SenderInvitation').identifier;
    const sent = ok(await cli(['organizations', 'sender-invitation', 'get', '--profile', parent.profile, '--sender-invitation-id', senderId]), 'get').json;
    assert.equal(sent.data.status, 'PENDING');
    assert.equal(sent.data.displayName, 'Join Acme Group');
    assert.deepEqual(sent.data.subjects, ['LINK', 'GOVERNANCE']);
    assert.deepEqual(sent.data.freeformTags, { costCenter: 'cc-42' });
    assert.ok(sent.etag, 'the etag is printed next to data');

    const received = ok(
      await cli(['organizations', 'recipient-invitation', 'list', '--profile', child.profile, '-c', child.ocid, '--status', 'PENDING', '--query', 'data[0].id', '--raw-output']),
      'recipient list',
    ).stdout.trim();
    assert.equal(received, sent.data.recipientInvitationId);
    const accepted = ok(
      await cli(['organizations', 'recipient-invitation', 'accept', '--profile', child.profile, '--recipient-invitation-id', received, '--wait-for-state', 'SUCCEEDED', ...fast]),
      'accept',
    ).json.data;
    assert.equal(accepted.operationType, 'ACCEPT_RECIPIENT_INVITATION');
    assert.equal(accepted.status, 'SUCCEEDED');

    const organizationId = ok(await cli(['organizations', 'organization', 'list', '--profile', parent.profile, '-c', parent.ocid, '--query', 'data[0].id', '--raw-output']), 'org list').stdout.trim();
    assert.match(organizationId, /^ocid1\.organization\./);
    const tenancies = ok(await cli(['organizations', 'organization', 'list-organization-tenancies', '--profile', parent.profile, '--organization-id', organizationId]), 'tenancies').json.data;
    const joined = tenancies.find((x: { tenancyId: string }) => x.tenancyId === child.ocid);
    assert.deepEqual([joined.name, joined.role, joined.lifecycleState, joined.governanceStatus], [child.name, 'CHILD', 'ACTIVE', 'OPTED_IN']);

    const table = ok(await cli(['organizations', 'organization', 'list-organization-tenancies', '--profile', parent.profile, '--organization-id', organizationId, '--output', 'table']), 'table').stdout;
    const lines = table.trimEnd().split('\n');
    assert.match(lines[0], /^\+-+\+/);
    assert.match(lines[1], /\| tenancyId +\| name +\| lifecycleState/);
    const childRow = lines.find((l) => l.includes(child.ocid)) ?? '';
    assert.match(childRow, new RegExp(`\\| ${child.name} +\\| ACTIVE +\\| CHILD `));
    assert.equal(lines.filter((l) => l.startsWith('| ocid1.tenancy.')).length, 2, 'one row per tenancy: parent and child');

    const again = await cli(['organizations', 'recipient-invitation', 'accept', '--profile', child.profile, '--recipient-invitation-id', received]);
    assert.equal(again.code, 5, 'a refused state change is a service error');
    const error = JSON.parse(again.stderr.slice(again.stderr.indexOf('{')));
    assert.deepEqual([error.status, error.code], [409, 'Conflict']);
  });

  test('--limit gives one page with opc-next-page, --all follows every page, --query shapes the result', slow, async () => {
    const parent = await quickTenancy('ANNUAL_COMMIT');
    const recipients = [await quickTenancy('PAYG'), await quickTenancy('PAYG'), await quickTenancy('PAYG')];
    for (const [i, r] of recipients.entries()) {
      ok(await cli(['organizations', 'sender-invitation', 'create', '--profile', parent.profile, '-c', parent.ocid, '--recipient-tenancy-id', r.ocid, '--display-name', `invite ${i}`]), 'create');
    }
    const first = ok(await cli(['organizations', 'sender-invitation', 'list', '--profile', parent.profile, '-c', parent.ocid, '--limit', '2', '--sort-by', 'displayName', '--sort-order', 'ASC']), 'page').json;
    assert.deepEqual(first.data.map((i: { displayName: string }) => i.displayName), ['invite 0', 'invite 1']);
    assert.ok(first['opc-next-page'], 'the next page token is printed');
    const second = ok(await cli(['organizations', 'sender-invitation', 'list', '--profile', parent.profile, '-c', parent.ocid, '--limit', '2', '--sort-by', 'displayName', '--sort-order', 'ASC', '--page', first['opc-next-page']]), 'page 2').json;
    assert.deepEqual(second.data.map((i: { displayName: string }) => i.displayName), ['invite 2']);
    assert.equal(second['opc-next-page'], undefined);

    const all = ok(
      await cli(['organizations', 'sender-invitation', 'list', '--profile', parent.profile, '-c', parent.ocid, '--all', '--page-size', '1', '--sort-by', 'displayName', '--sort-order', 'ASC', '--query', 'data[].displayName']),
      'all',
    ).json;
    assert.deepEqual(all, ['invite 0', 'invite 1', 'invite 2']);
    const count = ok(await cli(['organizations', 'sender-invitation', 'list', '--profile', parent.profile, '-c', parent.ocid, '--all', '--page-size', '2', '--query', "length(data[?recipientTenancyId=='" + recipients[1].ocid + "'])"]), 'count').json;
    assert.equal(count, 1);
  });

  test('--from-json fills the options of --generate-full-command-json-input, and --if-match refuses a stale etag', slow, async () => {
    const parent = await quickTenancy('ANNUAL_COMMIT');
    const child = await quickTenancy('PAYG');
    const template = ok(await cli(['organizations', 'sender-invitation', 'create', '--generate-full-command-json-input']), 'template').json;
    assert.deepEqual(Object.keys(template).slice(0, 4), ['compartmentId', 'recipientTenancyId', 'displayName', 'recipientEmailAddress']);
    const input = { compartmentId: parent.ocid, recipientTenancyId: child.ocid, displayName: 'from json', subjects: ['LINK'] };
    const file = path.join(home.home, 'invite.json');
    fs.writeFileSync(file, JSON.stringify(input));
    const created = ok(await cli(['organizations', 'sender-invitation', 'create', '--profile', parent.profile, '--from-json', `file://${file}`, '--display-name', 'flag wins']), 'create').json;
    assert.equal(created.data.displayName, 'flag wins');
    assert.deepEqual(created.data.subjects, ['LINK']);
    assert.match(created['opc-work-request-id'], /^ocid1\./);

    const id = created.data.id;
    const stale = await cli(['organizations', 'sender-invitation', 'update', '--profile', parent.profile, '--sender-invitation-id', id, '--display-name', 'x', '--if-match', 'stale']);
    assert.equal(stale.code, 5);
    assert.match(stale.stderr, /NoEtagMatch/);
    const etag = ok(await cli(['organizations', 'sender-invitation', 'get', '--profile', parent.profile, '--sender-invitation-id', id, '--query', 'etag', '--raw-output']), 'etag').stdout.trim();
    const renamed = ok(await cli(['organizations', 'sender-invitation', 'update', '--profile', parent.profile, '--sender-invitation-id', id, '--display-name', 'renamed', '--if-match', etag]), 'update').json;
    assert.equal(renamed.data.displayName, 'renamed');
  });

  test('errors exit with distinct codes: usage 2, authentication 3, not found 4, unreachable 6', slow, async () => {
    const parent = await quickTenancy('ANNUAL_COMMIT');
    const missing = await cli(['organizations', 'sender-invitation', 'create', '--profile', parent.profile, '-c', parent.ocid]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing option --recipient-tenancy-id/);
    const unknown = await cli(['organizations', 'sender-invitation', 'frobnicate']);
    assert.equal(unknown.code, 2);
    const badOption = await cli(['organizations', 'organization', 'list', '-c', parent.ocid, '--colour', 'red']);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /--colour/);
    const badJson = await cli(['organizations', 'sender-invitation', 'create', '-c', 'a', '--recipient-tenancy-id', 'b', '--subjects', '[LINK']);
    assert.equal(badJson.code, 2);

    const notFound = await cli(['organizations', 'sender-invitation', 'get', '--profile', parent.profile, '--sender-invitation-id', 'ocid1.senderinvitation.oc1..nope']);
    assert.equal(notFound.code, 4);
    const error = JSON.parse(notFound.stderr.slice(notFound.stderr.indexOf('{')));
    assert.deepEqual([error.status, error.code], [404, 'NotAuthorizedOrNotFound']);
    assert.ok(error['opc-request-id']);

    ok(await cli(['setup', 'profile', '--profile-name', 'forged', '--endpoint', server.url, '--tenancy', parent.ocid, '--user', parent.admin.ocid, '--fingerprint', '00:11:22:33', '--key-file', path.join(home.home, 'keys', `${parent.profile}.pem`)]), 'forged profile');
    const refused = await cli(['organizations', 'organization', 'list', '--profile', 'forged', '-c', parent.ocid]);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /NotAuthenticated/);
    const noProfile = await cli(['organizations', 'organization', 'list', '--profile', 'nobody', '-c', parent.ocid]);
    assert.equal(noProfile.code, 3);
    assert.match(noProfile.stderr, /profile nobody is not in/);
    const noOperator = await cli(['admin', 'tenant', 'list', '--endpoint', server.url]);
    assert.equal(noOperator.code, 3);
    const wrongOperator = await cli(['admin', 'tenant', 'list', '--endpoint', server.url], { TENANTRY_OPERATOR_TOKEN: 'wrong' });
    assert.equal(wrongOperator.code, 3);

    const unreachable = await cli(['organizations', 'organization', 'list', '--profile', parent.profile, '-c', parent.ocid, '--endpoint', 'http://127.0.0.1:9']);
    assert.equal(unreachable.code, 6);
  });

  test('the other organization groups: subscription mapping, links, governance opt-out by the parent and opt-in by the child, work request lists, a governance rule in force on the child', slow, async () => {
    const parent = await quickTenancy('ANNUAL_COMMIT');
    const child = await quickTenancy('PAYG');
    const p = ['--profile', parent.profile];
    const c = ['--profile', child.profile];
    const invited = ok(await cli(['organizations', 'sender-invitation', 'create', ...p, '-c', parent.ocid, '--recipient-tenancy-id', child.ocid, '--wait-for-state', 'SUCCEEDED', ...fast]), 'invite').json.data;
    const senderId = invited.resources[0].identifier;
    const recipientId = ok(await cli(['organizations', 'sender-invitation', 'get', ...p, '--sender-invitation-id', senderId, '--query', 'data.recipientInvitationId', '--raw-output']), 'get').stdout.trim();
    ok(await cli(['organizations', 'recipient-invitation', 'accept', ...c, '--recipient-invitation-id', recipientId, '--wait-for-state', 'SUCCEEDED', ...fast]), 'accept');
    const organizationId = ok(await cli(['organizations', 'organization', 'list', ...p, '-c', parent.ocid, '--query', 'data[0].id', '--raw-output']), 'org').stdout.trim();

    const mapping = ok(await cli(['organizations', 'subscription-mapping', 'create', ...p, '-c', child.ocid, '--subscription-id', child.subscriptionId]), 'map').json.data;
    assert.deepEqual([mapping.subscriptionId, mapping.isExplicitlyAssigned], [child.subscriptionId, true]);
    const mappings = ok(await cli(['organizations', 'subscription-mapping', 'list', ...p, '--subscription-id', child.subscriptionId, '--all', '--query', 'data[].compartmentId']), 'mappings').json;
    assert.ok(mappings.includes(child.ocid));
    const assigned = ok(await cli(['organizations', 'assigned-subscription', 'list', ...c, '-c', child.ocid, '--query', 'data[].id']), 'assigned').json;
    assert.deepEqual(assigned, [child.subscriptionId]);

    const links = ok(await cli(['organizations', 'link', 'list', ...p, '--parent-tenancy-id', parent.ocid, '--query', 'data[].[childTenancyId, lifecycleState]']), 'links').json;
    assert.deepEqual(links, [[child.ocid, 'ACTIVE']]);

    const optOut = ok(await cli(['organizations', 'governance', 'organization-tenancy', 'remove', ...p, '--organization-id', organizationId, '--organization-tenancy-id', child.ocid, '--wait-for-state', 'SUCCEEDED', ...fast]), 'opt out').json.data;
    assert.equal(optOut.status, 'SUCCEEDED');
    const status = ok(await cli(['organizations', 'organization-tenancy', 'get', ...p, '--organization-id', organizationId, '--tenancy-id', child.ocid, '--query', 'data.governanceStatus', '--raw-output']), 'tenancy').stdout.trim();
    assert.equal(status, 'OPTED_OUT');
    ok(await cli(['organizations', 'governance', 'organization-tenancy', 'add', ...c, '--organization-id', organizationId, '--organization-tenancy-id', child.ocid, '--wait-for-state', 'SUCCEEDED', ...fast]), 'child opts in');
    const back = ok(await cli(['organizations', 'organization-tenancy', 'get', ...p, '--organization-id', organizationId, '--tenancy-id', child.ocid, '--query', 'data.governanceStatus', '--raw-output']), 'tenancy').stdout.trim();
    assert.equal(back, 'OPTED_IN');

    const operations = ok(await cli(['organizations', 'work-request', 'list', ...p, '-c', parent.ocid, '--all', '--page-size', '1', '--query', 'data[].operationType']), 'work requests').json;
    assert.ok(operations.includes('CREATE_SENDER_INVITATION'), operations.join());
    const errors = ok(await cli(['organizations', 'work-request', 'list-work-request-errors', ...p, '--work-request-id', optOut.id]), 'errors').json;
    assert.deepEqual(errors.data, []);

    // Governance Rules (/20220504): a quota rule attached to the child is in force there.
    const G = 'governance-rules-control-plane';
    const quota = { type: 'QUOTA', displayName: 'no-rm', statements: ['zero resource-manager quotas in tenancy'] };
    const created = ok(await cli([G, 'governance-rule', 'create', ...p, '-c', parent.ocid, '--display-name', 'no-rm', '--type', 'QUOTA', '--template', JSON.stringify(quota)]), 'rule').json;
    assert.deepEqual(created.data.template, quota);
    assert.match(created['opc-work-request-id'], /^ocid1\./);
    const ruleId = created.data.id;
    const attached = ok(
      await cli([G, 'inclusion-criterion', 'create', ...p, '--governance-rule-id', ruleId, '--type', 'TENANCY', '--association', JSON.stringify({ type: 'TENANCY', tenancyId: child.ocid }), '--wait-for-state', 'SUCCEEDED', ...fast]),
      'criterion',
    ).json.data;
    assert.equal(attached.status, 'SUCCEEDED');
    const attachments = ok(await cli([G, 'tenancy-attachment', 'list', ...p, '--governance-rule-id', ruleId, '--all', '--query', 'data[].tenancyId']), 'attachments').json;
    assert.deepEqual(attachments, [child.ocid]);
    const enforced = ok(await cli([G, 'enforced-governance-rule', 'list', ...c, '-c', child.ocid, '--output', 'table']), 'enforced').stdout;
    assert.match(enforced, /\| no-rm +\| QUOTA +\|/);
  });

  test('usage and cost: the operator records usage and a rate card, the tenancy reads its report with usage-api usage-summary request-summarized-usages; resource usage past a limit exits 5', slow, async () => {
    const tenancy = await quickTenancy('ANNUAL_COMMIT');
    const t = ['--profile', tenancy.profile];
    ok(await admin(['admin', 'rate-card', 'set', '--subscription-id', tenancy.subscriptionId, '--items', JSON.stringify([{ service: 'compute', unit: 'OCPU-hours', unitPrice: 0.5, currency: 'USD' }, { service: 'storage', unit: 'GB-months', unitPrice: 0.025, currency: 'USD' }])]), 'rate card');
    const DAY = 86_400_000;
    const today = Date.now() - (Date.now() % DAY);
    const at = (ms: number) => new Date(ms).toISOString();
    const record = (id: string, service: string, unit: string, quantity: number, time: number) => ({ id: `${tenancy.profile}-${id}`, tenancyId: tenancy.ocid, service, resource: 'r', quantity, unit, time: at(time) });
    const recorded = ok(
      await admin(['admin', 'usage', 'record', '--records', JSON.stringify([record('1', 'compute', 'OCPU-hours', 10, today - DAY + 1000), record('2', 'compute', 'OCPU-hours', 4, today + 1000), record('3', 'storage', 'GB-months', 200, today + 2000)])]),
      'usage',
    ).json;
    assert.equal(recorded.data.accepted, 3);

    const report = (...more: string[]) =>
      cli(['usage-api', 'usage-summary', 'request-summarized-usages', ...t, '--time-usage-started', at(today - DAY), '--time-usage-ended', at(today + DAY), ...more]);
    const daily = ok(await report('--granularity', 'DAILY', '--query-type', 'COST', '--group-by', '["service"]'), 'daily cost').json.data;
    assert.deepEqual(daily.groupBy, ['service']);
    assert.deepEqual(
      daily.items.map((i: { timeUsageStarted: string; service: string; computedQuantity: number; computedAmount: number; currency: string }) => [i.timeUsageStarted, i.service, i.computedQuantity, i.computedAmount, i.currency]).sort(),
      [
        [at(today - DAY), 'compute', 10, 5, 'USD'],
        [at(today), 'compute', 4, 2, 'USD'],
        [at(today), 'storage', 200, 5, 'USD'],
      ].sort(),
    );
    // The tenancy of the profile is the default --tenant-id; a table of the items reads as the OCI CLI's.
    const table = ok(await report('--granularity', 'TOTAL', '--group-by', '["subscriptionId","unit"]', '--query', 'data.items', '--output', 'table'), 'total usage').stdout;
    assert.match(table, new RegExp(`\\| ${tenancy.subscriptionId} +\\|.*\\| 14 +\\| OCPU-hours +\\|`));
    assert.match(table, /\| 200 +\| GB-months +\|/);
    assert.doesNotMatch(table, /computedAmount/, 'USAGE reports no amounts');
    const misaligned = await cli(['usage-api', 'usage-summary', 'request-summarized-usages', ...t, '--time-usage-started', at(today + 1000), '--time-usage-ended', at(today + DAY), '--granularity', 'DAILY']);
    assert.equal(misaligned.code, 5);
    assert.match(misaligned.stderr, /UTC midnight/);
    assert.equal((await report('--granularity', 'WEEKLY')).code, 2);

    // Resource usage: within the service limit, then past it (refused: exit 5, nothing changed).
    ok(await admin(['admin', 'resource-usage', 'set', '--tenant-id', tenancy.id, '--service-name', 'vcn', '--limit-name', 'vcn-count', '--used', '50']), 'resource usage');
    const over = await admin(['admin', 'resource-usage', 'set', '--tenant-id', tenancy.id, '--service-name', 'vcn', '--limit-name', 'vcn-count', '--used', '51']);
    assert.equal(over.code, 5);
    assert.match(over.stderr, /LIMIT_EXCEEDED/);
    const listed = ok(await admin(['admin', 'resource-usage', 'list', '--tenant-id', tenancy.id, '--query', 'data[].[limitName, used, available]']), 'list').json;
    assert.deepEqual(listed, [['vcn-count', 50, 0]]);
  });

  test('on a terminal --wait-for-state shows the progress of the work request, and one that ends otherwise than waited for exits 5', slow, async () => {
    const parent = await quickTenancy('ANNUAL_COMMIT');
    const child = await quickTenancy('PAYG');
    let stdout = '';
    let progress = '';
    const terminal = Object.assign(new Writable({ write: (chunk, _e, done) => ((progress += String(chunk)), done()) }), { isTTY: true });
    const code = await runCli(
      ['organizations', 'sender-invitation', 'create', '--profile', parent.profile, '-c', parent.ocid, '--recipient-tenancy-id', child.ocid, '--wait-for-state', 'SUCCEEDED', ...fast],
      { stdout: new Writable({ write: (chunk, _e, done) => ((stdout += String(chunk)), done()) }), stderr: terminal as unknown as NodeJS.WriteStream, env: { HOME: home.home } },
    );
    assert.equal(code, 0, progress);
    assert.match(progress, /\rwork request (ACCEPTED|IN_PROGRESS|SUCCEEDED) \d+% \(\d+ s\)/);
    assert.ok(progress.endsWith('\n'));
    assert.equal(JSON.parse(stdout).data.status, 'SUCCEEDED');

    const other = await quickTenancy('PAYG');
    const waited = await cli(['organizations', 'sender-invitation', 'create', '--profile', parent.profile, '-c', parent.ocid, '--recipient-tenancy-id', other.ocid, '--wait-for-state', 'CANCELED', ...fast]);
    assert.equal(waited.code, 5);
    assert.match(waited.stderr, /finished SUCCEEDED, not CANCELED/);
  });
});
