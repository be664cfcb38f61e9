import { z } from 'zod';

/** Subscription types decide what a tenancy may do in organizations (ARCHITECTURE.md §4). */
export const SUBSCRIPTION_TYPES = ['ANNUAL_COMMIT', 'PAYG', 'FREE_TIER', 'TRIAL'] as const;
export type SubscriptionType = (typeof SUBSCRIPTION_TYPES)[number];

export const Email = z.email().max(254);
export const Password = z.string().min(8, 'must be at least 8 characters').max(256);

export const CreateTenantInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  adminEmail: Email,
  adminPassword: Password.optional(),
  homeRegion: z.string().min(1).max(64).optional(),
  subscriptionType: z.enum(SUBSCRIPTION_TYPES).optional(),
});

export const TenantOutput = z.object({
  id: z.string(),
  ocid: z.string(),
  name: z.string(),
  realm: z.string(),
  homeRegion: z.string(),
  subscriptionType: z.enum(SUBSCRIPTION_TYPES),
  subscriptionId: z.string(),
  createdAt: z.string(),
});

export const CreatedTenantOutput = TenantOutput.extend({
  admin: z.object({ id: z.string(), ocid: z.string(), email: z.string() }),
});

export const CreateNamespaceInput = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must start with a letter or digit and hold only letters, digits, ".", "_" and "-"'),
});

export const CreateSubscriptionInput = z.strictObject({ displayName: z.string().trim().min(1).max(200).optional() });
