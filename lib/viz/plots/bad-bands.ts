import { selectRows } from '../develop-mask';
import { datasetNames, numberColumn, textColumn, type PlotsData } from './plots-data';
import type { BadBand } from '../../graph';

/** The simulator's labels, as the evaluation reads them (lib/dqm/strategies/evaluation.ts). */
export const SIMULATOR_LABELS = 'simulator';
const TYPE_COLUMNS = ['anomaly_type', 'anomaly', 'type', 'label'];
const GOOD = new Set(['', 'none', 'good', '0', 'null', 'false']);

type Mask = Record<string, Array<[number, number]>>;

/**
 * A task's label sets: lumi masks of GOOD LS by name (`{golden: {...}, pixel: {...}}`), under
 * `label_sets` (or `labels`) of the task file; a list of `{name, mask}` is read too.
 */
export function taskLabelSets(task: unknown): Array<{ name: string; good: Mask }> {
  if (typeof task !== 'object' || task === null) return [];
  const t = task as { label_sets?: unknown; labels?: unknown };
  const raw = t.label_sets ?? t.labels;
  if (Array.isArray(raw)) {
    return raw.flatMap((s) => (typeof s === 'object' && s !== null && typeof s.name === 'string' && typeof (s.mask ?? s.good) === 'object' ? [{ name: s.name as string, good: (s.mask ?? s.good) as Mask }] : []));
  }
  if (typeof raw !== 'object' || raw === null) return [];
  return Object.entries(raw as Record<string, unknown>).flatMap(([name, m]) => {
    const good = typeof m === 'object' && m !== null && 'mask' in m ? (m as { mask: unknown }).mask : m;
    return typeof good === 'object' && good !== null ? [{ name, good: good as Mask }] : [];
  });
}

/** Names of the label sets the project has: the simulator's labels (if on disk) and the task's sets. */
export async function labelSetNames(data: PlotsData): Promise<string[]> {
  const names = data.exists(datasetNames.labels) ? [SIMULATOR_LABELS] : [];
  if (data.exists(datasetNames.task)) names.push(...taskLabelSets(await data.value(datasetNames.task)).map((s) => s.name));
  return names;
}

/**
 * The labelled-bad LS of a layer as bands of consecutive LS: the simulator's anomalies on this
 * layer (one band per type), and for each task label set the layer's LS outside its GOOD mask.
 */
export async function badBands(data: PlotsData, layer: number, run: ArrayLike<number>, lumi: ArrayLike<number>): Promise<BadBand[]> {
  const points: Array<{ run: number; lumi: number; labelSet: string; type: string }> = [];
  if (data.exists(datasetNames.labels)) {
    const t = await data.table(datasetNames.labels);
    const typeCol = TYPE_COLUMNS.find((c) => c in t.columns);
    if (typeCol && t.columns.run && t.columns.lumi) {
      const [r, l] = [numberColumn(t, 'run'), numberColumn(t, 'lumi')];
      const ly = t.columns.layer ? numberColumn(t, 'layer') : null;
      const type = textColumn(t, typeCol);
      for (let i = 0; i < t.rowCount; i++) {
        if ((ly && ly[i] !== layer) || GOOD.has(type[i]!.toLowerCase()) || r[i] === null || l[i] === null) continue;
        points.push({ run: r[i]!, lumi: l[i]!, labelSet: SIMULATOR_LABELS, type: type[i]! });
      }
    }
  }
  if (data.exists(datasetNames.task)) {
    for (const set of taskLabelSets(await data.value(datasetNames.task))) {
      const good = new Set(selectRows(set.good, run, lumi));
      for (let i = 0; i < run.length; i++) if (!good.has(i)) points.push({ run: run[i]!, lumi: lumi[i]!, labelSet: set.name, type: 'bad' });
    }
  }
  return mergeBands(points);
}

/** Consecutive LS of one run, label set and type become one band. */
export function mergeBands(points: Array<{ run: number; lumi: number; labelSet: string; type: string }>): BadBand[] {
  const sorted = [...points].sort((a, b) => a.labelSet.localeCompare(b.labelSet) || a.type.localeCompare(b.type) || a.run - b.run || a.lumi - b.lumi);
  const out: BadBand[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && last.labelSet === p.labelSet && last.type === p.type && last.run === p.run && p.lumi <= last.to + 1) last.to = Math.max(last.to, p.lumi);
    else out.push({ run: p.run, from: p.lumi, to: p.lumi, labelSet: p.labelSet, type: p.type });
  }
  return out;
}
