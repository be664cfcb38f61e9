import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authError } from './errors.js';

/**
 * Profiles in an INI file shaped like `~/.oci/config`: `[DEFAULT]` holds values every profile
 * inherits; keys are lower-case with underscores (tenancy, user, fingerprint, key_file,
 * pass_phrase, endpoint, token, tenant_id, namespace, client_id, client_secret, operator_token).
 *
 * The format is the plain subset OCI uses (sections, `key=value`, `#`/`;` comments), so it is
 * parsed here rather than with the `ini` package, whose current releases need Node ≥ 20.17.
 */
export type Profile = Record<string, string>;
export type ConfigFile = Map<string, Profile>;

export const DEFAULT_PROFILE = 'DEFAULT';

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TENANTRY_CLI_CONFIG_FILE || path.join(env.HOME || os.homedir(), '.tenantry', 'config');
}

/** `~` at the start of a path means the home directory, as in OCI's key_file. */
export function expandHome(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return file === '~' || file.startsWith('~/') ? path.join(env.HOME || os.homedir(), file.slice(1)) : file;
}

export function parseIni(text: string): ConfigFile {
  const sections: ConfigFile = new Map();
  let current: Profile | undefined;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      const name = section[1].trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || !current) throw authError(`config file line ${index + 1} is neither [profile] nor key=value inside a profile: ${line}`);
    current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}

export function formatIni(config: ConfigFile): string {
  const blocks: string[] = [];
  for (const [name, values] of config) {
    blocks.push([`[${name}]`, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)].join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

export function readConfigFile(file: string): ConfigFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw authError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  return parseIni(text);
}

/** The named profile over DEFAULT; an empty profile when neither the file nor the profile exists and none was asked for. */
export function loadProfile(file: string, name: string | undefined): Profile {
  const config = readConfigFile(file);
  const wanted = name ?? DEFAULT_PROFILE;
  if (!config) {
    if (name && name !== DEFAULT_PROFILE) throw authError(`config file ${file} does not exist, so it has no profile ${name}; create one with: tenantry setup profile --profile-name ${name} …`);
    return {};
  }
  const base = config.get(DEFAULT_PROFILE) ?? {};
  const own = config.get(wanted);
  if (!own && wanted !== DEFAULT_PROFILE) throw authError(`profile ${wanted} is not in ${file} (profiles: ${[...config.keys()].join(', ') || 'none'})`);
  return { ...base, ...own };
}

/** Sets keys of one profile (creating file and profile as needed); the file is private (0600). */
export function saveProfile(file: string, name: string, values: Profile): void {
  const config = readConfigFile(file) ?? new Map<string, Profile>();
  config.set(name, { ...(config.get(name) ?? {}), ...values });
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, formatIni(config), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
