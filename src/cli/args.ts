import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { expandHome } from './config.js';
import { usageError } from './errors.js';
import { camelCase, keyOf, local, type CommandSpec, type ParamSpec, type Values } from './spec.js';

// Parsing uses Node's util.parseArgs rather than commander: the command table (spec.ts) is the
// one source of words, options, help, completion and JSON templates, so all a parser has to do
// is split one command's tokens strictly, which parseArgs does without a dependency.

/** Options every command takes (and that may also come before the command words). */
export const GLOBAL_OPTIONS: ParamSpec[] = [
  local('profile', 'The profile of the config file to use (default DEFAULT, or $TENANTRY_CLI_PROFILE).'),
  local('config-file', 'The config file (default ~/.tenantry/config, or $TENANTRY_CLI_CONFIG_FILE).'),
  local('endpoint', 'The server, e.g. http://127.0.0.1:8080 (default: the profile\'s endpoint, else $TENANTRY_ENDPOINT, else http://127.0.0.1:8080).'),
  local('output', 'Output format.', { choices: ['json', 'table'], default: 'json' }),
  local('query', 'JMESPath query applied to the output, e.g. \'data[].id\' (see https://jmespath.org).'),
  local('raw-output', 'Print a string result without JSON quotes.', { type: 'boolean' }),
  local('generate-full-command-json-input', 'Print a JSON template of every option of the command, for --from-json.', { type: 'boolean' }),
  local('from-json', 'Option values as JSON (or file://path), keyed by camelCase option names; options on the command line win.'),
  local('debug', 'Print each request (without credentials) and answer status to stderr.', { type: 'boolean' }),
  local('help', 'Show this help and exit.', { type: 'boolean', short: 'h' }),
];

export const WORK_REQUEST_STATES = ['ACCEPTED', 'IN_PROGRESS', 'FAILED', 'SUCCEEDED', 'CANCELING', 'CANCELED'] as const;
/** The Governance Rules API's work requests also wait (WAITING). */
const GOVERNANCE_WORK_REQUEST_STATES = ['ACCEPTED', 'IN_PROGRESS', 'WAITING', 'FAILED', 'SUCCEEDED', 'CANCELING', 'CANCELED'] as const;

/** The command's own options plus those its HTTP shape implies (paging, if-match, waiting). */
export function optionsOf(command: CommandSpec): ParamSpec[] {
  const params = [...command.params];
  const http = command.http;
  if (http?.paging === 'oci') {
    if (!http.noLimit) params.push({ flag: 'limit', in: 'query', type: 'integer', help: 'The most items to return in one page.' });
    params.push({ flag: 'page', in: 'query', help: 'The opc-next-page value of the previous call.' });
  }
  if (http?.paging === 'ocs') {
    params.push(
      { flag: 'skip', in: 'query', type: 'integer', help: 'Items to skip.' },
      { flag: 'count', in: 'query', type: 'integer', help: 'The most items to return.' },
    );
  }
  if (http?.paging) {
    params.push(local('all', 'Fetch every page and print all items.', { type: 'boolean' }));
    if (!http.noLimit) params.push(local('page-size', 'With --all: items fetched per request.', { type: 'integer' }));
  }
  if (http?.ifMatch) params.push({ flag: 'if-match', in: 'header', key: 'if-match', help: 'Act only if the resource still has this etag (else 412 NoEtagMatch).' });
  if (http?.retryToken) params.push({ flag: 'opc-retry-token', in: 'header', key: 'opc-retry-token', help: 'Makes the call idempotent for 24 hours: a retry with the same token returns the first answer.' });
  if (http?.workRequest) {
    params.push(
      local('wait-for-state', 'Wait until the work request reaches this state, then print the work request.', { multiple: true, choices: http.workRequest === 'governance-rules' ? GOVERNANCE_WORK_REQUEST_STATES : WORK_REQUEST_STATES }),
      local('max-wait-seconds', 'With --wait-for-state: give up after this many seconds (exit 7).', { type: 'integer', default: 1200 }),
      local('wait-interval-seconds', 'With --wait-for-state: seconds between checks.', { type: 'number', default: 1 }),
    );
  }
  return params;
}

/** Splits argv into the command words (those that walk the command tree) and everything else. */
export function splitCommandWords(argv: string[], isPrefix: (words: string[]) => boolean, leafOptions: (words: string[]) => ParamSpec[] | undefined): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token.startsWith('-')) {
      rest.push(token);
      const options = [...GLOBAL_OPTIONS, ...(leafOptions(words) ?? [])];
      const name = token.replace(/^--?/, '');
      const option = token.startsWith('--') ? options.find((o) => o.flag === name) : options.find((o) => o.short === name);
      if (option && (option.type ?? 'string') !== 'boolean' && !token.includes('=') && i + 1 < argv.length) rest.push(argv[++i]);
      continue;
    }
    if (!leafOptions(words) && isPrefix([...words, token])) {
      words.push(token);
      continue;
    }
    rest.push(token);
  }
  return { words, rest };
}

