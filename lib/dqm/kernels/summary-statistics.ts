import type { HistogramSet } from '../../data';

export interface SummaryStatistics {
  mean: Float64Array;
  /** Population standard deviation (numpy's default, ddof = 0). */
  std: Float64Array;
}

/**
 * Mean and population std of each lumisection's map, float64. When the set carries the full
 * raw map's moments (`entries`, `rawSumSq`, `rawBins`, kept by data_processing while parsing),
 * they are over the FULL 202×302 map including under/overflow, as the original computed them,
 * and need no pass over `values`. Otherwise they are over the `ny × nx` values.
 */
export function summaryStatistics(h: HistogramSet): SummaryStatistics {
  const n = h.run.length;
  const mean = new Float64Array(n);
  const std = new Float64Array(n);
  if (h.rawSumSq && h.rawBins) {
    const bins = h.rawBins;
    for (let i = 0; i < n; i++) {
      const m = h.entries[i]! / bins;
      mean[i] = m;
      std[i] = Math.sqrt(Math.max(0, h.rawSumSq[i]! / bins - m * m));
    }
    return { mean, std };
  }
  const size = h.ny * h.nx;
  const v = h.values;
  for (let i = 0; i < n; i++) {
    const base = i * size;
    let s = 0;
    for (let k = 0; k < size; k++) s += v[base + k]!;
    const m = s / size;
    // Two-pass variance: exact enough for float maps, where sum-of-squares would cancel.
    let ss = 0;
    for (let k = 0; k < size; k++) {
      const d = v[base + k]! - m;
      ss += d * d;
    }
    mean[i] = m;
    std[i] = Math.sqrt(ss / size);
  }
  return { mean, std };
}
