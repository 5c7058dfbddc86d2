import type { HistogramSet } from '../../data';

/**
 * Projections of every map: `onX` (sum over rows: the z profile, `n × nx`) and `onY` (sum over
 * columns: the phi profile, `n × ny`), float64, one pass.
 */
export function projections(h: HistogramSet): { onX: Float64Array; onY: Float64Array } {
  const n = h.run.length;
  const { ny, nx, values: v } = h;
  const onX = new Float64Array(n * nx);
  const onY = new Float64Array(n * ny);
  for (let i = 0; i < n; i++) {
    let base = i * ny * nx;
    const xo = i * nx;
    for (let y = 0; y < ny; y++, base += nx) {
      let rowSum = 0;
      for (let x = 0; x < nx; x++) {
        const w = v[base + x]!;
        rowSum += w;
        onX[xo + x] = onX[xo + x]! + w;
      }
      onY[i * ny + y] = rowSum;
    }
  }
  return { onX, onY };
}

/** Sum of each map's values (the image only: the cropped border is not in `values`). */
export function mapSums(h: HistogramSet): Float64Array {
  const n = h.run.length;
  const size = h.ny * h.nx;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * size;
    for (let k = 0; k < size; k++) s += h.values[base + k]!;
    out[i] = s;
  }
  return out;
}
