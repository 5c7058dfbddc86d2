import { HistogramError } from '../errors';
import type { HistogramSet } from '../../data';

/**
 * Kernels of 1D sets (ny = 1: cluster charge, ADC, ...), in the x axis' units: each LS is a
 * distribution over bin centres, as ROOT's TH1 GetMean / GetRMS / GetQuantiles treat it
 * (under/overflow excluded, as the set holds only the inner bins). One pass per LS, float64.
 */

function require1D(h: HistogramSet, what: string): void {
  if (h.ny !== 1) throw new HistogramError(`${what} needs a 1D set; '${h.title}' has ${h.ny}×${h.nx} bins`, { code: 'SHAPE_MISMATCH' });
}

export interface HistogramMoments {
  /** Σ c·x / Σ c over bin centres x (NaN for an empty LS). */
  mean: Float64Array;
  /** Population standard deviation of the distribution: ROOT's GetRMS / GetStdDev. */
  rms: Float64Array;
}

export function histogramMoments(h: HistogramSet): HistogramMoments {
  require1D(h, 'histogramMoments');
  const { nx, values: v } = h;
  const n = h.run.length;
  const width = (h.x.max - h.x.min) / nx;
  const mean = new Float64Array(n);
  const rms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * nx;
    let s = 0;
    let sx = 0;
    for (let k = 0; k < nx; k++) {
      const c = v[base + k]!;
      s += c;
      sx += c * k;
    }
    // Second pass about the mean: no cancellation for narrow peaks far from 0.
    const mk = sx / s;
    let ss = 0;
    for (let k = 0; k < nx; k++) {
      const d = k - mk;
      ss += v[base + k]! * d * d;
    }
    mean[i] = h.x.min + (mk + 0.5) * width;
    rms[i] = Math.sqrt(ss / s) * width;
  }
  return { mean, rms };
}

/**
 * Quantiles of each LS's distribution (`probs` in [0, 1]), linear inside the bin where the
 * cumulative sum crosses p, as ROOT's TH1::GetQuantiles. Result: `n × probs.length`, row-major.
 */
export function histogramQuantiles(h: HistogramSet, probs: readonly number[]): Float64Array {
  require1D(h, 'histogramQuantiles');
  for (const p of probs) if (!(p >= 0 && p <= 1)) throw new HistogramError(`Quantile probabilities must be in [0, 1], got ${p}`, { code: 'BAD_PARAMETER' });
  const { nx, values: v } = h;
  const n = h.run.length;
  const width = (h.x.max - h.x.min) / nx;
  const out = new Float64Array(n * probs.length);
  const cum = new Float64Array(nx + 1);
  for (let i = 0; i < n; i++) {
    const base = i * nx;
    for (let k = 0; k < nx; k++) cum[k + 1] = cum[k]! + v[base + k]!;
    const total = cum[nx]!;
    probs.forEach((p, j) => {
      if (!(total > 0)) {
        out[i * probs.length + j] = NaN;
        return;
      }
      const target = p * total;
      // first bin whose upper cumulative edge reaches the target and holds something (p = 0:
      // the first filled bin's low edge), binary search over cum[1..nx]
      const reach = Math.max(target, Number.MIN_VALUE);
      let lo = 1;
      let hi = nx;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! >= reach) hi = mid;
        else lo = mid + 1;
      }
      const below = cum[lo - 1]!;
      const inBin = cum[lo]! - below;
      const frac = inBin > 0 ? (target - below) / inBin : 0;
      out[i * probs.length + j] = h.x.min + (lo - 1 + frac) * width;
    });
  }
  return out;
}

/**
 * Shape distance of each LS to a reference histogram (the develop or all-LS mean): the χ² of
 * two unweighted histograms as ROOT's Chi2Test("UU") computes it,
 * χ² = Σ (R·c_k − C·r_k)² / (C·R·(c_k + r_k)) over bins with c_k + r_k > 0 (C, R the totals),
 * divided by its degrees of freedom (those bins − 1). Independent of the LS's statistics in
 * expectation, so LS of different luminosity compare. NaN for an empty LS.
 */
export function chi2ToReference(h: HistogramSet, reference: ArrayLike<number>): Float64Array {
  const size = h.ny * h.nx;
  if (reference.length !== size) {
    throw new HistogramError(`The reference has ${reference.length} bins, the histograms of '${h.title}' have ${h.ny}×${h.nx} = ${size}`, { code: 'SHAPE_MISMATCH' });
  }
  let R = 0;
  for (let k = 0; k < size; k++) R += reference[k]!;
  const n = h.run.length;
  const out = new Float64Array(n);
  const v = h.values;
  for (let i = 0; i < n; i++) {
    const base = i * size;
    let C = 0;
    for (let k = 0; k < size; k++) C += v[base + k]!;
    let chi2 = 0;
    let bins = 0;
    for (let k = 0; k < size; k++) {
      const c = v[base + k]!;
      const r = reference[k]!;
      if (c + r <= 0) continue;
      const d = R * c - C * r;
      chi2 += (d * d) / (c + r);
      bins++;
    }
    out[i] = C > 0 && R > 0 && bins > 1 ? chi2 / (C * R) / (bins - 1) : NaN;
  }
  return out;
}
