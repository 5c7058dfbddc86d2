import { HistogramError, centerOfMass, chi2ToReference, histogramMoments, histogramQuantiles, imagesRmse, meanImageSet, perLsOverBlocks, summaryStatistics } from 'dqm-playground-ds/dqm';
import { isBlockReadable, isHistogramSet, isOneDimensional, type AnyHistogramSet, type HistogramSet, isTable, table, type ColumnData, type Table } from 'dqm-playground-ds/data';

/** The columns of `aggregated_properties` of a 2D set (the pixel maps), in order (a contract with users and tools). */
export const AGGREGATED_COLUMNS = ['run', 'lumi', 'entries', 'mean', 'std', 'center_phi', 'center_z', 'rmse', 'mean_diff'] as const;
/** The same for a 1D set (cluster charge, ADC, ...): moments and quantiles in the x axis' units, distances to the mean histogram. */
export const AGGREGATED_COLUMNS_1D = ['run', 'lumi', 'entries', 'mean', 'rms', 'q05', 'q25', 'q50', 'q75', 'q95', 'rmse', 'chi2'] as const;
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/*
 * Each node takes the preprocessed set in memory (a HistogramSet) or file-backed (a lazy
 * HistogramSetDataset's FileBackedHistogramSet): the kernels run block by block over it
 * (perLsOverBlocks, meanImageSet), never holding more than a block of maps.
 */

/**
 * 2D: run, lumi, entries, mean, std: mean and population std of the bin contents over the full
 * 202 × 302 map. 1D: run, lumi, entries, mean, rms of the distribution along x (ROOT's GetMean, GetRMS).
 */
export function computeSummaryStatistics(data: AnyHistogramSet): Table {
  const h = expectSet(data, 'compute_summary_statistics');
  if (isOneDimensional(h)) {
    const { mean, rms } = perLsOverBlocks(h, (b) => histogramMoments(b));
    return table({ run: h.run, lumi: h.lumi, entries: h.entries, mean, rms });
  }
  // The full map's moments kept by data_processing need no map: no block is read.
  const { mean, std } = h.rawSumSq && h.rawBins ? summaryStatistics({ ...h, kind: 'histogram-set', values: new Float32Array(0) }) : perLsOverBlocks(h, (b) => summaryStatistics(b));
  return table({ run: h.run, lumi: h.lumi, entries: h.entries, mean, std });
}

/**
 * 2D: run, lumi, center_phi, center_z: scipy.ndimage.center_of_mass of the 200 × 300 image.
 * 1D: run, lumi, q05 ... q95: the shape of the distribution (ROOT's GetQuantiles), x units.
 */
export function computeGeometricalProperties(data: AnyHistogramSet): Table {
  const h = expectSet(data, 'compute_geometrical_properties');
  if (isOneDimensional(h)) {
    const { q } = perLsOverBlocks(h, (b) => ({ q: histogramQuantiles(b, QUANTILES) }), QUANTILES.length);
    const cols: Record<string, ColumnData> = { run: h.run, lumi: h.lumi };
    QUANTILES.forEach((p, j) => (cols[`q${String(Math.round(p * 100)).padStart(2, '0')}`] = Float64Array.from(h.run, (_, i) => q[i * QUANTILES.length + j]!)));
    return table(cols);
  }
  const { phi, z } = perLsOverBlocks(h, (b) => centerOfMass(b));
  return table({ run: h.run, lumi: h.lumi, center_phi: phi, center_z: z });
}

/** The per-bin mean of all lumisections, as a one-map HistogramSet. */
export function computeMeanImage(data: AnyHistogramSet): HistogramSet {
  return meanImageSet(expectSet(data, 'compute_mean_image'));
}

/**
 * run, lumi, rmse (true RMSE to the mean image), then 2D: mean_diff (the original's |mean
 * difference|); 1D: chi2 (shape χ²/ndf to the mean histogram, ROOT's Chi2Test "UU").
 */
export function computeRmse(data: AnyHistogramSet, meanImage: HistogramSet): Table {
  const h = expectSet(data, 'compute_rmse');
  const ref = expectSet(meanImage, 'compute_rmse (mean_image)');
  if (isBlockReadable(ref)) throw new HistogramError('compute_rmse expects the mean image in memory (a HistogramSet), got a file-backed set', { code: 'BAD_INPUT' });
  if (isOneDimensional(h)) {
    const { rmse, chi2 } = perLsOverBlocks(h, (b) => ({ rmse: imagesRmse(b, ref.values).rmse, chi2: chi2ToReference(b, ref.values) }));
    return table({ run: h.run, lumi: h.lumi, rmse, chi2 });
  }
  const { rmse, meanDiff } = perLsOverBlocks(h, (b) => imagesRmse(b, ref.values));
  return table({ run: h.run, lumi: h.lumi, rmse, mean_diff: meanDiff });
}

/**
 * The three feature tables joined on (run, lumi): run, lumi, then every other column of each
 * table in order (2D: exactly AGGREGATED_COLUMNS; 1D: AGGREGATED_COLUMNS_1D).
 */
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
  const out: Record<string, ColumnData> = {};
  parts.forEach((t, which) => {
    for (const [name, col] of Object.entries(t.columns)) {
      if (which > 0 && (name === 'run' || name === 'lumi')) continue;
      if (name in out) throw new HistogramError(`aggregate_properties: column '${name}' is in two feature tables`, { code: 'BAD_FEATURES' });
      const ints = name === 'run' || name === 'lumi';
      const column = ints ? new Int32Array(rows.length) : new Float64Array(rows.length);
      rows.forEach((row, i) => (column[i] = Number(col[row[which as 0 | 1 | 2]])));
      out[name] = column;
    }
  });
  return table(out);
}

function expectSet(value: unknown, where: string): AnyHistogramSet {
  if ((value as { kind?: unknown } | null)?.kind === 'histogram-set-stream') {
    throw new HistogramError(`${where} got data_processing's streamed set: save it to a dqm.HistogramSetDataset (the catalog's preprocessed_raw_pixel_layer_{n}) so the set is written before it is read`, { code: 'BAD_INPUT' });
  }
  if (!isHistogramSet(value) && !isBlockReadable(value)) {
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
