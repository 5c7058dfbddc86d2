/**
 * The few dense linear-algebra kernels PCA and NMF need, over row-major Float64Arrays.
 * Hand-written on purpose: we only ever need k ≤ ~40 components of an n×d matrix, so a
 * randomized range finder plus a Jacobi eigen-solve of an (k+p)×(k+p) matrix does it. ml-pca
 * would form the d×d covariance (d = 3,750 after 4×4 rebinning: 10^10 flops and 110 MB) and
 * ml-matrix stores number[][]; both are slower than these typed-array loops.
 */
import { Prng } from '../prng';

/*
 * The two products of the range finder, four terms per read-modify-write of the output: every
 * output element still adds its terms one by one in the original order (over j for X·M, over i
 * for Xᵀ·Y), so the results are bit-identical to the plain triple loops, with a quarter of the
 * output loads and stores (the loops' bottleneck; 5,000 LS × 4 layers spend most of PCA here).
 * Zero terms are added (x·m = ±0 leaves a finite sum unchanged) instead of branched over.
 */

/** Y (n×l) = X (n×d) · M (d×l). */
export function mulXM(x: Float64Array, n: number, d: number, m: Float64Array, l: number): Float64Array {
  const y = new Float64Array(n * l);
  const d4 = d & ~3;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const yo = i * l;
    let j = 0;
    for (; j < d4; j += 4) {
      const x0 = x[xo + j]!;
      const x1 = x[xo + j + 1]!;
      const x2 = x[xo + j + 2]!;
      const x3 = x[xo + j + 3]!;
      const m0 = j * l;
      const m1 = m0 + l;
      const m2 = m1 + l;
      const m3 = m2 + l;
      for (let c = 0; c < l; c++) y[yo + c] = y[yo + c]! + x0 * m[m0 + c]! + x1 * m[m1 + c]! + x2 * m[m2 + c]! + x3 * m[m3 + c]!;
    }
    for (; j < d; j++) {
      const v = x[xo + j]!;
      const mo = j * l;
      for (let c = 0; c < l; c++) y[yo + c] = y[yo + c]! + v * m[mo + c]!;
    }
  }
  return y;
}

/** Z (d×l) = Xᵀ (d×n) · Y (n×l). */
export function mulXtY(x: Float64Array, n: number, d: number, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(d * l);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const x0 = i * d;
    const x1 = x0 + d;
    const x2 = x1 + d;
    const x3 = x2 + d;
    const y0 = i * l;
    const y1 = y0 + l;
    const y2 = y1 + l;
    const y3 = y2 + l;
    for (let j = 0; j < d; j++) {
      const a0 = x[x0 + j]!;
      const a1 = x[x1 + j]!;
      const a2 = x[x2 + j]!;
      const a3 = x[x3 + j]!;
      const zo = j * l;
      for (let c = 0; c < l; c++) z[zo + c] = z[zo + c]! + a0 * y[y0 + c]! + a1 * y[y1 + c]! + a2 * y[y2 + c]! + a3 * y[y3 + c]!;
    }
  }
  for (; i < n; i++) {
    const xo = i * d;
    const yo = i * l;
    for (let j = 0; j < d; j++) {
      const v = x[xo + j]!;
      const zo = j * l;
      for (let c = 0; c < l; c++) z[zo + c] = z[zo + c]! + v * y[yo + c]!;
    }
  }
  return z;
}

/**
 * out (k) = x[xo .. xo+d) · Mᵀ for a k×d row-major M: k dot products, four per pass over x (each
 * summed over j in order, as one loop per row would).
 */
export function rowTimesMt(out: Float64Array, x: Float64Array, xo: number, m: Float64Array, k: number, d: number): void {
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    const o0 = c * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < d; j++) {
      const xj = x[xo + j]!;
      s0 += xj * m[o0 + j]!;
      s1 += xj * m[o1 + j]!;
      s2 += xj * m[o2 + j]!;
      s3 += xj * m[o3 + j]!;
    }
    out[c] = s0;
    out[c + 1] = s1;
    out[c + 2] = s2;
    out[c + 3] = s3;
  }
  for (; c < k; c++) {
    const o = c * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[xo + j]! * m[o + j]!;
    out[c] = s;
  }
}

