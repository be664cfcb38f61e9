import { z } from 'zod';

/** OCS paging: skip (default 0) and count (default 100); clients send them even when empty. */
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

export const OcsPaging = z.object({
  skip: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(1_000_000).default(0)),
  count: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1000).default(100)),
  query: z.string().max(1000).optional(),
});
