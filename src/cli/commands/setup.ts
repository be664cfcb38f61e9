import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PROFILE, expandHome, saveProfile } from '../config.js';
import { usageError } from '../errors.js';
import { fingerprintOf } from '../signer.js';
import { describeGroup, local, type CommandSpec } from '../spec.js';

describeGroup('setup', 'Set up this machine: API signing keys, profiles, shell completion.');

/** Profile keys `setup profile` writes, by option. */
const PROFILE_KEYS = ['endpoint', 'tenancy', 'user', 'fingerprint', 'key-file', 'pass-phrase', 'token', 'tenant-id', 'namespace', 'client-id', 'client-secret', 'operator-token-file'] as const;

export const setupCommands: CommandSpec[] = [
  {
    path: ['setup', 'keys'],
    summary: 'Generate an RSA key pair for OCI request signing and print its fingerprint.',
    description: 'Writes <key-name>.pem (private, mode 600) and <key-name>_public.pem. Register the public key with: tenantry admin api-key create --user-id … --public-key-file <key-name>_public.pem',
    params: [
      local('output-dir', 'Where to write the keys (default ~/.tenantry).'),
      local('key-name', 'The file name stem.', { default: 'tenantry_api_key' }),
      local('passphrase', 'Encrypt the private key with this passphrase (then set pass_phrase in the profile).'),
      local('overwrite', 'Replace existing key files.', { type: 'boolean' }),
    ],
    async run(ctx, values) {
      const dir = expandHome(String(values['output-dir'] ?? path.join(ctx.session.env.HOME || os.homedir(), '.tenantry')), ctx.session.env);
      const privateFile = path.join(dir, `${values['key-name']}.pem`);
      const publicFile = path.join(dir, `${values['key-name']}_public.pem`);
      if (!values.overwrite && (fs.existsSync(privateFile) || fs.existsSync(publicFile))) {
        throw usageError(`${privateFile} or ${publicFile} already exists; pass --overwrite to replace them`);
      }
      const passphrase = values.passphrase as string | undefined;
      const { privateKey, publicKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: passphrase ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase } : { type: 'pkcs8', format: 'pem' },
      });
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(privateFile, privateKey, { mode: 0o600 });
      fs.writeFileSync(publicFile, publicKey, { mode: 0o644 });
      return { data: { privateKeyFile: privateFile, publicKeyFile: publicFile, fingerprint: fingerprintOf(publicKey) } };
    },
  },
  {
    path: ['setup', 'profile'],
    summary: 'Create or update a profile of the config file (only the keys given change).',
    params: [
      local('profile-name', `The profile to write (default: --profile, else ${DEFAULT_PROFILE}).`),
      local('endpoint', 'The server URL.'),
      local('tenancy', 'The tenancy OCID (OCI signing).'),
      local('user', 'The user OCID (OCI signing).'),
      local('fingerprint', 'The API key fingerprint (OCI signing).'),
      local('key-file', 'The private key file (OCI signing).'),
      local('pass-phrase', 'The private key passphrase.'),
      local('token', 'A bearer token (communities, streams).'),
      local('tenant-id', 'The tenant GUID (communities, streams).'),
      local('namespace', 'The default SDS namespace (streams).'),
      local('client-id', 'A client id (communities, streams, instead of a token).'),
      local('client-secret', 'Its secret.'),
      local('operator-token-file', 'A file holding the operator token (admin).'),
    ],
    async run(ctx, values) {
      const name = String(values['profile-name'] ?? ctx.session.profileName);
      const updates: Record<string, string> = {};
      for (const flag of PROFILE_KEYS) {
        // --endpoint is also a global option; the value given lands in both.
        const value = values[flag];
        if (value !== undefined) updates[flag.replace(/-/g, '_')] = String(value);
      }
      saveProfile(ctx.session.configFile, name, updates);
      return { data: { configFile: ctx.session.configFile, profile: name, updated: Object.keys(updates) } };
    },
  },
];
