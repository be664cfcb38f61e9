import type { Executor, Trx } from '../../platform/db/index.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { GUID_PATTERN } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import { findCommunityMembership, findCommunityOfMemberRole, type CommunityMembership } from '../communities/membership.service.js';
import { rolesOf } from '../identity/identity.service.js';
import { AccessRights, AccessType, rightsOf, type AccessControlList } from './access.js';
import * as repo from './sharing.repo.js';
import { updateStreamAcl, type StreamRow } from './streams.repo.js';

const NOT_VISIBLE = 'the stream is not shared with you in this community (or its tenant paused sharing)';

export function parseCommunityHeader(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const id = Array.isArray(value) ? value[0] : value;
  if (!GUID_PATTERN.test(id)) throw invalid('INVALID_COMMUNITY_ID', 'the community-id header must be a community id (GUID)');
  return id;
}

/**
 * The community a shared read goes through, checked for the reader: the community exists (404),
 * the reader's tenant is in it and the reader holds its member role (403).
 */
export async function enterCommunity(deps: ServiceDeps, principal: Principal, communityId: string): Promise<CommunityMembership> {
  const community = await findCommunityMembership(deps, communityId);
  if (!community) throw notFound('COMMUNITY_NOT_FOUND', `no community ${communityId}`);
  const roleIds = new Set((await rolesOf(deps, principal)).map((r) => r.id));
  if (!principal.tenantId || !community.tenants.has(principal.tenantId) || !roleIds.has(community.memberRoleId)) {
    throw forbidden('NOT_A_COMMUNITY_MEMBER', 'you are not a member of this community');
  }
  return community;
}

/** The visibility rule of §5: owner in the community and not paused (for others), stream shared, not denied. */
export function visibleIn(community: CommunityMembership, readerTenantId: string, stream: StreamRow): boolean {
  const owner = community.tenants.get(stream.tenant_id);
  if (!owner) return false;
  if (owner.status === 'Paused' && stream.tenant_id !== readerTenantId) return false;
  const acl = JSON.parse(stream.acl) as AccessControlList;
  return (rightsOf(acl, new Set([community.memberRoleId])) & AccessRights.Read) !== 0;
}

export function requireVisible(community: CommunityMembership, principal: Principal, stream: StreamRow | undefined): StreamRow {
  if (!stream || !visibleIn(community, principal.tenantId!, stream)) throw forbidden('NOT_SHARED', NOT_VISIBLE);
  return stream;
}

/** The communities a stream's ACL shares it into (an Allowed Read entry for their member role). */
function sharedRoleIds(acl: AccessControlList, foreign: ReadonlySet<string>): Set<string> {
  const roles = new Set<string>();
  for (const entry of acl.RoleTrusteeAccessControlEntries) {
    if (foreign.has(entry.Trustee.ObjectId) && entry.AccessType === AccessType.Allowed && entry.AccessRights & AccessRights.Read) roles.add(entry.Trustee.ObjectId);
  }
  return new Set([...roles].filter((id) => (rightsOf(acl, new Set([id])) & AccessRights.Read) !== 0));
}

const entryKey = (e: AccessControlList['RoleTrusteeAccessControlEntries'][number]) => `${e.Trustee.ObjectId}|${e.AccessType}|${e.AccessRights}`;

export interface AclChange {
  /** Rights the caller needs on the stream: ManageAccessControl for the tenant's own roles, Share for community roles. */
  needed: number;
  /** The communities the stream will be shared into after the change. */
  sharedInto: string[];
}

/**
 * Classifies an ACL change. Entries for the tenant's own roles need ManageAccessControl; entries
 * for a community member role are sharing and need Share, membership of that community for the
 * caller, and the stream's tenant in the community. Any other trustee is refused.
 */
export async function planAclChange(
  deps: ServiceDeps,
  principal: Principal,
  ownerTenantId: string,
  ownRoleIds: ReadonlySet<string>,
  before: AccessControlList,
  next: AccessControlList,
): Promise<AclChange> {
  const beforeKeys = new Set(before.RoleTrusteeAccessControlEntries.map(entryKey));
  const nextKeys = new Set(next.RoleTrusteeAccessControlEntries.map(entryKey));
  const changed = [...before.RoleTrusteeAccessControlEntries.filter((e) => !nextKeys.has(entryKey(e))), ...next.RoleTrusteeAccessControlEntries.filter((e) => !beforeKeys.has(entryKey(e)))];
  const allEntries = [...before.RoleTrusteeAccessControlEntries, ...next.RoleTrusteeAccessControlEntries];
  const foreignIds = new Set(allEntries.map((e) => e.Trustee.ObjectId).filter((id) => !ownRoleIds.has(id)));
  const communities = new Map<string, CommunityMembership>();
  for (const roleId of foreignIds) {
    const community = await findCommunityOfMemberRole(deps, roleId);
    if (community) communities.set(roleId, community);
    else if (next.RoleTrusteeAccessControlEntries.some((e) => e.Trustee.ObjectId === roleId)) {
      throw invalid('UNKNOWN_TRUSTEE', `role ${roleId} is neither a role of this tenant nor a community member role`);
    }
  }
  let needed = 0;
  const callerRoles = new Set((await rolesOf(deps, principal)).map((r) => r.id));
  for (const entry of changed) {
    const community = communities.get(entry.Trustee.ObjectId);
    if (!community) {
      needed |= AccessRights.ManageAccessControl;
      continue;
    }
    needed |= AccessRights.Share;
    if (!callerRoles.has(community.memberRoleId)) throw forbidden('NOT_A_COMMUNITY_MEMBER', 'sharing into a community needs its member role');
    if (!community.tenants.has(ownerTenantId)) throw invalid('TENANT_NOT_IN_COMMUNITY', 'the stream\'s tenant is not a member of that community');
  }
  const sharedInto = [...sharedRoleIds(next, new Set(communities.keys()))].map((roleId) => communities.get(roleId)!.id);
  return { needed, sharedInto };
}