/** Orthonormalises the l columns of a row-major n×l matrix in place (modified Gram-Schmidt). */
export function orthonormalizeColumns(q: Float64Array, n: number, l: number): void {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i * l + c]! * q[i * l + p]!;
      for (let i = 0; i < n; i++) q[i * l + c] = q[i * l + c]! - (dot * q[i * l + p]!);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * l + c]! ** 2;
    norm = Math.sqrt(norm);
    // A column in the span of the previous ones (rank-deficient data) becomes zero, not NaN.
    const inv = norm > 1e-300 ? 1 / norm : 0;
    for (let i = 0; i < n; i++) q[i * l + c] = q[i * l + c]! * inv;
  }
}

/**
 * Eigen-decomposition of a symmetric m×m matrix (cyclic Jacobi; m ≤ ~50 here).
 * Returns eigenvalues descending and eigenvectors as rows of a row-major m×m matrix.
 */
export function symmetricEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const s = Float64Array.from(a);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += s[p * m + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = s[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (s[q * m + q]! - s[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const akp = s[k * m + p]!;
          const akq = s[k * m + q]!;
          s[k * m + p] = c * akp - sn * akq;
          s[k * m + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = s[p * m + k]!;
          const aqk = s[q * m + k]!;
          s[p * m + k] = c * apk - sn * aqk;
          s[q * m + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vpk = v[p * m + k]!;
          const vqk = v[q * m + k]!;
          v[p * m + k] = c * vpk - sn * vqk;
          v[q * m + k] = sn * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => s[j * m + j]! - s[i * m + i]!);
  const values = Float64Array.from(order, (i) => s[i * m + i]!);
  const vectors = new Float64Array(m * m);
  order.forEach((i, r) => vectors.set(v.subarray(i * m, (i + 1) * m), r * m));
  return { values, vectors };
}

/**
 * Top-k principal directions of the rows of a centred n×d matrix: randomized range finder
 * (Halko et al. 2011) with `powerIterations` subspace iterations. Returns components as rows of
 * a k×d matrix and the variance each explains.
 */
export function topComponents(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  opts: { oversample?: number; powerIterations?: number; seed?: number } = {},
): { components: Float64Array; variance: Float64Array } {
  const l = Math.min(k + (opts.oversample ?? 10), n, d);
  const prng = new Prng(opts.seed ?? 1);
  const normal = () => prng.normal();
  const omega = Float64Array.from({ length: d * l }, normal);
  const q = mulXM(x, n, d, omega, l);
  orthonormalizeColumns(q, n, l);
  for (let it = 0; it < (opts.powerIterations ?? 2); it++) {
    const z = mulXtY(x, n, d, q, l);
    orthonormalizeColumns(z, d, l);
    q.set(mulXM(x, n, d, z, l));
    orthonormalizeColumns(q, n, l);
  }
  // B = Qᵀ X is l×d; its right singular vectors are the principal directions.
  const bt = mulXtY(x, n, d, q, l); // d×l = Bᵀ
  const bbt = new Float64Array(l * l);
  for (let j = 0; j < d; j++) {
    const o = j * l;
    for (let a = 0; a < l; a++) {
      const va = bt[o + a]!;
      if (va === 0) continue;
      for (let b = a; b < l; b++) bbt[a * l + b] = bbt[a * l + b]! + va * bt[o + b]!;
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) bbt[a * l + b] = bbt[b * l + a]!;
  const { values, vectors } = symmetricEigen(bbt, l);
  const kk = Math.min(k, l);
  const components = new Float64Array(kk * d);
  const variance = new Float64Array(kk);
  for (let c = 0; c < kk; c++) {
    const s2 = Math.max(values[c]!, 0);
    variance[c] = s2 / Math.max(n - 1, 1);
    const inv = s2 > 1e-300 ? 1 / Math.sqrt(s2) : 0;
    for (let j = 0; j < d; j++) {
      let acc = 0;
      for (let a = 0; a < l; a++) acc += bt[j * l + a]! * vectors[c * l + a]!;
      components[c * d + j] = acc * inv;
    }
  }
  return { components, variance };
}
