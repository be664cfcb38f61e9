import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A 256-bit random secret, URL-safe. It never starts with "-", so it can follow an option on a
 * command line (`--token <secret>`) without being taken for an option itself.
 */
export function newSecret(): string {
  for (;;) {
    const secret = randomBytes(32).toString('base64url');
    if (secret[0] !== '-') return secret;
  }
}

/** Secrets are stored as their SHA-256; this is the stored form. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of two secrets of any length. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
