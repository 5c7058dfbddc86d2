import { HistogramError } from '../errors';
import { forEachBlock, type AnyHistogramSet, type HistogramSet, type HistogramSetHeader } from '../../data';

/** The per-bin mean over all lumisections of the set (float64), `ny × nx` row-major. */
export function meanImage(h: AnyHistogramSet): Float64Array {
  const n = h.run.length;
  if (n === 0) throw new HistogramError(`Cannot compute the mean image of '${h.title}': the set has no lumisections`, { code: 'EMPTY_HISTOGRAM_SET' });
  const size = h.ny * h.nx;
  const acc = new Float64Array(size);
  // Block after block into one accumulator: each bin's sum is taken in LS order either way.
  forEachBlock(h, (block) => addMaps(acc, block));
  for (let k = 0; k < size; k++) acc[k] = acc[k]! / n;
  return acc;
}

/** acc[k] += every map's bin k, in LS order. */
function addMaps(acc: Float64Array, h: HistogramSet): void {
  const n = h.run.length;
  const size = h.ny * h.nx;
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
}

/** The mean image as a one-map HistogramSet (what the `mean_image` dataset holds). */
export function meanImageSet(h: AnyHistogramSet): HistogramSet {
  return meanImageSetOf(h, meanImage(h));
}

function meanImageSetOf(h: HistogramSetHeader, mean: Float64Array): HistogramSet {
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
