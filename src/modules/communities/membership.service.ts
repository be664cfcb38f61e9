import type { ServiceDeps } from '../../platform/deps.js';
import * as repo from './communities.repo.js';

/** What data sharing needs to know of a community: its member role and who is in it. */
export interface CommunityMembership {
  id: string;
  name: string;
  memberRoleId: string;
  /** Member tenants by id, with their sharing status (Active or Paused) and name. */
  tenants: Map<string, { status: string; name: string }>;
}

export async function findCommunityMembership(deps: ServiceDeps, communityId: string): Promise<CommunityMembership | undefined> {
  const community = await repo.findCommunityById(deps.database.db, communityId);
  if (!community) return undefined;
  const tenants = await repo.listCommunityTenants(deps.database.db, communityId);
  return {
    id: community.id,
    name: community.name,
    memberRoleId: community.member_role_id,
    tenants: new Map(tenants.map((t) => [t.tenant_id, { status: t.status, name: t.tenant_name }])),
  };
}

/** The community whose member role this is, or undefined for any other role id. */
export async function findCommunityOfMemberRole(deps: ServiceDeps, roleId: string): Promise<CommunityMembership | undefined> {
  const [role] = await repo.findRolesByIds(deps.database.db, [roleId]);
  if (!role?.community_id) return undefined;
  const membership = await findCommunityMembership(deps, role.community_id);
  return membership?.memberRoleId === roleId ? membership : undefined;
}
