import jmespath from 'jmespath';
import { usageError } from './errors.js';

export type OutputFormat = 'json' | 'table';

export interface OutputOptions {
  output: OutputFormat;
  query?: string;
  rawOutput: boolean;
}

/**
 * What a command prints, shaped like the OCI CLI: `{"data": …}` plus the response headers that
 * matter (etag, opc-work-request-id, opc-next-page). --query is JMESPath over this whole object.
 */
export type Envelope = Record<string, unknown>;

/** Refuses a malformed --query before anything is sent (jmespath exports compile; its types omit it). */
export function checkQuery(query: string | undefined): void {
  if (!query) return;
  try {
    (jmespath as unknown as { compile(expression: string): unknown }).compile(query);
  } catch (error) {
    throw usageError(`--query ${JSON.stringify(query)} is not a valid JMESPath expression: ${(error as Error).message}`);
  }
}

export function applyQuery(value: unknown, query: string | undefined): unknown {
  if (!query) return value;
  try {
    return jmespath.search(value, query) as unknown;
  } catch (error) {
    throw usageError(`--query ${JSON.stringify(query)} is not a valid JMESPath expression: ${(error as Error).message}`);
  }
}

/** The text to print for an envelope (empty when there is nothing to say, as for a plain delete). */
export function render(envelope: Envelope, options: OutputOptions): string {
  if (!options.query && Object.keys(envelope).length === 0) return '';
  const value = applyQuery(envelope, options.query);
  if (options.rawOutput && typeof value === 'string') return `${value}\n`;
  if (options.output === 'table') return table(options.query ? value : (envelope.data ?? value));
  return `${JSON.stringify(value ?? null, null, 2)}\n`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A boxed table: one row per item of a list (columns: every key seen, in order), or one row for an object. */
export function table(value: unknown): string {
  const rows = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (rows.length === 0) return 'No items found.\n';
  const isRecord = (r: unknown): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r);
  const columns: string[] = [];
  if (rows.every(isRecord)) {
    for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  } else {
    columns.push('Column1');
  }
  const cells = rows.map((row) => (isRecord(row) && columns[0] !== 'Column1' ? columns.map((c) => cell(row[c])) : [cell(row)]));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [rule, line(columns), rule, ...cells.map(line), rule].join('\n') + '\n';
}
