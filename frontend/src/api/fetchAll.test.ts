import { fetchAll, MAX_PAGE } from './fetchAll';

/** A fake list endpoint over `data`, recording the pages asked for. */
function endpoint<T>(data: T[]) {
  const calls: [number, number][] = [];
  const page = (limit: number, offset: number) => {
    calls.push([limit, offset]);
    return Promise.resolve({ items: data.slice(offset, offset + limit), total: data.length });
  };
  return { page, calls };
}

const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('fetchAll', () => {
  it('asks for one largest page when everything fits in it', async () => {
    const { page, calls } = endpoint(numbers(3));
    expect(await fetchAll(page)).toEqual([0, 1, 2]);
    expect(calls).toEqual([[MAX_PAGE, 0]]);
  });

  it('pages through until it has the total, in order', async () => {
    const { page, calls } = endpoint(numbers(2 * MAX_PAGE + 1));
    expect(await fetchAll(page)).toEqual(numbers(2 * MAX_PAGE + 1));
    expect(calls).toEqual([
      [MAX_PAGE, 0],
      [MAX_PAGE, MAX_PAGE],
      [MAX_PAGE, 2 * MAX_PAGE],
    ]);
  });

  it('stops after an exact multiple of the page size without asking for an empty page', async () => {
    const { page, calls } = endpoint(numbers(4));
    expect(await fetchAll(page, 2)).toEqual([0, 1, 2, 3]);
    expect(calls).toEqual([
      [2, 0],
      [2, 2],
    ]);
  });

  it('returns an empty list for an empty endpoint', async () => {
    const { page, calls } = endpoint<number>([]);
    expect(await fetchAll(page)).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('stops on an empty page when the list shrank while paging (no endless loop)', async () => {
    let call = 0;
    const page = (limit: number, offset: number) => {
      call += 1;
      // The total still says 5, but only 3 items are left by the second call.
      const data = call === 1 ? numbers(5) : numbers(3);
      return Promise.resolve({ items: data.slice(offset, offset + limit), total: 5 });
    };
    expect(await fetchAll(page, 3)).toEqual([0, 1, 2]);
    expect(call).toBe(2);
  });

  it('passes a failed page on', async () => {
    const failure = new Error('boom');
    await expect(fetchAll(() => Promise.reject(failure))).rejects.toBe(failure);
  });
});
