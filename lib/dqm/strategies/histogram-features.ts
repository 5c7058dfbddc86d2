import { table, type HistogramSet, type Table } from '../../data';

/** Quantiles of the x projection reported per LS. */
const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;

/**
 * Per-LS summary features of a HistogramSet of any dimension, for feature strategies
 * (feature_zscore) on MEs that have no aggregated_properties table: `entries`, the x projection's
 * `mean`, `rms` and quantiles `q10 … q90` (bin centres, linear inside a bin), and for 2D sets the
 * y projection's `y_mean`, `y_rms`. An empty LS has NaN shape features.
 */
export function histogramFeatures(h: HistogramSet): Table {
  const n = h.run.length;
  const { nx, ny } = h;
  const cols: Record<string, Float64Array> = { entries: Float64Array.from(h.entries) };
  for (const c of ['mean', 'rms', ...QUANTILES.map(qName)]) cols[c] = new Float64Array(n);
  if (ny > 1) for (const c of ['y_mean', 'y_rms']) cols[c] = new Float64Array(n);
  const wx = (h.x.max - h.x.min) / nx;
  const wy = (h.y.max - h.y.min) / ny;
  const px = new Float64Array(nx);
  const py = new Float64Array(ny);
  for (let i = 0; i < n; i++) {
    px.fill(0);
    py.fill(0);
    const o = i * nx * ny;
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const v = h.values[o + y * nx + x]!;
        px[x] = px[x]! + v;
        py[y] = py[y]! + v;
      }
    }
    const mx = moments(px, h.x.min, wx);
    cols.mean![i] = mx.mean;
    cols.rms![i] = mx.rms;
    for (const q of QUANTILES) cols[qName(q)]![i] = quantile(px, q, h.x.min, wx);
    if (ny > 1) {
      const my = moments(py, h.y.min, wy);
      cols.y_mean![i] = my.mean;
      cols.y_rms![i] = my.rms;
    }
  }
  return table({ run: Int32Array.from(h.run), lumi: Int32Array.from(h.lumi), ...cols });
}

function qName(q: number): string {
  return `q${Math.round(q * 100)}`;
}

function moments(p: Float64Array, min: number, w: number): { mean: number; rms: number } {
  let s = 0;
  let s1 = 0;
  let s2 = 0;
  for (let j = 0; j < p.length; j++) {
    const c = min + (j + 0.5) * w;
    s += p[j]!;
    s1 += p[j]! * c;
    s2 += p[j]! * c * c;
  }
  if (!(s > 0)) return { mean: Number.NaN, rms: Number.NaN };
  const mean = s1 / s;
  return { mean, rms: Math.sqrt(Math.max(s2 / s - mean * mean, 0)) };
}

function quantile(p: Float64Array, q: number, min: number, w: number): number {
  let total = 0;
  for (let j = 0; j < p.length; j++) total += p[j]!;
  if (!(total > 0)) return Number.NaN;
  const target = q * total;
  let acc = 0;
  for (let j = 0; j < p.length; j++) {
    const next = acc + p[j]!;
    if (next >= target && p[j]! > 0) return min + (j + (target - acc) / p[j]!) * w;
    acc = next;
  }
  return min + p.length * w;
}
