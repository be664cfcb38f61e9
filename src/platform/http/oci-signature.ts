import { createHash, verify as verifySignature, type KeyObject } from 'node:crypto';

/** What a verifier needs to know of a request; headers are the lower-cased Node headers. */
export interface SignedRequest {
  method: string;
  /** The request target exactly as sent (path + query), never re-encoded. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type SignatureCheck = { ok: true; keyId: string } | { ok: false; reason: string };

const MAX_SKEW_MS = 5 * 60_000;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The request target as the TypeScript SDK signs it: it takes the path from Node's legacy
 * `url.parse` of the URL it built (non-ASCII left as is, and `{ } | ^ \``  escaped), while the wire
 * carries the WHATWG form (non-ASCII percent-encoded, those five raw). Both name the same request.
 */
export function legacyTarget(target: string): string {
  const decoded = target.replace(/(?:%[89a-f][0-9a-f])+/gi, (bytes) => {
    try {
      return decodeURIComponent(bytes);
    } catch {
      return bytes;
    }
  });
  return decoded.replace(/[{}|^`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function parseSignatureHeader(authorization: string | undefined): Record<string, string> | undefined {
  if (!authorization || !/^Signature\s/i.test(authorization)) return undefined;
  const params: Record<string, string> = {};
  for (const match of authorization.slice(authorization.indexOf(' ') + 1).matchAll(/(\w+)="([^"]*)"/g)) params[match[1]] = match[2];
  return params;
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Verifies a draft-cavage HTTP signature as OCI clients send it (reference §9): rsa-sha256 over
 * the listed headers (names lower-cased), `date` or `x-date` signed and within 5 minutes, and for
 * POST/PUT/PATCH the body bound by x-content-sha256 and content-length.
 */
export function verifyOciSignature(
  request: SignedRequest,
  publicKeyFor: (keyId: string) => KeyObject | string | undefined,
  now: number,
): SignatureCheck {
  const params = parseSignatureHeader(header(request.headers, 'authorization'));
  if (!params) return { ok: false, reason: 'no Signature authorization header' };
  if ((params.version ?? '1') !== '1' || (params.algorithm ?? 'rsa-sha256').toLowerCase() !== 'rsa-sha256') {
    return { ok: false, reason: 'unsupported signature version or algorithm' };
  }
  if (!params.keyId || !params.signature) return { ok: false, reason: 'keyId or signature missing' };
  const names = (params.headers ?? 'date').split(/\s+/).filter(Boolean).map((n) => n.toLowerCase());
  const method = request.method.toUpperCase();
  const dateHeader = names.includes('x-date') ? 'x-date' : names.includes('date') ? 'date' : undefined;
  if (!dateHeader) return { ok: false, reason: 'neither date nor x-date is signed' };
  const required = ['(request-target)', 'host', ...(BODY_METHODS.has(method) ? ['content-length', 'content-type', 'x-content-sha256'] : [])];
  const unsigned = required.filter((n) => !names.includes(n));
  if (unsigned.length) return { ok: false, reason: `headers not signed: ${unsigned.join(', ')}` };

  // The cheap checks first: a stale date or a tampered body is refused before any RSA work.
  const signedAt = Date.parse(header(request.headers, dateHeader) ?? '');
  if (!Number.isFinite(signedAt) || Math.abs(now - signedAt) > MAX_SKEW_MS) {
    return { ok: false, reason: 'date is missing or more than 5 minutes from the server clock' };
  }
  if (names.includes('x-content-sha256')) {
    const digest = createHash('sha256').update(request.body).digest('base64');
    if (digest !== header(request.headers, 'x-content-sha256')) return { ok: false, reason: 'body does not match x-content-sha256' };
  }
  if (names.includes('content-length') && String(request.body.length) !== header(request.headers, 'content-length')) {
    return { ok: false, reason: 'body does not match content-length' };
  }
  const publicKey = publicKeyFor(params.keyId);
  if (!publicKey) return { ok: false, reason: 'unknown keyId' };
  const signingString = (target: string): string | undefined => {
    const lines: string[] = [];
    for (const name of names) {
      if (name === '(request-target)') {
        lines.push(`(request-target): ${method.toLowerCase()} ${target}`);
        continue;
      }
      const value = header(request.headers, name);
      if (value === undefined) return undefined;
      lines.push(`${name}: ${value}`);
    }
    return lines.join('\n');
  };
  const verifies = (text: string) => {
    try {
      return verifySignature('sha256', Buffer.from(text), publicKey, Buffer.from(params.signature, 'base64'));
    } catch {
      return false;
    }
  };
  const wire = signingString(request.target);
  if (wire === undefined) return { ok: false, reason: 'a signed header is missing' };
  const legacy = legacyTarget(request.target);
  if (!verifies(wire) && (legacy === request.target || !verifies(signingString(legacy)!))) {
    return { ok: false, reason: 'signature does not verify' };
  }

  return { ok: true, keyId: params.keyId };
}
