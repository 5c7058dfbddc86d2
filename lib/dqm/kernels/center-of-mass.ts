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
    // Eight rows per pass, then four, then one: each row sum is still its own left-to-right
    // chain and colSums[x] still gets rows y, y + 1, ... in order (the same sums, bit for bit),
    // but eight (four) independent add chains run at once instead of one waiting on the previous
    // add's latency, and colSums is loaded and stored once per eight (four) rows.
    let y = 0;
    for (; y + 7 < ny; y += 8, base += 8 * nx) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      const b1 = base + nx;
      const b2 = b1 + nx;
      const b3 = b2 + nx;
      const b4 = b3 + nx;
      const b5 = b4 + nx;
      const b6 = b5 + nx;
      const b7 = b6 + nx;
      for (let x = 0; x < nx; x++) {
        const w0 = v[base + x]!;
        const w1 = v[b1 + x]!;
        const w2 = v[b2 + x]!;
        const w3 = v[b3 + x]!;
        const w4 = v[b4 + x]!;
        const w5 = v[b5 + x]!;
        const w6 = v[b6 + x]!;
        const w7 = v[b7 + x]!;
        s0 += w0;
        s1 += w1;
        s2 += w2;
        s3 += w3;
        s4 += w4;
        s5 += w5;
        s6 += w6;
        s7 += w7;
        colSums[x] = colSums[x]! + w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7;
      }
      total += s0;
      rowMoment += y * s0;
      total += s1;
      rowMoment += (y + 1) * s1;
      total += s2;
      rowMoment += (y + 2) * s2;
      total += s3;
      rowMoment += (y + 3) * s3;
      total += s4;
      rowMoment += (y + 4) * s4;
      total += s5;
      rowMoment += (y + 5) * s5;
      total += s6;
      rowMoment += (y + 6) * s6;
      total += s7;
      rowMoment += (y + 7) * s7;
    }
    for (; y + 3 < ny; y += 4, base += 4 * nx) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const b1 = base + nx;
      const b2 = b1 + nx;
      const b3 = b2 + nx;
      for (let x = 0; x < nx; x++) {
        const w0 = v[base + x]!;
        const w1 = v[b1 + x]!;
        const w2 = v[b2 + x]!;
        const w3 = v[b3 + x]!;
        s0 += w0;
        s1 += w1;
        s2 += w2;
        s3 += w3;
        colSums[x] = colSums[x]! + w0 + w1 + w2 + w3;
      }
      total += s0;
      rowMoment += y * s0;
      total += s1;
      rowMoment += (y + 1) * s1;
      total += s2;
      rowMoment += (y + 2) * s2;
      total += s3;
      rowMoment += (y + 3) * s3;
    }
    for (; y < ny; y++, base += nx) {
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
