import type { Database } from './db/index.js';
import { BoundedCache } from './bounded-cache.js';

export interface RowKey {
  key: string | number;
  id: string;
}

/** Where a skip/count page starts: an offset to walk, or just after a row (one index seek). */
export type SkipStart = { offset: number } | { after: RowKey };

const TTL_MS = 60_000;

/**
 * OCS lists page by `skip`, which SQL answers by walking `skip` rows. Clients page forward, so
 * each served page leaves behind where it ended (the last row's sort key and id, at position
 * skip + rows); the next request for that position resumes after that row by keyset. An entry is
 * forgotten when a row of its list is deleted in this process, and after a minute in any case
 * (a deletion in another process shifts positions; the minute bounds how long that goes unseen).
 * Appending rows never moves earlier positions: the lists using this order by creation time.
 */
export class SkipCursors {
  readonly #entries = new BoundedCache<string, { row: RowKey; at: number }>(10_000);
  readonly #generation = new Map<string, number>();

  #key(list: string, position: number): string {
    return `${list}\u0000${this.#generation.get(list) ?? 0}\u0000${position}`;
  }

  startOf(list: string, skip: number, now: number): SkipStart {
    if (skip === 0) return { offset: 0 };
    const entry = this.#entries.get(this.#key(list, skip));
    return entry && now - entry.at < TTL_MS ? { after: entry.row } : { offset: skip };
  }

  /** Records that the page starting at `skip` ended with `rows` rows, the last being `last`. */
  remember(list: string, skip: number, rows: number, last: RowKey | undefined, now: number): void {
    if (last && rows > 0) this.#entries.set(this.#key(list, skip + rows), { row: last, at: now });
  }

  /** A row of `list` was deleted: every position after it moved. */
  forget(list: string): void {
    this.#generation.set(list, (this.#generation.get(list) ?? 0) + 1);
  }
}

const perStore = new WeakMap<Database, SkipCursors>();

export function skipCursorsOf(database: Database): SkipCursors {
  let cursors = perStore.get(database);
  if (!cursors) perStore.set(database, (cursors = new SkipCursors()));
  return cursors;
}
