import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzippedBytes, SerialisedBodies } from './cached-json';
import { stringifyInSlices } from './sliced-json';

// A heatmap-sized answer: 200 rows of 300 numbers, with the fields a details answer has.
function bigDetails(): Record<string, unknown> {
  const z = Array.from({ length: 200 }, (_, y) => Array.from({ length: 300 }, (_, x) => Math.round(Math.sin(x * y) * 1e6) / 1000));
  return { kind: 'data', id: 'layer "1"\n', type: null, stats: { file_size: 12, shape: [200, 300] }, skipped: undefined, preview: { kind: 'heatmap', z, x: { min: -0, max: 1e21, n: 300 }, lsRuns: [1, 2, 3], nested: [[], [{}], [[1, NaN, Infinity]]] }, run_command: 'dqm run' };
}

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out waiting for the background gzip');
}

describe('stringifyInSlices', () => {
  it('gives JSON.stringify\'s text, byte for byte, for answers big and small', async () => {
    const date = new Date(0);
    class Point {
      constructor(readonly x: number) {}
    }
    const values: unknown[] = [
      bigDetails(),
      {},
      [],
      { a: [{ b: undefined, c: () => 1, d: Symbol('s') }, undefined, null], e: 'é\u2028"\\' },
      [[undefined, () => 1], [date], { at: date, p: new Point(2) }],
      // eslint-disable-next-line no-sparse-arrays
      [{ x: 1 }, , { y: 2 }],
      { typed: new Float32Array([1.5, 2]), nested: Object.assign(Object.create(null) as object, { k: [1] }) },
      { toJSON: () => ({ replaced: true }) },
      [1, 'two', { three: 3 }],
    ];
    for (const v of values) expect(await stringifyInSlices(v)).toBe(JSON.stringify(v));
  });

  it('gives the event loop back while it works on a big answer', async () => {
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const values = Array.from({ length: 20 }, bigDetails);
    for (const v of values) await stringifyInSlices(v);
    clearInterval(ticking);
    expect(turns).toBeGreaterThan(0);
  });

  it('refuses a cycle with JSON.stringify\'s message', async () => {
    const a: Record<string, unknown> = { list: [] };
    (a.list as unknown[]).push({ back: a });
    await expect(stringifyInSlices(a)).rejects.toThrow('Converting circular structure to JSON');
  });
});

describe('bodies serialised and gzipped once', () => {
  it('SerialisedBodies: the same body for the same object, JSON.stringify\'s bytes, and a gzip that inflates to them', async () => {
    const bodies = new SerialisedBodies();
    const value = bigDetails();
    const first = await bodies.of(value);
    expect(first.body.toString()).toBe(JSON.stringify(value));
    expect(await bodies.of(value)).toBe(first);
    const zipped = await until(() => first.gzip);
    expect(gunzipSync(zipped).equals(first.body)).toBe(true);
    expect((await bodies.of({ ...value })).etag).toBe(first.etag); // same bytes, same validator
  });

  it('GzippedBytes: undefined until compressed, then a gzip of exactly the view\'s bytes, for a new view of the same bytes too', async () => {
    const values = new Float32Array(3 * 1000).map((_, i) => i % 7);
    const maps = new GzippedBytes();
    const view = values.subarray(1000, 2000);
    expect(maps.of(view)).toBeUndefined();
    const zipped = await until(() => maps.of(view));
    expect(new Float32Array(new Uint8Array(gunzipSync(zipped)).buffer)).toEqual(view);
    expect(maps.of(values.subarray(1000, 2000))).toBe(zipped);
    expect(maps.of(values.subarray(2000, 3000))).toBeUndefined(); // another LS: its own gzip
  });
});
