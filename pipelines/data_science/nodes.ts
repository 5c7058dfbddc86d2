import { HistogramError, centerOfMass, imagesRmse, meanImageSet, summaryStatistics } from 'dqm-playground-ds/dqm';
import { isHistogramSet, type HistogramSet, isTable, table, type ColumnData, type Table } from 'dqm-playground-ds/data';

/** The columns of `aggregated_properties`, in order (a contract with users and tools). */
export const AGGREGATED_COLUMNS = ['run', 'lumi', 'entries', 'mean', 'std', 'center_phi', 'center_z', 'rmse', 'mean_diff'] as const;

/** run, lumi, entries, mean, std: mean and population std over the full 202 × 302 map. */
export function computeSummaryStatistics(data: HistogramSet): Table {
  const h = expectSet(data, 'compute_summary_statistics');
  const { mean, std } = summaryStatistics(h);
  return table({ run: h.run, lumi: h.lumi, entries: h.entries, mean, std });
}

/** run, lumi, center_phi, center_z: scipy.ndimage.center_of_mass of the 200 × 300 image. */
export function computeGeometricalProperties(data: HistogramSet): Table {
  const h = expectSet(data, 'compute_geometrical_properties');
  const { phi, z } = centerOfMass(h);
  return table({ run: h.run, lumi: h.lumi, center_phi: phi, center_z: z });
}

/** The per-bin mean of all lumisections, as a one-map HistogramSet. */
export function computeMeanImage(data: HistogramSet): HistogramSet {
  return meanImageSet(expectSet(data, 'compute_mean_image'));
}

/** run, lumi, rmse (true RMSE to the mean image), mean_diff (the original's |mean difference|). */
export function computeRmse(data: HistogramSet, meanImage: HistogramSet): Table {
  const h = expectSet(data, 'compute_rmse');
  const ref = expectSet(meanImage, 'compute_rmse (mean_image)');
  const { rmse, meanDiff } = imagesRmse(h, ref.values);
  return table({ run: h.run, lumi: h.lumi, rmse, mean_diff: meanDiff });
}

/** The three feature tables joined on (run, lumi), columns exactly AGGREGATED_COLUMNS. */
export function aggregateProperties(summary: Table, geometry: Table, rmse: Table): Table {
  const parts = [summary, geometry, rmse].map((t, i) => expectTable(t, ['summary_statistics', 'geometrical_properties', 'images_rmse'][i]!));
  const index = parts.slice(1).map((t) => {
    const m = new Map<string, number>();
    for (let r = 0; r < t.rowCount; r++) m.set(`${t.columns.run![r]}:${t.columns.lumi![r]}`, r);
    return m;
  });
  const rows: Array<[number, number, number]> = [];
  for (let r = 0; r < summary.rowCount; r++) {
    const key = `${summary.columns.run![r]}:${summary.columns.lumi![r]}`;
    const g = index[0]!.get(key);
    const e = index[1]!.get(key);
    if (g !== undefined && e !== undefined) rows.push([r, g, e]);
  }
  const pick = (t: Table, name: string, which: 0 | 1 | 2, ctor: typeof Float64Array | typeof Int32Array): ColumnData => {
    const col = t.columns[name];
    if (!col) throw new HistogramError(`aggregate_properties: input table lacks column '${name}' (has: ${Object.keys(t.columns).join(', ')})`, { code: 'BAD_FEATURES' });
    const out = new ctor(rows.length);
    rows.forEach((row, i) => (out[i] = Number(col[row[which]])));
    return out;
  };
  return table({
    run: pick(summary, 'run', 0, Int32Array),
    lumi: pick(summary, 'lumi', 0, Int32Array),
    entries: pick(summary, 'entries', 0, Float64Array),
    mean: pick(summary, 'mean', 0, Float64Array),
    std: pick(summary, 'std', 0, Float64Array),
    center_phi: pick(geometry, 'center_phi', 1, Float64Array),
    center_z: pick(geometry, 'center_z', 1, Float64Array),
    rmse: pick(rmse, 'rmse', 2, Float64Array),
    mean_diff: pick(rmse, 'mean_diff', 2, Float64Array),
  });
}

function expectSet(value: unknown, where: string): HistogramSet {
  if (!isHistogramSet(value)) {
    throw new HistogramError(`${where} expects a HistogramSet (the preprocessed maps), got ${value === null ? 'null' : typeof value === 'object' ? ((value as { kind?: string }).kind ?? 'an object') : typeof value}`, { code: 'BAD_INPUT' });
  }
  return value;
}

function expectTable(value: unknown, name: string): Table {
  if (!isTable(value)) throw new HistogramError(`aggregate_properties expects '${name}' to be a table`, { code: 'BAD_INPUT' });
  for (const c of ['run', 'lumi']) {
    if (!(c in value.columns)) throw new HistogramError(`aggregate_properties: '${name}' lacks column '${c}' (has: ${Object.keys(value.columns).join(', ')})`, { code: 'BAD_FEATURES' });
  }
  return value;
}
