import { DatasetError } from '../io';
import type { HistogramSet } from '../data';

/** Refuses a set whose arrays disagree with its shape before any byte is written. */
export function assertConsistentSet(h: HistogramSet): void {
  const n = h.run.length;
  if (h.lumi.length !== n || h.entries.length !== n || h.values.length !== n * h.ny * h.nx || (h.rawSumSq && h.rawSumSq.length !== n)) {
    throw new DatasetError(`inconsistent HistogramSet '${h.title}': ${n} runs, ${h.lumi.length} lumis, ${h.entries.length} entries, ${h.values.length} values for ${h.ny}×${h.nx} maps`);
  }
}
