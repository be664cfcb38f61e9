import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { capabilitiesOf } from './dialect/index.js';
import type { Db } from './index.js';
import * as core from '../../migrations/2026-11-22T00-core.js';
import * as communities from '../../migrations/2026-11-22T01-communities.js';
import * as organizations from '../../migrations/2026-11-22T02-organizations.js';
import * as streams from '../../migrations/2026-11-22T03-streams.js';
import * as streamShares from '../../migrations/2026-11-22T04-stream-shares.js';
import * as consoleSessions from '../../migrations/2026-11-22T05-console-sessions.js';
import * as communityCollectionAcl from '../../migrations/2026-11-22T06-community-collection-acl.js';
import * as governance from '../../migrations/2026-11-22T07-governance.js';
import * as resourceUsage from '../../migrations/2026-11-22T08-resource-usage.js';
import * as listIndexes from '../../migrations/2026-11-22T09-list-indexes.js';

/** The one migration history, in order; names are frozen once shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-22T00-core': core,
  '2026-11-22T01-communities': communities,
  '2026-11-22T02-organizations': organizations,
  '2026-11-22T03-streams': streams,
  '2026-11-22T04-stream-shares': streamShares,
  '2026-11-22T05-console-sessions': consoleSessions,
  '2026-11-22T06-community-collection-acl': communityCollectionAcl,
  '2026-11-22T07-governance': governance,
  '2026-11-22T08-resource-usage': resourceUsage,
  '2026-11-22T09-list-indexes': listIndexes,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema up to date; safe to run from several processes at once (Kysely takes a lock).
 * Kysely looks for its own tables in every schema unless told which, so on PostgreSQL it is told
 * the schema this connection works in (`schema`, or the connection's current schema): two fresh
 * schemas migrating at once would otherwise see each other's tables.
 */
export async function migrateToLatest(db: Db, options: { schema?: string } = {}): Promise<void> {
  const schema =
    options.schema ??
    (capabilitiesOf(db).engine === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0].schema : undefined);
  const { error, results } = await new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${(error as Error).message}`, { cause: error });
  }
}
