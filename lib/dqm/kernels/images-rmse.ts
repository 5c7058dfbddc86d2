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
  for (let i = 0; i < n; i++) {
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
