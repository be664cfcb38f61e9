import type { Auth, HttpClient, Session } from './http.js';
import type { Envelope, OutputOptions } from './output.js';

/**
 * The CLI is a table of commands. One entry declares its words, options and HTTP call; parsing,
 * help, shell completion and --generate-full-command-json-input are all derived from it.
 */
export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'json' | 'file';
export type ParamLocation = 'path' | 'query' | 'body' | 'header' | 'local';

export interface ParamSpec {
  /** The long option without `--`, kebab-case (`compartment-id`). */
  flag: string;
  short?: string;
  type?: ParamType;
  multiple?: boolean;
  required?: boolean;
  in: ParamLocation;
  /** The wire name (path placeholder, query key, body field, header); default: camelCase of flag. */
  key?: string;
  help: string;
  choices?: readonly string[];
  /** A value for --generate-full-command-json-input. */
  example?: unknown;
  /** A profile key whose value is the default (`tenant_id`). */
  profileKey?: string;
  default?: unknown;
}

export interface HttpSpec {
  auth: Auth;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path after the endpoint with `{key}` placeholders filled from path params. */
  url: string;
  /** `oci`: {items} collections paged by opc-next-page; `ocs`: arrays paged by skip/count. */
  paging?: 'oci' | 'ocs';
  /** OCI paging without a limit parameter (listRecipientInvitations). */
  noLimit?: boolean;
  ifMatch?: boolean;
  retryToken?: boolean;
  /** Asynchronous: answers opc-work-request-id of this API, which --wait-for-state follows. */
  workRequest?: 'organizations' | 'governance-rules';
  /** Body fields the command always sends (e.g. the Action of an invitation). */
  fixedBody?: Record<string, unknown>;
  /** The flag whose (JSON) value is the whole request body. */
  bodyFrom?: string;
}

export interface RunContext {
  session: Session;
  http: HttpClient;
  output: OutputOptions;
  /** Where progress goes (stderr); `isTTY` decides whether it is shown. */
  progress: NodeJS.WriteStream;
}

export type Values = Record<string, unknown>;

export interface CommandSpec {
  path: string[];
  summary: string;
  description?: string;
  params: ParamSpec[];
  /** The option a single bare argument fills (`tenantry backup FILE` is `--file FILE`). */
  positional?: string;
  examples?: string[];
  http?: HttpSpec;
  /** A local command: an envelope to render, or text printed as it is (a completion script). */
  run?: (ctx: RunContext, values: Values) => Promise<Envelope | string>;
}

export const camelCase = (flag: string) => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const keyOf = (param: ParamSpec) => param.key ?? camelCase(param.flag);

// Small constructors keep the command tables readable.
type Extra = Partial<ParamSpec>;
export const pathParam = (flag: string, help: string, extra: Extra = {}): ParamSpec => ({ flag, in: 'path', required: true, help, ...extra });
export const query = (flag: string, help: string, extra: Extra = {}): ParamSpec => ({ flag, in: 'query', help, ...extra });
export const body = (flag: string, help: string, extra: Extra = {}): ParamSpec => ({ flag, in: 'body', help, ...extra });
export const local = (flag: string, help: string, extra: Extra = {}): ParamSpec => ({ flag, in: 'local', help, ...extra });
export const compartment = (help: string, required = true): ParamSpec => query('compartment-id', help, { short: 'c', required });

/** Group descriptions for help, keyed by the words of the group. */
export const GROUP_HELP: Record<string, string> = {};
export function describeGroup(words: string, help: string): void {
  GROUP_HELP[words] = help;
}
