import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';

/** An OCI API signing key (reference §9): keyId = `<tenancy ocid>/<user ocid>/<fingerprint>`. */
export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function loadSigningKey(tenancy: string, user: string, fingerprint: string, pem: string, passphrase?: string): SigningKey {
  return { keyId: `${tenancy}/${user}/${fingerprint}`, privateKey: createPrivateKey({ key: pem, passphrase }) };
}

/** The OCI fingerprint: colon-separated MD5 of the DER SubjectPublicKeyInfo. */
export function fingerprintOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
}

/**
 * Signs a request as the OCI SDKs do: `x-date`, `(request-target)` and `host`, and for
 * POST/PUT/PATCH also `content-type`, `content-length` and `x-content-sha256` — even for an empty
 * body. Returns the headers to send; `target` must be the path and query exactly as sent.
 */
export function signRequest(
  key: SigningKey,
  request: { method: string; target: string; host: string; body: string; contentType?: string },
  now: Date = new Date(),
): Record<string, string> {
  const method = request.method.toUpperCase();
  const headers: Record<string, string> = { 'x-date': now.toUTCString(), host: request.host };
  const names = ['x-date', '(request-target)', 'host'];
  if (BODY_METHODS.has(method)) {
    const body = Buffer.from(request.body, 'utf8');
    headers['content-type'] = request.contentType ?? 'application/json';
    headers['content-length'] = String(body.length);
    headers['x-content-sha256'] = createHash('sha256').update(body).digest('base64');
    names.push('content-type', 'content-length', 'x-content-sha256');
  }
  const signingString = names
    .map((name) => (name === '(request-target)' ? `(request-target): ${method.toLowerCase()} ${request.target}` : `${name}: ${headers[name]}`))
    .join('\n');
  const signature = sign('sha256', Buffer.from(signingString), key.privateKey).toString('base64');
  headers.authorization = `Signature version="1",keyId="${key.keyId}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`;
  delete headers.host; // fetch sends the URL's host itself; it was signed with the same value.
  return headers;
}
