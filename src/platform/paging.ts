/** A row's place in a list's order: its sort key, then its id (every order ends on id). */
export interface RowKey {
  key: string | number;
  id: string;
}

/** Where a repo reads a page from: an offset to walk, or just after a row (one index seek). */
export type PageStart = { offset: number } | { after: RowKey };

/**
 * An opc-next-page cursor: an offset, or (keyset) the row to start after with the sort it was made
 * for, so a cursor of another order can be refused. A keyset page is one index seek however deep.
 */
export type PageCursor = { offset: number } | { after: RowKey & { sort: string } };
