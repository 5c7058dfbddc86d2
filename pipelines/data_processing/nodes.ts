import { histogramSetStream, HistogramError, pixelMapShape, prepareHistogramSet, RAW_MAP_COLS, RAW_MAP_ROWS, type HistogramSetStream, type RawMaps } from 'dqm-playground-ds/dqm';
import type { HistogramSet, Normalisation } from 'dqm-playground-ds/data';
import { reportProgress } from 'dqm-playground-ds/progress';

export interface DataProcessingParams {
  /** Drop lumisections with fewer entries than this (full-map sum); 0 keeps all. */
  min_entries?: number;
  /** `none` (default), `entries` (each map divided by its entries) or `max`. */
  normalisation?: Normalisation;
}

/**
 * raw_pixel_layer_N -> preprocessed_raw_pixel_layer_N: parse each map once into one
 * HistogramSet (cropped to 200 × 300, sorted by run and lumi, duplicates dropped), keeping
 * the full maps' moments for the summary statistics. `raw` is one pickle's Table or a
 * PartitionedDataset's lazy loaders (one pickle per run or run part), read one at a time.
 * Returns the set as a stream: the HistogramSetDataset that saves it parses the maps straight
 * into its file (a layer of 5,000 LS is 1.2 GB of maps, never in memory at once);
 * `materialise()` gives the set in memory instead.
 */
export function preprocessPixelLayer(raw: RawMaps, params: DataProcessingParams | undefined, layer: number): HistogramSetStream {
  const { minEntries, normalisation } = checkParams(params);
  return histogramSetStream(raw, {
    dataset: `raw_pixel_layer_${layer}`,
    shape: pixelMapShape(layer),
    crop: { rows: RAW_MAP_ROWS, cols: RAW_MAP_COLS, border: 1 },
    minEntries,
    normalisation,
    onProgress: (done, total) => reportProgress(done, total, 'LS'),
    onWarning: (message) => process.emitWarning(message, { code: 'DQM_DATA_WARNING' }),
  });
}

/**
 * `<me>.raw` -> `<me>.preprocessed` for any monitoring element read as a HistogramSet (1D or 2D:
 * a DQMIO CSV export, the website's CSV export, data_extraction's 1D cache, one set or a folder
 * of them): joined, sorted, filtered and normalised like the pixel maps.
 */
export async function preprocessMonitoringElement(raw: unknown, params: DataProcessingParams | undefined, me: string): Promise<HistogramSet> {
  const { minEntries, normalisation } = checkParams(params);
  return prepareHistogramSet(raw, {
    dataset: `${me}.raw`,
    minEntries,
    normalisation,
    onProgress: (done, total) => reportProgress(done, total, 'parts'),
    onWarning: (message) => process.emitWarning(message, { code: 'DQM_DATA_WARNING' }),
  });
}

function checkParams(params: DataProcessingParams | undefined): { minEntries: number; normalisation: Normalisation } {
  const p = params ?? {};
  const minEntries = p.min_entries ?? 0;
  // Finite too: YAML reads 1e999 as Infinity, which would silently drop every lumisection.
  if (typeof minEntries !== 'number' || !(minEntries >= 0) || !Number.isFinite(minEntries)) {
    throw new HistogramError(`Parameter 'data_processing.min_entries' must be a number ≥ 0, got ${typeof p.min_entries === 'number' ? String(p.min_entries) : JSON.stringify(p.min_entries)}`, { code: 'BAD_PARAMETER' });
  }
  const normalisation = p.normalisation ?? 'none';
  if (!['none', 'entries', 'max'].includes(normalisation)) {
    throw new HistogramError(`Parameter 'data_processing.normalisation' must be none, entries or max, got ${JSON.stringify(p.normalisation)}`, { code: 'BAD_PARAMETER' });
  }
  return { minEntries, normalisation };
}
