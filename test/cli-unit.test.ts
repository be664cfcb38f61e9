import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { optionsOf } from '../src/cli/args.js';
import { loadProfile, parseIni, saveProfile } from '../src/cli/config.js';
import { COMMANDS, runCli } from '../src/cli/index.js';
import { table } from '../src/cli/output.js';
import { fingerprintOf, loadSigningKey, signRequest } from '../src/cli/signer.js';
import { verifyOciSignature } from '../src/platform/http/oci-signature.js';

/** Runs the CLI in this process with captured output. */
async function run(args: string[], env: NodeJS.ProcessEnv = { HOME: os.tmpdir() }) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (append(String(chunk)), done()) });
  const code = await runCli(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) as unknown as NodeJS.WriteStream, env });
  return { code, stdout, stderr };
}

describe('tenantry CLI pieces', () => {
  test('requests it signs verify with the server verifier, with and without a body, and a changed body does not', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const fingerprint = fingerprintOf(publicKey);
    assert.match(fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const key = loadSigningKey('ocid1.tenancy.oc1..t', 'ocid1.user.oc1..u', fingerprint, privateKey);
    const keys = (id: string) => (id === `ocid1.tenancy.oc1..t/ocid1.user.oc1..u/${fingerprint}` ? publicKey : undefined);
    const check = (method: string, target: string, body: string, sent = body) => {
      const headers = signRequest(key, { method, target, host: '127.0.0.1:8080', body });
      return verifyOciSignature({ method, target, headers: { ...headers, host: '127.0.0.1:8080' }, body: Buffer.from(sent) }, keys, Date.now());
    };
    assert.deepEqual(check('GET', '/20230401/senderInvitations?compartmentId=ocid1.tenancy.oc1..t&limit=2', ''), { ok: true, keyId: key.keyId });
    assert.equal(check('POST', '/20230401/recipientInvitations/x/actions/accept', '').ok, true, 'an empty POST is signed with content headers');
    assert.equal(check('PUT', '/20230401/senderInvitations/x', '{"displayName":"é"}').ok, true);
    assert.equal(check('PUT', '/20230401/senderInvitations/x', '{"displayName":"a"}', '{"displayName":"b"}').ok, false);
  });

  test('setup keys writes a private key that needs its passphrase, and signs with it once given', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-keys-'));
    const made = await run(['setup', 'keys', '--output-dir', dir, '--passphrase', 's3cret']);
    assert.equal(made.code, 0, made.stderr);
    const { privateKeyFile, publicKeyFile, fingerprint } = JSON.parse(made.stdout).data;
    const pem = fs.readFileSync(privateKeyFile, 'utf8');
    assert.match(pem, /ENCRYPTED PRIVATE KEY/);
    assert.equal(fingerprintOf(fs.readFileSync(publicKeyFile, 'utf8')), fingerprint);
    assert.throws(() => loadSigningKey('t', 'u', fingerprint, pem));
    assert.ok(loadSigningKey('t', 'u', fingerprint, pem, 's3cret'));
    const again = await run(['setup', 'keys', '--output-dir', dir]);
    assert.equal(again.code, 2, 'existing keys are not overwritten without --overwrite');
    fs.rmSync(dir, { recursive: true });
  });

  test('profiles inherit DEFAULT, saving one profile keeps the others, and the file is private', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-ini-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, '# comment\n[DEFAULT]\nendpoint = http://a:1\n\n[parent]\ntenancy=ocid1.tenancy.oc1..p\n; other\n');
    saveProfile(file, 'child', { tenancy: 'ocid1.tenancy.oc1..c' });
    saveProfile(file, 'parent', { user: 'ocid1.user.oc1..u' });
    assert.deepEqual(loadProfile(file, 'parent'), { endpoint: 'http://a:1', tenancy: 'ocid1.tenancy.oc1..p', user: 'ocid1.user.oc1..u' });
    assert.deepEqual(loadProfile(file, 'child'), { endpoint: 'http://a:1', tenancy: 'ocid1.tenancy.oc1..c' });
    assert.deepEqual([...parseIni(fs.readFileSync(file, 'utf8')).keys()], ['DEFAULT', 'parent', 'child']);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.throws(() => loadProfile(file, 'nobody'), /profile nobody is not in/);
    const viaGlobal = await run(['setup', 'profile', '--config-file', file, '--profile', 'ops', '--token', 't0k']);
    assert.equal(viaGlobal.code, 0, viaGlobal.stderr);
    assert.equal(loadProfile(file, 'ops').token, 't0k', '--profile names the profile setup profile writes');
    fs.rmSync(dir, { recursive: true });
  });

  test('every command has help naming each of its options, and every group lists its commands', async () => {
    for (const command of COMMANDS) {
      const { code, stdout } = await run([...command.path, '--help']);
      assert.equal(code, 0, command.path.join(' '));
      assert.ok(stdout.startsWith(`Usage: tenantry ${command.path.join(' ')} [OPTIONS]`), command.path.join(' '));
      for (const option of optionsOf(command)) assert.ok(stdout.includes(`--${option.flag}`), `${command.path.join(' ')} --help names --${option.flag}`);
      const group = await run([...command.path.slice(0, -1), '--help']);
      assert.ok(group.stdout.includes(`  ${command.path.at(-1)} `), `${command.path.slice(0, -1).join(' ')} --help lists ${command.path.at(-1)}`);
    }
    const root = await run(['--help']);
    for (const group of ['serve', 'worker', 'organizations', 'communities', 'streams', 'admin', 'setup', 'governance-rules-control-plane', 'usage-api']) assert.match(root.stdout, new RegExp(`\\n  ${group} `));
    assert.equal((await run(['organizations'])).code, 0, 'a group alone prints its help');
    assert.equal((await run([])).code, 2);
  });

  test('the bash completion script completes command words and the options of a command', async () => {
    const { stdout: script } = await run(['setup', 'autocomplete', '--shell', 'bash']);
    const complete = (words: string[]) =>
      execFileSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tenantry; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' })
        .trim()
        .split('\n');
    assert.deepEqual(complete(['tenantry', 'org']), ['organizations']);
    assert.deepEqual(complete(['tenantry', 'organizations', 'sender-inv']), ['sender-invitation']);
    assert.deepEqual(complete(['tenantry', 'organizations', 'sender-invitation', 'c']).sort(), ['cancel', 'create']);
    const options = complete(['tenantry', '--profile', 'p', 'organizations', 'sender-invitation', 'create', '--rec']);
    assert.deepEqual(options, ['--recipient-tenancy-id', '--recipient-email-address']);
    const { stdout: zsh } = await run(['setup', 'autocomplete', '--shell', 'zsh']);
    assert.ok(zsh.startsWith('autoload -U +X bashcompinit && bashcompinit\n'));
  });

  test('table output has one row per item and a column per key, and --query errors are usage errors', async () => {
    const rendered = table([{ id: 'a', n: 1 }, { id: 'bb', tags: { x: 'y' } }]);
    assert.deepEqual(rendered.trimEnd().split('\n'), [
      '+----+---+-----------+',
      '| id | n | tags      |',
      '+----+---+-----------+',
      '| a  | 1 |           |',
      '| bb |   | {"x":"y"} |',
      '+----+---+-----------+',
    ]);
    assert.equal(table([]), 'No items found.\n');
    const bad = await run(['organizations', 'organization', 'list', '-c', 'x', '--query', '[[', '--endpoint', 'http://127.0.0.1:9']);
    assert.equal(bad.code, 2, 'a malformed --query is refused before anything is sent');
    assert.match(bad.stderr, /not a valid JMESPath expression/);
  });

  test('--wait-for-state gives up after --max-wait-seconds with exit 7 when the work request does not finish, and --debug shows requests without credentials', async () => {
    // A stand-in server whose work request never finishes (a fake at the process boundary).
    let polls = 0;
    const fake = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        res.statusCode = 202;
        res.setHeader('opc-work-request-id', 'ocid1.organizationsworkrequest.oc1..slow');
        return res.end();
      }
      polls += 1;
      res.end(JSON.stringify({ id: 'ocid1.organizationsworkrequest.oc1..slow', status: 'IN_PROGRESS', percentComplete: 50 }));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-wait-'));
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    fs.writeFileSync(path.join(dir, 'key.pem'), privateKey);
    saveProfile(path.join(dir, '.tenantry', 'config'), 'DEFAULT', {
      endpoint: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
      tenancy: 'ocid1.tenancy.oc1..t',
      user: 'ocid1.user.oc1..u',
      fingerprint: fingerprintOf(publicKey),
      key_file: path.join(dir, 'key.pem'),
    });
    const started = Date.now();
    const result = await run(['organizations', 'recipient-invitation', 'accept', '--recipient-invitation-id', 'x', '--wait-for-state', 'SUCCEEDED', '--max-wait-seconds', '1', '--wait-interval-seconds', '0.2', '--debug'], { HOME: dir });
    fake.close();
    fs.rmSync(dir, { recursive: true });
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /still IN_PROGRESS after 1 s/);
    assert.ok(polls >= 3 && Date.now() - started < 5000, `${polls} polls`);
    // --debug shows the signed request without its signature.
    assert.match(result.stderr, /> POST http:\/\/127\.0\.0\.1:\d+\/20230401\/recipientInvitations\/x\/actions\/accept\n/);
    assert.match(result.stderr, /> x-content-sha256: 47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU=/);
    assert.match(result.stderr, /signature="…"/);
    assert.match(result.stderr, /< 202/);
  });
});
