/** Which API dialect a request speaks, from its path: it decides the error envelope and auth. */
export type Dialect = 'ocs' | 'oci' | 'oauth' | 'admin';

export function dialectOf(url: string): Dialect {
  const path = url.replace(/\/{2,}/g, '/').toLowerCase();
  if (path.startsWith('/api/')) return 'ocs';
  if (path.startsWith('/20230401/') || path.startsWith('/20220504/')) return 'oci';
  if (path.startsWith('/identity/')) return 'oauth';
  return 'admin';
}
