import { z } from 'zod';

const Id = z.string().min(1).max(260).regex(/^[^\x00-\x1f]+$/, 'must not hold control characters');
const Text = z.string().max(2000).nullish();
const TypeCode = z.union([z.string().max(40), z.number().int()]);

export interface SdsTypeBody {
  Id?: string | null;
  Name?: string | null;
  Description?: string | null;
  SdsTypeCode: string | number;
  Properties?: SdsTypePropertyBody[] | null;
}
interface SdsTypePropertyBody {
  Id: string;
  Name?: string | null;
  Description?: string | null;
  IsKey?: boolean | null;
  Order?: number | null;
  SdsType: SdsTypeBody;
}

export const SdsTypeInput: z.ZodType<SdsTypeBody> = z.lazy(() =>
  z.looseObject({
    Id: z.string().max(260).nullish(),
    Name: Text,
    Description: Text,
    SdsTypeCode: TypeCode,
    Properties: z
      .array(
        z.looseObject({
          Id,
          Name: Text,
          Description: Text,
          IsKey: z.boolean().nullish(),
          Order: z.number().int().nullish(),
          SdsType: SdsTypeInput,
        }),
      )
      .max(500)
      .nullish(),
  }),
);

export const StreamInput = z.looseObject({
  Id: z.string().max(260).nullish(),
  TypeId: Id,
  Name: Text,
  Description: Text,
});

export const StreamOutput = z.object({ Id: z.string(), Name: z.string(), Description: z.string(), TypeId: z.string() });

export const WindowQuery = z.object({
  startIndex: z.string().max(100).optional(),
  endIndex: z.string().max(100).optional(),
  index: z.string().max(100).optional(),
  filter: z.string().max(1000).optional(),
});
