import type { HistogramSet } from '../../data';
import { rebinner, type Rebinner } from './common';

/*
 * Every LS of a set rebinned and normalised once per block size, shared by all strategies (and
 * their folds, fit and apply) that read that set: a pass over 5,000 200×300 maps costs ~0.45 s,
 * and mean_distance (3 passes), pca and nmf (2 each) made 7 of them per layer; now there are 2
 * (4×4 and 10×10). The cached rows are the streaming rebinner's own output, copied: bit-identical.
 * Sets are treated as immutable once a strategy has read them (nothing in the project writes
 * into a HistogramSet's values after building it).
 */

interface Cached {
  values: HistogramSet['values'];
  data: Float64Array;
  scale: Float64Array;
}

const cache = new WeakMap<HistogramSet, Map<string, Cached>>();

/** Below this size a cache always pays; above it, only when it is at most half the set's own values. */
const ALWAYS_CACHE_BYTES = 64 * 2 ** 20;

/**
 * A Rebinner for `h` that serves its rows from the shared cache (filled on first use with all of
 * the set's LS), or the plain streaming one where a cache would be large (e.g. [1, 1] on 2D maps:
 * Float64 rows twice the set's size). Rows of any other set are rebinned as they come.
 */
export function sharedRebinner(h: HistogramSet, rebin: readonly [number, number] = [1, 1]): Rebinner {
  const rb = rebinner(h, rebin);
  const n = h.run.length;
  const bytes = n * rb.d * 8;
  if (bytes > ALWAYS_CACHE_BYTES && bytes > h.values.byteLength / 2) return rb;
  const key = `${rebin[0]}x${rebin[1]}`;
  let entry: Cached | undefined;
  return {
    ny: rb.ny,
    nx: rb.nx,
    d: rb.d,
    fill(set, i, out) {
      if (set !== h) return rb.fill(set, i, out);
      entry ??= cachedRows(h, key, rb);
      out.set(entry.data.subarray(i * rb.d, (i + 1) * rb.d));
      return entry.scale[i]!;
    },
  };
}

function cachedRows(h: HistogramSet, key: string, rb: Rebinner): Cached {
  let byKey = cache.get(h);
  if (!byKey) cache.set(h, (byKey = new Map()));
  const hit = byKey.get(key);
  // a set whose values array was replaced is rebinned again
  if (hit && hit.values === h.values) return hit;
  const n = h.run.length;
  const data = new Float64Array(n * rb.d);
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) scale[i] = rb.fill(h, i, data.subarray(i * rb.d, (i + 1) * rb.d));
  const entry = { values: h.values, data, scale };
  byKey.set(key, entry);
  return entry;
}
