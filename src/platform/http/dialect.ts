/** Which API dialect a request speaks, from its path: it decides the error envelope and auth. */
export type Dialect = 'ocs' | 'oci' | 'oauth' | 'admin';

export function dialectOf(url: string): Dialect {
  const path = url.replace(/\/{2,}/g, '/').toLowerCase();
  if (path.startsWith('/api/')) return 'ocs';
  // OCI API versions: Organizations, Governance Rules, the Limits API shape (limits, quotas), Usage.
  if (/^\/(20230401|20220504|20190729|20181025|20200107)\//.test(path)) return 'oci';
  if (path.startsWith('/identity/')) return 'oauth';
  return 'admin';
}
