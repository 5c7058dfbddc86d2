import type { HistogramSet } from './histogram-set';

/**
 * The reference histogram of a set: the mean of the chosen lumisections' maps, each first scaled
 * to unit entries (so luminosity cancels), as one ny × nx buffer. `rows` are LS indices (the
 * task's develop LS); all LS when omitted. LS without entries are skipped; all-zero if none has any.
 */
export function normalisedMean(h: HistogramSet, rows?: ArrayLike<number>): Float64Array {
  const size = h.ny * h.nx;
  const out = new Float64Array(size);
  const count = rows ? rows.length : h.run.length;
  let used = 0;
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k]! : k;
    const total = h.normalisation === 'entries' ? 1 : h.entries[i]!;
    if (!(total > 0)) continue;
    const base = i * size;
    for (let b = 0; b < size; b++) out[b] = out[b]! + h.values[base + b]! / total;
    used++;
  }
  if (used) for (let b = 0; b < size; b++) out[b] = out[b]! / used;
  return out;
}
