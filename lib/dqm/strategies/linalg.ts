/**
 * The few dense linear-algebra kernels PCA and NMF need, over row-major Float64Arrays.
 * Hand-written on purpose: we only ever need k ≤ ~40 components of an n×d matrix, so a
 * randomized range finder plus a Jacobi eigen-solve of an (k+p)×(k+p) matrix does it. ml-pca
 * would form the d×d covariance (d = 3,750 after 4×4 rebinning: 10^10 flops and 110 MB) and
 * ml-matrix stores number[][]; both are slower than these typed-array loops.
 */
import { Prng } from '../prng';

/*
 * The range finder's products as one register-blocked kernel, C = A·Bᵀ over row-major A (n×m) and
 * B (l×m): X·M is X·(Mᵀ)ᵀ and Xᵀ·Y is Xᵀ·(Yᵀ)ᵀ, with Xᵀ formed once per fit. A 4×2 block of C
 * sits in eight registers while j runs over m: six loads per eight multiply-adds, no output
 * loads or stores in the loop (the old loops' bottleneck). Every element is still one sum over j
 * from 0, term by term in order, as the plain triple loop adds them: bit-identical results.
 */

/** C (n×l) = A (n×m) · Bᵀ, B l×m. */
export function mulABt(a: Float64Array, n: number, m: number, b: Float64Array, l: number): Float64Array {
  const c = new Float64Array(n * l);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a0 = i * m;
    const a1 = a0 + m;
    const a2 = a1 + m;
    const a3 = a2 + m;
    let q = 0;
    for (; q + 2 <= l; q += 2) {
      const b0 = q * m;
      const b1 = b0 + m;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let j = 0; j < m; j++) {
        const u = b[b0 + j]!;
        const v = b[b1 + j]!;
        const x0 = a[a0 + j]!;
        const x1 = a[a1 + j]!;
        const x2 = a[a2 + j]!;
        const x3 = a[a3 + j]!;
        s00 += x0 * u;
        s01 += x0 * v;
        s10 += x1 * u;
        s11 += x1 * v;
        s20 += x2 * u;
        s21 += x2 * v;
        s30 += x3 * u;
        s31 += x3 * v;
      }
      const o = i * l + q;
      c[o] = s00;
      c[o + 1] = s01;
      c[o + l] = s10;
      c[o + l + 1] = s11;
      c[o + 2 * l] = s20;
      c[o + 2 * l + 1] = s21;
      c[o + 3 * l] = s30;
      c[o + 3 * l + 1] = s31;
    }
    if (q < l) {
      const b0 = q * m;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < m; j++) {
        const u = b[b0 + j]!;
        s0 += a[a0 + j]! * u;
        s1 += a[a1 + j]! * u;
        s2 += a[a2 + j]! * u;
        s3 += a[a3 + j]! * u;
      }
      const o = i * l + q;
      c[o] = s0;
      c[o + l] = s1;
      c[o + 2 * l] = s2;
      c[o + 3 * l] = s3;
    }
  }
  for (; i < n; i++) rowTimesMt(c.subarray(i * l, (i + 1) * l), a, i * m, b, l, m);
  return c;
}

/**
 * The transpose (c×r) of a row-major r×c matrix, in 32×32 tiles: a row-by-row transpose of a
 * 1000×3750 matrix writes one cache line per element and costs as much as a product.
 */
export function transpose(x: Float64Array, r: number, c: number): Float64Array {
  const t = new Float64Array(r * c);
  const T = 32;
  for (let i0 = 0; i0 < r; i0 += T) {
    const i1 = Math.min(r, i0 + T);
    for (let j0 = 0; j0 < c; j0 += T) {
      const j1 = Math.min(c, j0 + T);
      for (let i = i0; i < i1; i++) {
        const o = i * c;
        for (let j = j0; j < j1; j++) t[j * r + i] = x[o + j]!;
      }
    }
  }
  return t;
}

/** Y (n×l) = X (n×d) · M (d×l). */
export function mulXM(x: Float64Array, n: number, d: number, m: Float64Array, l: number): Float64Array {
  return mulABt(x, n, d, transpose(m, d, l), l);
}

