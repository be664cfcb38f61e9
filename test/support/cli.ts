import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './server.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (undefined when it is not JSON). */
  json: any;
}

/** A home directory of its own for the CLI (its ~/.tenantry/config), removed by `remove()`. */
export function cliHome(): { home: string; remove(): void } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-cli-'));
  return { home, remove: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** Runs `tenantry <args>` as its own process (bin/tenantry.js, as `npx tenantry` does). */
export async function runTenantry(args: string[], options: { home: string; env?: Record<string, string>; input?: string }): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TENANTRY_') && k !== 'DATABASE_URL') env[k] = v;
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/tenantry.js'), ...args], {
    cwd: options.home,
    env: { ...env, HOME: options.home, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(options.input ?? '');
  const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? -1)));
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}
