import { HistogramError } from '../errors';
import type { HistogramSet } from '../../data';

export interface ImagesRmse {
  /** The true RMSE: sqrt(mean((image − reference)²)). */
  rmse: Float64Array;
  /**
   * The original project's formula, sqrt(mean(image − reference)²) = |mean(image − reference)|:
   * kept for comparison only (it is a difference of means, not an RMSE).
   */
  meanDiff: Float64Array;
}

/** Distance of each map to a reference image (the mean image), float64, one pass per map. */
export function imagesRmse(h: HistogramSet, reference: Float32Array | Float64Array): ImagesRmse {
  const size = h.ny * h.nx;
  if (reference.length !== size) {
    throw new HistogramError(`The reference image has ${reference.length} bins, the maps of '${h.title}' have ${h.ny}×${h.nx} = ${size}`, { code: 'SHAPE_MISMATCH' });
  }
  const n = h.run.length;
  const rmse = new Float64Array(n);
  const meanDiff = new Float64Array(n);
  const v = h.values;
  // Two maps per pass: each map's two sums are still their own left-to-right chains (the same
  // sums, bit for bit), but four independent add chains run at once instead of two (~1.5× faster).
  let i = 0;
  // Four maps per pass first (eight chains; each map's sums still its own, bit for bit).
  for (; i + 3 < n; i += 4) {
    const a = i * size;
    const b = a + size;
    const c = b + size;
    const e = c + size;
    let s0 = 0;
    let ss0 = 0;
    let s1 = 0;
    let ss1 = 0;
    let s2 = 0;
    let ss2 = 0;
    let s3 = 0;
    let ss3 = 0;
    for (let k = 0; k < size; k++) {
      const r = reference[k]!;
      const d0 = v[a + k]! - r;
      const d1 = v[b + k]! - r;
      const d2 = v[c + k]! - r;
      const d3 = v[e + k]! - r;
      s0 += d0;
      ss0 += d0 * d0;
      s1 += d1;
      ss1 += d1 * d1;
      s2 += d2;
      ss2 += d2 * d2;
      s3 += d3;
      ss3 += d3 * d3;
    }
    rmse[i] = Math.sqrt(ss0 / size);
    meanDiff[i] = Math.abs(s0 / size);
    rmse[i + 1] = Math.sqrt(ss1 / size);
    meanDiff[i + 1] = Math.abs(s1 / size);
    rmse[i + 2] = Math.sqrt(ss2 / size);
    meanDiff[i + 2] = Math.abs(s2 / size);
    rmse[i + 3] = Math.sqrt(ss3 / size);
    meanDiff[i + 3] = Math.abs(s3 / size);
  }
  for (; i + 1 < n; i += 2) {
    const a = i * size;
    const b = a + size;
    let s = 0;
    let ss = 0;
    let s2 = 0;
    let ss2 = 0;
    for (let k = 0; k < size; k++) {
      const r = reference[k]!;
      const d = v[a + k]! - r;
      const d2 = v[b + k]! - r;
      s += d;
      ss += d * d;
      s2 += d2;
      ss2 += d2 * d2;
    }
    rmse[i] = Math.sqrt(ss / size);
    meanDiff[i] = Math.abs(s / size);
    rmse[i + 1] = Math.sqrt(ss2 / size);
    meanDiff[i + 1] = Math.abs(s2 / size);
  }
  if (i < n) {
    const base = i * size;
    let s = 0;
    let ss = 0;
    for (let k = 0; k < size; k++) {
      const d = v[base + k]! - reference[k]!;
      s += d;
      ss += d * d;
    }
    rmse[i] = Math.sqrt(ss / size);
    meanDiff[i] = Math.abs(s / size);
  }
  return { rmse, meanDiff };
}