/**
 * The stream counts of a community as one member tenant sees them: its own shares, and all shares
 * it can read (a paused tenant's streams are hidden from the others).
 */
export async function sharedStreamCounts(
  db: Executor,
  communityId: string,
  tenants: ReadonlyArray<{ id: string; status: string }>,
  viewerTenantId: string,
): Promise<{ own: number; total: number }> {
  const counts = await repo.countSharesByTenant(db, communityId);
  const total = tenants.filter((t) => t.status !== 'Paused' || t.id === viewerTenantId).reduce((sum, t) => sum + (counts.get(t.id) ?? 0), 0);
  return { own: counts.get(viewerTenantId) ?? 0, total };
}

export async function recordShares(trx: Trx, stream: { tenantId: string; namespaceId: string; streamId: string }, communityIds: readonly string[], now: number): Promise<void> {
  await repo.replaceSharesOfStream(trx, stream, [...new Set(communityIds)], now);
}

/**
 * Unshares everything a tenant shared into a community, ACL entries included, so a tenant that
 * leaves or is removed and joins again starts with nothing shared. Call it in the transaction
 * that removes the tenant.
 */
export async function unshareTenant(trx: Trx, communityId: string, memberRoleId: string, tenantId: string): Promise<number> {
  const streams = await repo.deleteSharesOfTenant(trx, communityId, tenantId);
  for (const stream of streams) {
    const acl = JSON.parse(stream.acl) as AccessControlList;
    const kept = { RoleTrusteeAccessControlEntries: acl.RoleTrusteeAccessControlEntries.filter((e) => e.Trustee.ObjectId !== memberRoleId) };
    await updateStreamAcl(trx, { tenantId: stream.tenant_id, namespaceId: stream.namespace_id }, stream.id, JSON.stringify(kept));
  }
  return streams.length;
}

export interface StreamSearchResult {
  Id: string;
  Name: string;
  TypeId: string;
  Description: string;
  Self: string;
  TenantId: string;
  TenantName: string;
  NamespaceId: string;
  CommunityId: string;
  PropertyOverrides: never[];
}

const ORDER_ATTRIBUTES = ['Id', 'Name', 'TypeId', 'Description', 'Self', 'TenantId', 'NamespaceId', 'TenantName', 'CommunityId'] as const;

function parseOrderBy(orderBy: string | undefined): { attribute: (typeof ORDER_ATTRIBUTES)[number]; descending: boolean } {
  if (!orderBy) return { attribute: 'Name', descending: false };
  const match = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  const attribute = ORDER_ATTRIBUTES.find((a) => a.toLowerCase() === match?.[1].toLowerCase());
  if (!match || !attribute) throw invalid('INVALID_ORDER_BY', `orderBy must be "<attribute> [asc|desc]" with one of ${ORDER_ATTRIBUTES.join(', ')}`);
  return { attribute, descending: match[2]?.toLowerCase() === 'desc' };
}

/** The streams a member can read in a community (S1), searched, ordered and paged. */
export async function searchCommunityStreams(
  deps: ServiceDeps,
  principal: Principal,
  communityId: string,
  options: { query?: string; skip: number; count: number; orderBy?: string },
): Promise<StreamSearchResult[]> {
  const order = parseOrderBy(options.orderBy);
  const community = await enterCommunity(deps, principal, communityId);
  const rows = await repo.listSharedStreams(deps.database.db, communityId, [...community.tenants.keys()]);
  const text = options.query && options.query !== '*' ? options.query.replace(/\*/g, '').toLowerCase() : '';
  const results = rows
    .filter((row) => visibleIn(community, principal.tenantId!, row))
    .filter((row) => !text || [row.id, row.name, row.description].some((v) => v.toLowerCase().includes(text)))
    .map((row) => ({
      Id: row.id,
      Name: row.name,
      TypeId: row.type_id,
      Description: row.description,
      Self: `${deps.config.publicUrl}/api/v1/Tenants/${row.tenant_id}/Namespaces/${encodeURIComponent(row.namespace_id)}/Streams/${encodeURIComponent(row.id)}`,
      TenantId: row.tenant_id,
      TenantName: community.tenants.get(row.tenant_id)!.name,
      NamespaceId: row.namespace_id,
      CommunityId: community.id,
      PropertyOverrides: [],
    }));
  const direction = order.descending ? -1 : 1;
  results.sort((a, b) => direction * (a[order.attribute] < b[order.attribute] ? -1 : a[order.attribute] > b[order.attribute] ? 1 : 0));
  return results.slice(options.skip, options.skip + options.count);
}

/** S4: how many streams each member tenant contributes that the caller can read. */
export async function communitySummary(deps: ServiceDeps, principal: Principal, communityId: string) {
  const community = await enterCommunity(deps, principal, communityId);
  const rows = await repo.listSharedStreams(deps.database.db, communityId, [...community.tenants.keys()]);
  const visible = rows.filter((row) => visibleIn(community, principal.tenantId!, row));
  return {
    TotalStreams: visible.length,
    CommunitySummaryInformationForTenants: [...community.tenants.keys()].map((tenantId) => ({
      TenantId: tenantId,
      StreamsContributed: visible.filter((row) => row.tenant_id === tenantId).length,
    })),
  };
}
