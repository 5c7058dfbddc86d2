import { describe, expect, it } from 'vitest';
import { table } from '../data';
import { bytesOf, sameSmallValue, ValueCache } from './value-cache';

describe('ValueCache', () => {
  it('concurrent misses share one load', async () => {
    const cache = new ValueCache();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return { big: true };
    };
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.get('ds', '1:10', load)));
    expect(loads).toBe(1);
    expect(new Set(values).size).toBe(1);
    await cache.get('ds', '2:10', load); // file changed: loaded again
    expect(loads).toBe(2);
  });
  it('keepIfSame: a new version equal to the previous one keeps the previous object; a different one replaces it', async () => {
    const cache = new ValueCache({ keepIfSame: sameSmallValue });
    const first = (await cache.get('ls', 'v1', async () => Float32Array.from([1, 2, 3]))) as Float32Array;
    expect(await cache.get('ls', 'v2', async () => Float32Array.from([1, 2, 3]))).toBe(first);
    const changed = await cache.get('ls', 'v3', async () => Float32Array.from([1, 2, 4]));
    expect(changed).not.toBe(first);
    expect(Array.from(changed as Float32Array)).toEqual([1, 2, 4]);
    // Without the option every version is a new object.
    const plain = new ValueCache();
    const a = await plain.get('x', '1', async () => ({ n: 1 }));
    expect(await plain.get('x', '2', async () => ({ n: 1 }))).not.toBe(a);
  });

  it('sameSmallValue never compares whole sets or tables (as costly as reloading them)', () => {
    const t = () => table({ run: Int32Array.from([1]) });
    expect(sameSmallValue(t(), t())).toBe(false);
    expect(sameSmallValue({ run: Int32Array.from([1]), title: 'a' }, { run: Int32Array.from([1]), title: 'a' })).toBe(true);
    expect(sameSmallValue({ run: Int32Array.from([1]) }, { run: Int32Array.from([2]) })).toBe(false);
  });

  it('keeps at most max entries and forgets failed loads', async () => {
    const cache = new ValueCache(2);
    let loads = 0;
    const load = async () => ++loads;
    for (const n of ['a', 'b', 'c']) await cache.get(n, 's', load);
    await cache.get('a', 's', load); // evicted: loaded again
    expect(loads).toBe(4);
    let fail = true;
    const flaky = async () => {
      if (fail) throw new Error('disk hiccup');
      return 'ok';
    };
    await expect(cache.get('f', 's', flaky)).rejects.toThrow('disk hiccup');
    fail = false;
    await expect(cache.get('f', 's', flaky)).resolves.toBe('ok');
  });

  it('counts the bytes of a table\'s byte-string and text cells (a raw pickle partition is not 1 KB)', () => {
    const maps = [new Uint8Array(190_000), new Uint8Array(190_000)];
    const t = table({ run: Int32Array.from([1, 2]), map: maps, title: ['ab', 'cd'] });
    expect(bytesOf(t)).toBe(8 + 2 * 190_000 + 2 * (16 + 4));
  });
});
