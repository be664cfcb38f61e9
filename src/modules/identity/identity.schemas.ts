import { z } from 'zod';
import { Email, Password } from '../tenants/tenants.schemas.js';
import { BUILT_IN_ROLE_NAMES } from './roles.js';

const RoleName = z.enum(BUILT_IN_ROLE_NAMES);
const GroupName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/, 'must hold only letters, digits, ".", "_", "@" and "-"');
const Guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a user id (GUID)');

export const CreateUserInput = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(200).optional(),
  password: Password.optional(),
  roles: z.array(RoleName).max(10).optional(),
  groups: z.array(GroupName).max(50).optional(),
});

export const UserOutput = z.object({
  id: z.string(),
  ocid: z.string(),
  email: z.string(),
  roles: z.array(z.object({ id: z.string(), name: z.string() })),
  groups: z.array(z.string()),
});

export const CreateTokenInput = z.strictObject({
  ttlSeconds: z.number().int().min(60).max(366 * 86_400).optional(),
});

export const TokenOutput = z.object({ token: z.string(), expiresAt: z.string() });

export const CreateApiKeyInput = z.strictObject({
  publicKey: z.string().min(100).max(10_000).includes('-----BEGIN', { message: 'must be a PEM public key' }),
});

export const ApiKeyOutput = z.object({ fingerprint: z.string(), keyId: z.string() });

export const CreateClientInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  roles: z.array(RoleName).min(1).max(10),
});

export const ClientOutput = z.object({ clientId: z.string(), clientSecret: z.string() });

export const CreateGroupInput = z.strictObject({
  name: GroupName,
  members: z.array(Guid).max(1000).default([]),
});

export const GroupOutput = z.object({ id: z.string(), name: z.string(), members: z.array(z.string()) });

export const CreatePolicyInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  statements: z.array(z.string().min(1).max(1000)).min(1).max(100),
});

export const PolicyOutput = z.object({ id: z.string(), name: z.string(), statements: z.array(z.string()) });
