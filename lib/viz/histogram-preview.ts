import { mapOf, normalisedMean, type HistogramSet } from '../data';
import { selectRows, type DevelopMask } from './develop-mask';
import { VizError } from './errors';
import type { Preview } from '../graph';

/** A set's reference: the unit-normalised mean of the task's develop LS, or of all LS without a task (or none in it). */
export function referenceOf(h: HistogramSet, develop: DevelopMask | null): { values: Float64Array; note: string } {
  const rows = develop ? selectRows(develop.mask, h.run, h.lumi) : [];
  if (rows.length) return { values: normalisedMean(h, rows), note: `mean of ${rows.length} develop LS (task '${develop!.task}')` };
  const why = develop ? `; task '${develop.task}' selects none of them` : '';
  return { values: normalisedMean(h), note: `mean of all ${h.run.length} LS${why}` };
}

/** A 1D set's preview: LS `ls`'s counts and the reference; the slider fetches the other LS as binary. */
export function histogram1dPreview(h: HistogramSet, ls: number, develop: DevelopMask | null): Preview {
  const count = h.run.length;
  if (!count) return { kind: 'none', reason: `Histogram set '${h.title}' has no lumisections` };
  if (!Number.isInteger(ls) || ls < 0 || ls >= count) {
    throw new VizError(`LS index ${ls} is out of range: '${h.title}' has ${count} lumisections (0..${count - 1})`, { code: 'BAD_LS' });
  }
  const ref = referenceOf(h, develop);
  return {
    kind: 'histogram1d',
    title: h.title,
    ls,
    lsCount: count,
    x: { min: h.x.min, max: h.x.max, label: h.x.label, ...(h.x.unit ? { unit: h.x.unit } : {}) },
    yLabel: h.normalisation === 'entries' ? 'fraction of entries' : /charge|cluster/i.test(`${h.title} ${h.name ?? ''}`) ? 'clusters' : 'entries',
    counts: Array.from(mapOf(h, ls)),
    reference: Array.from(ref.values, (v) => Number(v.toPrecision(6))),
    referenceNote: ref.note,
    lsRuns: Array.from(h.run),
    lsLumis: Array.from(h.lumi),
    lsEntries: Array.from(h.entries),
  };
}
