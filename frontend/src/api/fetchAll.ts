/** The API's largest page (`limit` ≤ 200 on every list endpoint). */
export const MAX_PAGE = 200;

/** The shape of every paged list the API returns. */
export interface PageOf<T> {
  items: T[];
  total: number;
}

/**
 * Every item of a paged list, for pickers and name lookups that must be complete: asks for
 * `pageSize` items at a time, from offset 0, until it has `total` of them (or a page comes back
 * empty, when the list shrank in between).
 *
 * ```ts
 * fetchAll((limit, offset) => unwrap(api.GET('/api/v1/teams', { params: { query: { limit, offset } } })))
 * ```
 */
export async function fetchAll<T>(
  page: (limit: number, offset: number) => Promise<PageOf<T>>,
  pageSize: number = MAX_PAGE,
): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const next = await page(pageSize, items.length);
    items.push(...next.items);
    if (next.items.length === 0 || items.length >= next.total) return items;
  }
}
