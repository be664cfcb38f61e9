import fs from 'node:fs';
import { CliError, EXIT, authError, serviceError } from './errors.js';
import { expandHome, type Profile } from './config.js';
import { loadSigningKey, signRequest, type SigningKey } from './signer.js';

/** How a request proves who sends it: OCI signature, OCS bearer token, operator token, or nothing. */
export type Auth = 'oci' | 'bearer' | 'operator' | 'none';

export interface Session {
  endpoint: string;
  profile: Profile;
  profileName: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface HttpRequest {
  auth: Auth;
  method: string;
  /** Path and query after the endpoint, e.g. `/20230401/senderInvitations?compartmentId=…`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends requests of one CLI invocation; credentials are read once, on first use. */
export class HttpClient {
  private key?: SigningKey;
  private bearer?: string;

  /** With --debug: each request and answer status goes here, credentials left out. */
  constructor(
    readonly session: Session,
    private readonly debug?: (line: string) => void,
  ) {}

  async send(request: HttpRequest): Promise<HttpAnswer> {
    const url = new URL(this.session.endpoint.replace(/\/+$/, '') + request.path);
    const body = request.body === undefined ? '' : JSON.stringify(request.body);
    const method = request.method.toUpperCase();
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'tenantry-cli/0.1.0', ...request.headers };
    if (hasBody || body) headers['content-type'] = 'application/json';
    if (request.auth === 'oci') {
      Object.assign(headers, signRequest(this.signingKey(), { method, target: url.pathname + url.search, host: url.host, body }));
    } else if (request.auth === 'bearer') {
      headers.authorization = `Bearer ${await this.bearerToken()}`;
    } else if (request.auth === 'operator') {
      headers.authorization = `Bearer ${this.operatorToken()}`;
    }
    if (this.debug) {
      const shown = Object.entries(headers).map(([k, v]) => `${k}: ${k === 'authorization' ? v.replace(/(Bearer |signature=")[^"]*/, '$1…') : v}`);
      this.debug(`> ${method} ${url.href}\n${shown.map((h) => `> ${h}`).join('\n')}${body ? `\n> ${body}` : ''}`);
    }
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: hasBody ? body : undefined, redirect: 'manual' });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(EXIT.connection, `cannot reach ${url.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await res.text();
    this.debug?.(`< ${res.status} ${res.headers.get('opc-request-id') ?? res.headers.get('operation-id') ?? ''}`.trimEnd());
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    // 302 is the OCS answer "an identical resource already exists" (get-or-create), with the body.
    if (res.status >= 400 || (res.status >= 300 && res.status !== 302)) {
      const ids: Record<string, string> = {};
      for (const name of ['opc-request-id', 'operation-id']) if (res.headers.get(name)) ids[name] = res.headers.get(name)!;
      throw serviceError(res.status, parsed, ids, `${method} ${url.pathname}`);
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  private need(keys: string[], what: string): string[] {
    const missing = keys.filter((k) => !this.session.profile[k]);
    if (missing.length) {
      throw authError(
        `${what} needs ${missing.join(', ')} in profile ${this.session.profileName} of ${this.session.configFile}; set them with: tenantry setup profile --profile-name ${this.session.profileName} …`,
      );
    }
    return keys.map((k) => this.session.profile[k]);
  }

  private signingKey(): SigningKey {
    if (this.key) return this.key;
    const [tenancy, user, fingerprint, keyFile] = this.need(['tenancy', 'user', 'fingerprint', 'key_file'], 'an OCI-signed request');
    let pem: string;
    try {
      pem = fs.readFileSync(expandHome(keyFile, this.session.env), 'utf8');
    } catch (error) {
      throw authError(`cannot read key_file ${keyFile}: ${(error as Error).message}`);
    }
    try {
      this.key = loadSigningKey(tenancy, user, fingerprint, pem, this.session.profile.pass_phrase);
    } catch (error) {
      throw authError(`key_file ${keyFile} is not a usable private key: ${(error as Error).message}`);
    }
    return this.key;
  }

  /** A bearer token from the profile (`token`), or fetched with the profile's client credentials. */
  private async bearerToken(): Promise<string> {
    if (this.bearer) return this.bearer;
    const p = this.session.profile;
    if (p.token) return (this.bearer = p.token);
    if (p.token_file) return (this.bearer = readSecret(p.token_file, this.session.env));
    if (p.client_id && p.client_secret) {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: p.client_id, client_secret: p.client_secret });
      const res = await fetch(new URL(`${this.session.endpoint.replace(/\/+$/, '')}/identity/connect/token`), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      }).catch((error: Error) => {
        throw new CliError(EXIT.connection, `cannot reach ${this.session.endpoint}: ${error.message}`);
      });
      const json = (await res.json().catch(() => ({}))) as { access_token?: string; error_description?: string };
      if (!res.ok || !json.access_token) throw authError(`client credentials of profile ${this.session.profileName} were refused: ${json.error_description ?? res.status}`);
      return (this.bearer = json.access_token);
    }
    return (this.bearer = this.need(['token'], 'a bearer-authenticated request (communities, streams)')[0]);
  }

  private operatorToken(): string {
    const env = this.session.env;
    const p = this.session.profile;
    if (env.TENANTRY_OPERATOR_TOKEN) return env.TENANTRY_OPERATOR_TOKEN;
    if (p.operator_token) return p.operator_token;
    const file = p.operator_token_file ?? env.TENANTRY_OPERATOR_TOKEN_FILE;
    if (file) return readSecret(file, env);
    throw authError(
      `the operator API needs the operator token: set TENANTRY_OPERATOR_TOKEN, or operator_token / operator_token_file in profile ${this.session.profileName} (the server saves a generated one in $TENANTRY_DATA_DIR/operator-token)`,
    );
  }
}

function readSecret(file: string, env: NodeJS.ProcessEnv): string {
  try {
    return fs.readFileSync(expandHome(file, env), 'utf8').trim();
  } catch (error) {
    throw authError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
