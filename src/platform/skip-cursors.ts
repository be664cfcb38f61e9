import type { Database } from './db/index.js';
import { BoundedCache } from './bounded-cache.js';
import type { PageStart, RowKey } from './paging.js';


const TTL_MS = 60_000;

/**
 * OCS lists page by `skip`, which SQL answers by walking `skip` rows. Clients page forward, so
 * each served page leaves behind where it ended (the last row's sort key and id, at position
 * skip + rows) and where it began; the next request for either position resumes after that row by
 * keyset, and only a first jump to an unseen position walks the index. An entry is
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

  /**
   * The page at `skip`: by keyset when a served page ended there (or the same page was served
   * before), else by offset, fetching the row before the page too, so the next request for this
   * page seeks. `fetch` reads `limit` rows from `start` in the list's order.
   */
  async page<T>(
    list: string,
    skip: number,
    count: number,
    now: number,
    fetch: (start: PageStart, limit: number) => Promise<T[]>,
    keyOf: (row: T) => RowKey,
  ): Promise<T[]> {
    const known = skip === 0 ? undefined : this.#entries.get(this.#key(list, skip));
    let rows: T[];
    if (skip === 0) {
      rows = await fetch({ offset: 0 }, count);
    } else if (known && now - known.at < TTL_MS) {
      rows = await fetch({ after: known.row }, count);
    } else {
      const [before, ...page] = await fetch({ offset: skip - 1 }, count + 1);
      if (before !== undefined) this.#remember(list, skip, keyOf(before), now);
      rows = page;
    }
    const last = rows[rows.length - 1];
    if (last !== undefined) this.#remember(list, skip + rows.length, keyOf(last), now);
    return rows;
  }

  /** The row just before position `position` of `list`. */
  #remember(list: string, position: number, row: RowKey, now: number): void {
    this.#entries.set(this.#key(list, position), { row, at: now });
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
