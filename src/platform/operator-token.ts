import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { newSecret } from './secrets.js';

/**
 * The operator token: TENANTRY_OPERATOR_TOKEN when given; otherwise the one saved under the data
 * dir, generated (mode 600) on first start. Returns the token and, when it is a file, its path.
 */
export function resolveOperatorToken(config: Config): { token: string; file?: string; generated: boolean } {
  if (config.operatorToken) return { token: config.operatorToken, generated: false };
  const file = path.join(config.dataDir, 'operator-token');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    const token = fs.readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = newSecret();
  // Written under a temporary name and renamed, so a crash never leaves a half-written token.
  fs.writeFileSync(`${file}.tmp`, `${token}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return { token, file, generated: true };
}
