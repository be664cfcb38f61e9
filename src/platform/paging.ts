/**
 * Where a page starts: at an offset, or just after a row (keyset paging). `after` holds the sort
 * the cursor was made for, the last row's sort key, and its id (every order ends on id, so rows
 * with equal keys still have one place). A keyset page is one index seek however deep it is.
 */
export type PageCursor = { offset: number } | { after: { sort: string; key: string | number; id: string } };
