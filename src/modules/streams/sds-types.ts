import { invalid } from '../../platform/errors.js';

/** SdsTypeCode: clients send names or integers; answers always carry the integer. */
export const SDS_TYPE_CODES: Record<string, number> = {
  Empty: 0,
  Object: 1,
  DBNull: 2,
  Boolean: 3,
  Char: 4,
  SByte: 5,
  Byte: 6,
  Int16: 7,
  UInt16: 8,
  Int32: 9,
  UInt32: 10,
  Int64: 11,
  UInt64: 12,
  Single: 13,
  Double: 14,
  Decimal: 15,
  DateTime: 16,
  String: 18,
  Guid: 19,
  DateTimeOffset: 20,
  TimeSpan: 21,
  Version: 22,
};
const CODE_NAMES = new Map(Object.entries(SDS_TYPE_CODES).map(([name, code]) => [code, name]));

const NUMERIC_KEYS = new Set(['SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64', 'Single', 'Double', 'Decimal']);
const TIME_KEYS = new Set(['DateTime', 'DateTimeOffset']);

export interface SdsTypeInput {
  Id?: string | null;
  Name?: string | null;
  Description?: string | null;
  SdsTypeCode: string | number;
  Properties?: SdsTypePropertyInput[] | null;
}

export interface SdsTypePropertyInput {
  Id: string;
  Name?: string | null;
  Description?: string | null;
  IsKey?: boolean | null;
  Order?: number | null;
  SdsType: SdsTypeInput;
}

/** The stored and answered form: codes as integers, every optional field present. */
export interface SdsType {
  Id: string;
  Name: string;
  Description: string;
  SdsTypeCode: number;
  Properties: SdsTypeProperty[];
}

export interface SdsTypeProperty {
  Id: string;
  Name: string;
  Description: string;
  IsKey: boolean;
  Order: number;
  SdsType: SdsType;
}

function typeCode(value: string | number, where: string): number {
  if (typeof value === 'number' && CODE_NAMES.has(value)) return value;
  if (typeof value === 'string' && value in SDS_TYPE_CODES) return SDS_TYPE_CODES[value];
  throw invalid('INVALID_TYPE', `${where}: SdsTypeCode ${JSON.stringify(value)} is not a supported type code`);
}

function normalize(input: SdsTypeInput, id: string, where: string, depth: number): SdsType {
  if (depth > 5) throw invalid('INVALID_TYPE', `${where}: types nest at most 5 levels`);
  const properties = (input.Properties ?? []).map((p, i) => ({
    Id: p.Id,
    Name: p.Name ?? p.Id,
    Description: p.Description ?? '',
    IsKey: p.IsKey === true,
    Order: p.Order ?? 0,
    SdsType: normalize(p.SdsType, p.SdsType.Id ?? '', `${where}.Properties[${i}]`, depth + 1),
  }));
  return { Id: id, Name: input.Name ?? id, Description: input.Description ?? '', SdsTypeCode: typeCode(input.SdsTypeCode, where), Properties: properties };
}

/** Validates a type for storage: an Object with unique property ids and exactly one key property. */
export function normalizeType(input: SdsTypeInput, id: string): SdsType {
  const type = normalize(input, id, 'type', 0);
  if (type.SdsTypeCode !== SDS_TYPE_CODES.Object) throw invalid('INVALID_TYPE', 'a stream type must have SdsTypeCode Object (1)');
  const ids = new Set<string>();
  for (const p of type.Properties) {
    if (ids.has(p.Id)) throw invalid('INVALID_TYPE', `property ${p.Id} appears twice`);
    ids.add(p.Id);
  }
  const keys = type.Properties.filter((p) => p.IsKey);
  if (keys.length !== 1) throw invalid('INVALID_TYPE', 'a type needs exactly one property with IsKey true (compound indexes are not supported)');
  const keyType = CODE_NAMES.get(keys[0].SdsType.SdsTypeCode)!;
  if (!NUMERIC_KEYS.has(keyType) && !TIME_KEYS.has(keyType) && keyType !== 'String') {
    throw invalid('INVALID_TYPE', `the key property ${keys[0].Id} must be a DateTime, a number or a String, not ${keyType}`);
  }
  return type;
}

export interface KeyCodec {
  property: string;
  /** The order-preserving text form of an index value, or undefined when the value is not one. */
  encode(value: unknown): string | undefined;
}

/** Float64 bits with the sign flipped (and all bits for negatives): byte order = numeric order. */
function encodeNumber(n: number): string {
  const buffer = Buffer.alloc(8);
  buffer.writeDoubleBE(n === 0 ? 0 : n);
  if (buffer[0] & 0x80) for (let i = 0; i < 8; i += 1) buffer[i] = ~buffer[i] & 0xff;
  else buffer[0] |= 0x80;
  return buffer.toString('hex');
}

export function keyCodec(type: SdsType): KeyCodec {
  const key = type.Properties.find((p) => p.IsKey)!;
  const name = CODE_NAMES.get(key.SdsType.SdsTypeCode)!;
  if (TIME_KEYS.has(name)) {
    return {
      property: key.Id,
      encode(value) {
        if (typeof value !== 'string') return undefined;
        const ms = Date.parse(value);
        return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
      },
    };
  }
  if (NUMERIC_KEYS.has(name)) {
    return {
      property: key.Id,
      encode(value) {
        const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
        return typeof n === 'number' && Number.isFinite(n) ? encodeNumber(n) : undefined;
      },
    };
  }
  return { property: key.Id, encode: (value) => (typeof value === 'string' ? value : undefined) };
}
