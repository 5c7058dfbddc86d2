/** keep (dest j <- src keep[j]) extended to a full permutation of 0..n-1 (dropped maps go last). */
export function completePermutation(keep: ArrayLike<number>, n: number): Int32Array {
  const p = new Int32Array(n);
  const used = new Uint8Array(n);
  for (let j = 0; j < keep.length; j++) {
    p[j] = keep[j]!;
    used[keep[j]!] = 1;
  }
  let j = keep.length;
  for (let src = 0; src < n; src++) if (!used[src]) p[j++] = src;
  return p;
}

/**
 * values[j] <- values[p[j]] for every map j (maps of `size` values), following cycles with one
 * map of scratch space: a set of GBs is reordered without a second copy of it.
 */
export function permuteInPlace(values: Float32Array, size: number, p: Int32Array): void {
  const done = new Uint8Array(p.length);
  const tmp = new Float32Array(size);
  for (let start = 0; start < p.length; start++) {
    if (done[start] || p[start] === start) continue;
    tmp.set(values.subarray(start * size, (start + 1) * size));
    let j = start;
    for (;;) {
      done[j] = 1;
      const k = p[j]!;
      if (k === start) {
        values.set(tmp, j * size);
        break;
      }
      values.copyWithin(j * size, k * size, (k + 1) * size);
      j = k;
    }
  }
}
