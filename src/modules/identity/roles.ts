/** The built-in tenant roles of OCS, created with every tenant. Role type ids are fixed. */
export const BUILT_IN_ROLES = [
  {
    name: 'TenantAdministrator',
    roleTypeId: '2dc742ab-39ea-4a1f-9b7e-1f3a7c8d0001',
    description: 'Tenant Administrator: manages the tenant, its users, clients and data.',
  },
  {
    name: 'TenantMember',
    roleTypeId: '2dc742ab-39ea-4a1f-9b7e-1f3a7c8d0002',
    description: 'Tenant Member: reads the tenant’s data.',
  },
  {
    name: 'CommunityAdministrator',
    roleTypeId: '2dc742ab-39ea-4a1f-9b7e-1f3a7c8d0003',
    description: 'Community Administrator: administers the tenant’s communities.',
  },
  {
    name: 'TenantDataSteward',
    roleTypeId: '2dc742ab-39ea-4a1f-9b7e-1f3a7c8d0004',
    description: 'Tenant Data Steward: shares the tenant’s data.',
  },
] as const;

export type BuiltInRoleName = (typeof BUILT_IN_ROLES)[number]['name'];
export const BUILT_IN_ROLE_NAMES = BUILT_IN_ROLES.map((r) => r.name) as [BuiltInRoleName, ...BuiltInRoleName[]];

/** OCS RoleScope, serialized as an integer. */
export const RoleScope = { None: 0, Tenant: 1, Community: 2, Cluster: 3 } as const;

/** The group whose members may do everything in their tenancy. */
export const ADMINISTRATORS_GROUP = 'Administrators';
