/**
 * The feature kernels work on two maps (or four rows) per pass for speed; their sums must stay
 * the one-at-a-time sums bit for bit (the features are compared with the original project's).
 * The references here are the plain loops, on sizes that leave a remainder.
 */
import { describe, expect, it } from 'vitest';
import { createHistogramSet, type HistogramSet } from '../../data';
import { Prng } from '../prng';
import { centerOfMass } from './center-of-mass';
import { imagesRmse } from './images-rmse';
import { meanImage } from './mean-image';

function randomSet(n: number, ny: number, nx: number, seed: number): HistogramSet {
  const h = createHistogramSet({ title: 't', ny, nx, x: { min: 0, max: 1, label: '' }, y: { min: 0, max: 1, label: '' } }, n);
  const rng = new Prng(seed);
  h.values.forEach((_, k) => (h.values[k] = rng.uniform() < 0.3 ? 0 : Math.fround(rng.uniform() * 1000 * rng.uniform())));
  return h;
}

function plainMean(h: HistogramSet): Float64Array {
  const size = h.ny * h.nx;
  const acc = new Float64Array(size);
  for (let i = 0; i < h.run.length; i++) for (let k = 0; k < size; k++) acc[k] = acc[k]! + h.values[i * size + k]!;
  return acc.map((s) => s / h.run.length);
}

function plainCenter(h: HistogramSet): number[] {
  const out: number[] = [];
  for (let i = 0; i < h.run.length; i++) {
    const col = new Float64Array(h.nx);
    let total = 0;
    let rowMoment = 0;
    for (let y = 0; y < h.ny; y++) {
      let row = 0;
      for (let x = 0; x < h.nx; x++) {
        const w = h.values[(i * h.ny + y) * h.nx + x]!;
        row += w;
        col[x] = col[x]! + w;
      }
      total += row;
      rowMoment += y * row;
    }
    let colMoment = 0;
    for (let x = 0; x < h.nx; x++) colMoment += x * col[x]!;
    out.push(rowMoment / total, colMoment / total);
  }
  return out;
}

function plainRmse(h: HistogramSet, ref: ArrayLike<number>): number[] {
  const size = h.ny * h.nx;
  const out: number[] = [];
  for (let i = 0; i < h.run.length; i++) {
    let s = 0;
    let ss = 0;
    for (let k = 0; k < size; k++) {
      const d = h.values[i * size + k]! - ref[k]!;
      s += d;
      ss += d * d;
    }
    out.push(Math.sqrt(ss / size), Math.abs(s / size));
  }
  return out;
}

describe('unrolled feature kernels', () => {
  for (const [n, ny, nx] of [[1, 1, 5], [2, 3, 4], [6, 4, 7], [7, 5, 3], [4, 8, 9], [9, 13, 11]] as const) {
    it(`give the one-at-a-time sums bit for bit (${n} maps of ${ny} × ${nx})`, () => {
      const h = randomSet(n, ny, nx, n * 100 + ny);
      const mean = meanImage(h);
      expect(Array.from(mean)).toEqual(Array.from(plainMean(h)));
      const c = centerOfMass(h);
      expect(Array.from(c.phi).flatMap((p, i) => [p, c.z[i]!])).toEqual(plainCenter(h));
      for (const ref of [mean, Float32Array.from(mean)]) {
        const r = imagesRmse(h, ref);
        expect(Array.from(r.rmse).flatMap((x, i) => [x, r.meanDiff[i]!])).toEqual(plainRmse(h, ref));
      }
    });
  }
});
