import type { HistogramSet } from '../../data';

export interface CenterOfMass {
  /** Row (phi) coordinate, in bin-index units (0 = first row of the image). */
  phi: Float64Array;
  /** Column (z) coordinate, in bin-index units. */
  z: Float64Array;
}

/**
 * Centre of mass of each map, exactly as `scipy.ndimage.center_of_mass(image)`:
 * Σ index·value / Σ value per axis, indices from 0. An empty map gives NaN (scipy returns nan
 * too, with a warning). One pass per map, float64 accumulation of row sums.
 */
export function centerOfMass(h: HistogramSet): CenterOfMass {
  const n = h.run.length;
  const { ny, nx, values: v } = h;
  const phi = new Float64Array(n);
  const z = new Float64Array(n);
  const colSums = new Float64Array(nx);
  for (let i = 0; i < n; i++) {
    colSums.fill(0);
    let total = 0;
    let rowMoment = 0;
    let base = i * ny * nx;
    for (let y = 0; y < ny; y++, base += nx) {
      let rowSum = 0;
      for (let x = 0; x < nx; x++) {
        const w = v[base + x]!;
        rowSum += w;
        colSums[x] = colSums[x]! + w;
      }
      total += rowSum;
      rowMoment += y * rowSum;
    }
    let colMoment = 0;
    for (let x = 0; x < nx; x++) colMoment += x * colSums[x]!;
    phi[i] = rowMoment / total;
    z[i] = colMoment / total;
  }
  return { phi, z };
}
