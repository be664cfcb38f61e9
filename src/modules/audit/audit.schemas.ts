import { z } from 'zod';

export const AuditQuery = z.strictObject({
  tenantId: z.string().max(200).optional(),
  resourceId: z.string().max(500).optional(),
  page: z.string().max(200).optional(),
});

export const AuditOutput = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      time: z.string(),
      tenantId: z.string().nullable(),
      actor: z.object({ type: z.string(), id: z.string().nullable(), tenantId: z.string().nullable() }),
      action: z.string(),
      resourceType: z.string(),
      resourceId: z.string(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
  nextPage: z.string().nullable(),
});