function readValueSource(text: string): string {
  if (!text.startsWith('file://')) return text;
  const file = expandHome(text.slice('file://'.length));
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function convert(param: ParamSpec, raw: unknown): unknown {
  const type = param.type ?? 'string';
  if (param.multiple && Array.isArray(raw)) return raw.map((r) => convert({ ...param, multiple: false }, r));
  if (typeof raw !== 'string') return raw; // booleans, or values that came from --from-json
  switch (type) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) throw usageError(`--${param.flag} must be ${type === 'integer' ? 'an integer' : 'a number'}, not ${JSON.stringify(raw)}`);
      return n;
    }
    case 'json': {
      const text = readValueSource(raw);
      try {
        return JSON.parse(text);
      } catch {
        throw usageError(`--${param.flag} must be valid JSON (or file://path), not ${JSON.stringify(raw)}`);
      }
    }
    case 'file':
      return readValueSource(raw.startsWith('file://') ? raw : `file://${raw}`);
    default:
      return raw;
  }
}

export interface Parsed {
  values: Values;
  globals: Values;
}

/** Parses the option tokens of one command; `required` is checked by the caller (after --help). */
export function parseOptions(command: CommandSpec | undefined, tokens: string[]): Parsed {
  const specs = [...GLOBAL_OPTIONS, ...(command ? optionsOf(command) : [])];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const p of specs) options[p.flag] = { type: p.type === 'boolean' ? 'boolean' : 'string', ...(p.short ? { short: p.short } : {}), ...(p.multiple ? { multiple: true } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: tokens, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const bare = command?.positional;
  if (bare && parsed.positionals.length === 1 && (parsed.values as Record<string, unknown>)[bare] === undefined) {
    (parsed.values as Record<string, unknown>)[bare] = parsed.positionals.pop();
  }
  if (parsed.positionals.length) {
    throw usageError(command ? `unexpected argument ${JSON.stringify(parsed.positionals[0])} (values go after an option, e.g. --name VALUE)` : `unknown command ${JSON.stringify(parsed.positionals[0])}`);
  }
  const globals: Values = {};
  const values: Values = {};
  for (const p of specs) {
    const raw = (parsed.values as Record<string, unknown>)[p.flag];
    const target = GLOBAL_OPTIONS.includes(p) ? globals : values;
    if (raw !== undefined) target[p.flag] = convert(p, raw);
  }
  return { values, globals };
}

/** Applies --from-json, defaults (profile, declared) and checks required options and choices. */
export function completeValues(command: CommandSpec, values: Values, fromJson: unknown, profile: Record<string, string>): Values {
  const params = optionsOf(command);
  const result: Values = {};
  if (fromJson !== undefined) {
    if (typeof fromJson !== 'object' || fromJson === null || Array.isArray(fromJson)) throw usageError('--from-json must be a JSON object');
    for (const [key, value] of Object.entries(fromJson)) {
      const param = params.find((p) => camelCase(p.flag) === key || keyOf(p) === key);
      if (!param) throw usageError(`--from-json has ${key}, which is not an option of this command (see --generate-full-command-json-input)`);
      result[param.flag] = convert(param, value);
    }
  }
  Object.assign(result, values);
  for (const p of params) {
    if (result[p.flag] === undefined && p.profileKey && profile[p.profileKey]) result[p.flag] = profile[p.profileKey];
    if (result[p.flag] === undefined && p.default !== undefined) result[p.flag] = p.default;
    const value = result[p.flag];
    if (value === undefined && p.required) throw usageError(`missing option --${p.flag}${p.short ? ` (-${p.short})` : ''}: ${p.help}`);
    if (value !== undefined && p.choices) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (!p.choices.includes(String(v))) throw usageError(`--${p.flag} must be one of ${p.choices.join(', ')}, not ${JSON.stringify(v)}`);
      }
    }
  }
  return result;
}

export function jsonInputTemplate(command: CommandSpec): Record<string, unknown> {
  const template: Record<string, unknown> = {};
  for (const p of optionsOf(command)) {
    const type = p.type ?? 'string';
    const one = p.example ?? p.default ?? (p.choices ? p.choices[0] : type === 'integer' || type === 'number' ? 0 : type === 'boolean' ? true : type === 'json' ? {} : 'string');
    template[camelCase(p.flag)] = p.multiple && !Array.isArray(one) ? [one] : one;
  }
  return template;
}
