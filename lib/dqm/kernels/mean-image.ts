import { HistogramError } from '../errors';
import type { HistogramSet } from '../../data';

/** The per-bin mean over all lumisections of the set (float64), `ny × nx` row-major. */
export function meanImage(h: HistogramSet): Float64Array {
  const n = h.run.length;
  if (n === 0) throw new HistogramError(`Cannot compute the mean image of '${h.title}': the set has no lumisections`, { code: 'EMPTY_HISTOGRAM_SET' });
  const size = h.ny * h.nx;
  const acc = new Float64Array(size);
  const v = h.values;
  // Four maps per pass, then two: acc[k] + a + b + c + d in the same order as one map at a
  // time (the same sums, bit for bit), with a quarter of the loads and stores of the accumulator.
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = i * size;
    const b = a + size;
    const c = b + size;
    const d = c + size;
    for (let k = 0; k < size; k++) acc[k] = acc[k]! + v[a + k]! + v[b + k]! + v[c + k]! + v[d + k]!;
  }
  for (; i + 1 < n; i += 2) {
    const a = i * size;
    const b = a + size;
    for (let k = 0; k < size; k++) acc[k] = acc[k]! + v[a + k]! + v[b + k]!;
  }
  if (i < n) {
    const a = i * size;
    for (let k = 0; k < size; k++) acc[k] = acc[k]! + v[a + k]!;
  }
  for (let k = 0; k < size; k++) acc[k] = acc[k]! / n;
  return acc;
}

/** The mean image as a one-map HistogramSet (what the `mean_image` dataset holds). */
export function meanImageSet(h: HistogramSet): HistogramSet {
  const mean = meanImage(h);
  let entries = 0;
  for (let i = 0; i < h.entries.length; i++) entries += h.entries[i]!;
  return {
    kind: 'histogram-set',
    title: `${h.title}_mean`,
    run: Int32Array.of(h.run[0]!),
    lumi: Int32Array.of(0),
    entries: Float64Array.of(entries / h.entries.length),
    ny: h.ny,
    nx: h.nx,
    x: h.x,
    y: h.y,
    values: Float32Array.from(mean),
    ...(h.normalisation ? { normalisation: h.normalisation } : {}),
  };
}