/** Z (d×l) = Xᵀ (d×n) · Y (n×l); `xt` = Xᵀ when the caller has it already. */
export function mulXtY(x: Float64Array, n: number, d: number, y: Float64Array, l: number, xt = transpose(x, n, d)): Float64Array {
  return mulABt(xt, d, n, transpose(y, n, l), l);
}

/**
 * out (k) = x[xo .. xo+d) · Mᵀ for a k×d row-major M: k dot products, eight (then four) per pass
 * over x, each summed over j in order, as one loop per row would.
 */
export function rowTimesMt(out: Float64Array, x: Float64Array, xo: number, m: Float64Array, k: number, d: number): void {
  let c = 0;
  for (; c + 8 <= k; c += 8) {
    const o0 = c * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    const o4 = o3 + d;
    const o5 = o4 + d;
    const o6 = o5 + d;
    const o7 = o6 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let j = 0; j < d; j++) {
      const xj = x[xo + j]!;
      s0 += xj * m[o0 + j]!;
      s1 += xj * m[o1 + j]!;
      s2 += xj * m[o2 + j]!;
      s3 += xj * m[o3 + j]!;
      s4 += xj * m[o4 + j]!;
      s5 += xj * m[o5 + j]!;
      s6 += xj * m[o6 + j]!;
      s7 += xj * m[o7 + j]!;
    }
    out[c] = s0;
    out[c + 1] = s1;
    out[c + 2] = s2;
    out[c + 3] = s3;
    out[c + 4] = s4;
    out[c + 5] = s5;
    out[c + 6] = s6;
    out[c + 7] = s7;
  }
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

/**
 * out (d) += Σ_c a[c]·M[c] over the k rows of a k×d M, eight (then four) rows per pass: each
 * element adds its terms c = 0, 1, … one at a time, as one pass per row would.
 */
export function addCombination(out: Float64Array, a: Float64Array, m: Float64Array, k: number, d: number): void {
  let q = 0;
  for (; q + 8 <= k; q += 8) {
    const a0 = a[q]!;
    const a1 = a[q + 1]!;
    const a2 = a[q + 2]!;
    const a3 = a[q + 3]!;
    const a4 = a[q + 4]!;
    const a5 = a[q + 5]!;
    const a6 = a[q + 6]!;
    const a7 = a[q + 7]!;
    const o0 = q * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    const o4 = o3 + d;
    const o5 = o4 + d;
    const o6 = o5 + d;
    const o7 = o6 + d;
    for (let j = 0; j < d; j++) {
      out[j] = out[j]! + a0 * m[o0 + j]! + a1 * m[o1 + j]! + a2 * m[o2 + j]! + a3 * m[o3 + j]! + a4 * m[o4 + j]! + a5 * m[o5 + j]! + a6 * m[o6 + j]! + a7 * m[o7 + j]!;
    }
  }
  for (; q + 4 <= k; q += 4) {
    const a0 = a[q]!;
    const a1 = a[q + 1]!;
    const a2 = a[q + 2]!;
    const a3 = a[q + 3]!;
    const o0 = q * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    for (let j = 0; j < d; j++) out[j] = out[j]! + a0 * m[o0 + j]! + a1 * m[o1 + j]! + a2 * m[o2 + j]! + a3 * m[o3 + j]!;
  }
  for (; q < k; q++) {
    const aq = a[q]!;
    const o = q * d;
    for (let j = 0; j < d; j++) out[j] = out[j]! + aq * m[o + j]!;
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
  const xt = transpose(x, n, d); // once: the three Xᵀ·Y products read its rows
  for (let it = 0; it < (opts.powerIterations ?? 2); it++) {
    const z = mulXtY(x, n, d, q, l, xt);
    orthonormalizeColumns(z, d, l);
    q.set(mulXM(x, n, d, z, l));
    orthonormalizeColumns(q, n, l);
  }
  // B = Qᵀ X is l×d; its right singular vectors are the principal directions.
  const bt = mulXtY(x, n, d, q, l, xt); // d×l = Bᵀ
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
