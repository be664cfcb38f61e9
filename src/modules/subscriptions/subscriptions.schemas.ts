import { z } from 'zod';

const Text = z.string().trim().min(1).max(200);

export const RateCardInput = z.strictObject({
  items: z
    .array(
      z.strictObject({
        service: Text,
        unit: Text,
        unitPrice: z.number().finite().nonnegative(),
        currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
      }),
    )
    .max(1000),
});

export const RateCardOutput = z.object({
  subscriptionId: z.string(),
  items: z.array(z.object({ service: z.string(), unit: z.string(), unitPrice: z.number(), currency: z.string() })),
});

export const UsageInput = z.strictObject({
  records: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(200),
        tenancyId: z.string().min(1).max(200),
        service: Text,
        resource: z.string().min(1).max(500),
        quantity: z.number().finite().nonnegative(),
        unit: Text,
        time: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1)
    .max(10_000),
});

export const UsageOutput = z.object({ accepted: z.number() });
