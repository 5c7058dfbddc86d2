/**
 * The blocked kernels against plain loops: bit-for-bit equal (same terms, same order), on sizes
 * that leave remainders of every block (odd rows, odd columns, fewer than a block).
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../prng';
import { allRows, rebinner } from './common';
import { addCombination, mulABt, mulXM, mulXtY, rowTimesMt, transpose } from './linalg';
import { sharedRebinner } from './rebinned-maps';
import { smallSet } from './strategies.fixtures';

function random(length: number, seed: number): Float64Array {
  const prng = new Prng(seed);
  // some exact zeros and negative values, as centred maps have
  return Float64Array.from({ length }, (_, i) => (i % 7 === 3 ? 0 : prng.normal()));
}

/** c[i][q] = Σ_j a[i][j]·b[q][j], summed from 0 in j order. */
function naiveABt(a: Float64Array, n: number, m: number, b: Float64Array, l: number): Float64Array {
  const c = new Float64Array(n * l);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < l; q++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += a[i * m + j]! * b[q * m + j]!;
      c[i * l + q] = s;
    }
  }
  return c;
}

const SIZES: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 5, 1],
  [4, 7, 2],
  [5, 9, 3],
  [7, 13, 18],
  [9, 1, 5],
  [17, 31, 11],
];

describe('blocked matrix kernels', () => {
  it.each(SIZES)('A·Bᵀ equals the plain loops bit for bit (n=%i, m=%i, l=%i)', (n, m, l) => {
    const a = random(n * m, n + m);
    const b = random(l * m, l + 100);
    expect(mulABt(a, n, m, b, l)).toEqual(naiveABt(a, n, m, b, l));
  });

  it.each(SIZES)('X·M and Xᵀ·Y equal the plain loops bit for bit (n=%i, d=%i, l=%i)', (n, d, l) => {
    const x = random(n * d, n * d);
    const m = random(d * l, 7);
    const y = random(n * l, 8);
    expect(mulXM(x, n, d, m, l)).toEqual(naiveABt(x, n, d, transpose(m, d, l), l));
    expect(mulXtY(x, n, d, y, l)).toEqual(naiveABt(transpose(x, n, d), d, n, transpose(y, n, l), l));
    expect(mulXtY(x, n, d, y, l, transpose(x, n, d))).toEqual(mulXtY(x, n, d, y, l));
  });

  it('transposes', () => {
    expect(Array.from(transpose(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it.each([1, 3, 4, 5, 8, 9, 11])('x·Mᵀ of one row equals the plain loops bit for bit (k=%i)', (k) => {
    const d = 13;
    const x = random(3 * d, k);
    const m = random(k * d, k + 1);
    const out = new Float64Array(k);
    rowTimesMt(out, x, d, m, k, d);
    expect(out).toEqual(naiveABt(x.subarray(d, 2 * d), 1, d, m, k));
  });

  it.each([1, 3, 4, 5, 8, 9, 12, 19])('out + Σ a_c·M_c equals one pass per row bit for bit (k=%i)', (k) => {
    const d = 11;
    const a = random(k, k + 2);
    const m = random(k * d, k + 3);
    const start = random(d, 99);
    const plain = Float64Array.from(start);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) plain[j] = plain[j]! + a[c]! * m[c * d + j]!;
    const out = Float64Array.from(start);
    addCombination(out, a, m, k, d);
    expect(out).toEqual(plain);
  });
});

/**
 * The rebinner's documented order, one source row at a time: each row's block sums (left to
 * right within a block) are added into the output block, and the row's total into the map's.
 */
function rowAtATimeRebin(values: Float32Array, o: number, ny: number, nx: number, ry: number, rx: number): { out: Float64Array; sum: number } {
  const oy = Math.ceil(ny / ry);
  const ox = Math.ceil(nx / rx);
  const out = new Float64Array(oy * ox);
  let sum = 0;
  for (let y = 0; y < ny; y++) {
    let row = 0;
    for (let b = 0; b < ox; b++) {
      let s = 0;
      for (let x = b * rx; x < Math.min(nx, (b + 1) * rx); x++) s += values[o + y * nx + x]!;
      out[Math.floor(y / ry) * ox + b] = out[Math.floor(y / ry) * ox + b]! + s;
      row += s;
    }
    sum += row;
  }
  return { out, sum };
}

describe('rebinner', () => {
  it.each([
    [1, 1],
    [4, 4],
    [3, 7],
    [10, 10],
    [2, 3],
    [5, 4],
    [4, 5],
    [7, 1],
  ])('sums [%i, %i] blocks in row order bit for bit, on non-integer values and partial blocks', (ry, rx) => {
    // 23×31 maps: partial blocks at the bottom and right for every block size above
    const h = smallSet({ n: 3, ny: 23, nx: 31, seed: 5 });
    const prng = new Prng(11);
    for (let j = 0; j < h.values.length; j++) h.values[j] = h.values[j]! * (0.3 + prng.uniform());
    const rb = rebinner(h, [ry, rx]);
    const out = new Float64Array(rb.d);
    for (let i = 0; i < 3; i++) {
      const scale = rb.fill(h, i, out);
      const ref = rowAtATimeRebin(h.values, i * 23 * 31, 23, 31, ry, rx);
      expect(scale).toBe(ref.sum / rb.d);
      expect(out).toEqual(ref.out.map((v) => v * (rb.d / ref.sum)));
    }
  });
});

describe('shared rebinned maps', () => {
  it("serves the streaming rebinner's rows, for any block size, and rebins other sets itself", () => {
    const h = smallSet({ n: 12, seed: 3 });
    const other = smallSet({ n: 5, seed: 4 });
    for (const rebin of [[1, 1], [4, 4], [3, 7]] as Array<[number, number]>) {
      const plain = rebinner(h, rebin);
      const shared = sharedRebinner(h, rebin);
      expect([shared.ny, shared.nx, shared.d]).toEqual([plain.ny, plain.nx, plain.d]);
      const a = new Float64Array(plain.d);
      const b = new Float64Array(plain.d);
      for (const i of [5, 0, 11, 5]) {
        expect(shared.fill(h, i, b)).toBe(plain.fill(h, i, a));
        expect(b).toEqual(a);
      }
      for (const i of allRows(5)) {
        expect(shared.fill(other, i, b)).toBe(plain.fill(other, i, a));
        expect(b).toEqual(a);
      }
    }
  });
});
