import { generateKeyPairSync, randomUUID } from 'node:crypto';
import * as common from 'oci-common';
import type { Request } from './load.js';

export function rsaKeyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/**
 * Signs requests exactly as the OCI SDK does: its DefaultRequestSigner with a
 * SimpleAuthenticationDetailsProvider (x-date, (request-target), host, and for a body
 * content-type, content-length, x-content-sha256). The headers come back ready for autocannon.
 */
export function ociSigner(base: string, tenancyOcid: string, userOcid: string, fingerprint: string, privateKey: string) {
  const provider = new common.SimpleAuthenticationDetailsProvider(tenancyOcid, userOcid, fingerprint, privateKey, null);
  const signer = new common.DefaultRequestSigner(provider);
  return async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Request> => {
    const text = body === undefined ? (method === 'GET' ? undefined : '') : JSON.stringify(body);
    const request = { method, uri: `${base}${path}`, headers: new Headers({ 'content-type': 'application/json', accept: 'application/json', ...extra }), body: text };
    await signer.signHttpRequest(request);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      // autocannon writes Content-Length itself for a non-empty body; an empty signed one stays.
      if (name === 'content-length' && text) return;
      headers[name] = value;
    });
    return { method, path, headers, ...(text ? { body: text } : {}) };
  };
}

/** What the SDK sends with a create: its own opc-retry-token. */
export const retryToken = () => ({ 'opc-retry-token': randomUUID().replace(/-/g, '') });
