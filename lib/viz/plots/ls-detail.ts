import { mapOf, type HistogramSet } from '../../data';
import { VizError, VizNotFoundError } from '../errors';
import { flaggedBy, layerFrame } from './layer-frame';
import { datasetNames, type PlotsData } from './plots-data';
import { referenceOf } from '../histogram-preview';
import type { LsDetail, LsRef } from '../../graph';

/**
 * One lumisection of a layer: its map, the layer's mean image (the reference) and the residual
 * map/entries − reference/entries (both normalised to unit entries, so luminosity cancels),
 * with every strategy's score for it and its neighbours for stepping through the run.
 */
export async function lsDetail(data: PlotsData, layer: number, runText: string | null, lumiText: string | null, datasetText?: string | null): Promise<LsDetail> {
  const run = intParam('run', runText);
  const lumi = intParam('lumi', lumiText);
  const dataset = checkHistogram(data, layer, datasetText);
  const set = await data.histograms(dataset);
  let index = -1;
  for (let i = 0; i < set.run.length; i++) {
    if (set.run[i] === run && set.lumi[i] === lumi) {
      index = i;
      break;
    }
  }
  if (index < 0) {
    const runs = [...new Set(set.run)];
    throw new VizNotFoundError(`Layer ${layer} has no lumisection ${lumi} of run ${run} (runs: ${runs.join(', ')}; ${set.run.length} LS)`, 'LS_NOT_FOUND');
  }
  const map = mapOf(set, index);
  const entries = set.entries[index]!;
  const scale = normaliser(set, entries);
  let normRef: Float64Array | null = null;
  let referenceNote: string | null = null;
  if (dataset === datasetNames.maps(layer) && data.exists(datasetNames.meanImage(layer))) {
    const mean = await data.histograms(datasetNames.meanImage(layer), false);
    if (mean.ny !== set.ny || mean.nx !== set.nx) {
      throw new VizError(`The mean image of layer ${layer} is ${mean.ny}×${mean.nx}, its maps are ${set.ny}×${set.nx}: rerun \`dqm run\``, { code: 'SHAPE_MISMATCH', httpStatus: 500 });
    }
    const refScale = normaliser(mean, mean.entries[0] ?? 0);
    normRef = Float64Array.from(mapOf(mean, 0), (v) => v * refScale);
    referenceNote = `mean image of layer ${layer}`;
  } else if (dataset !== datasetNames.maps(layer)) {
    // any other ME: the mean of the task's develop LS (of all LS before a task is saved)
    const ref = referenceOf(set, await data.develop());
    normRef = ref.values;
    referenceNote = ref.note;
  }
  const reference = normRef ? rows(normRef, set.ny, set.nx, sig) : null;
  const residual = normRef ? rows(Float64Array.from(map, (v, k) => v * scale - normRef![k]!), set.ny, set.nx, sig) : null;
  // Scores and features come from the aggregated table; a layer without it still shows maps.
  let scores: LsDetail['scores'] = [];
  let features: LsDetail['features'] = {};
  if (data.exists(datasetNames.aggregated(layer))) {
    const frame = await layerFrame(data, layer);
    const i = frame.run.findIndex((r, k) => r === run && frame.lumi[k] === lumi);
    const flagged = i >= 0 ? flaggedBy(frame, i) : [];
    scores = frame.strategies.map((s) => {
      const score = i >= 0 ? (frame.values.get(s)![i] ?? null) : null;
      return { strategy: s, score, flag: score === null ? null : flagged.includes(s) };
    });
    features = Object.fromEntries(frame.features.map((f) => [f, i >= 0 ? (frame.values.get(f)![i] ?? null) : null]));
  }
  const ref = (k: number): LsRef | null => (k >= 0 && k < set.run.length ? { run: set.run[k]!, lumi: set.lumi[k]! } : null);
  return {
    run,
    lumi,
    layer,
    dataset,
    dims: set.ny === 1 ? 1 : 2,
    referenceNote,
    index,
    count: set.run.length,
    prev: ref(index - 1),
    next: ref(index + 1),
    entries,
    title: set.title,
    x: { ...set.x },
    // a 1D set's y axis counts what its bins hold (its own y range means nothing)
    y: set.ny === 1 ? { ...set.y, label: set.y.label || (/charge|cluster/i.test(`${set.title} ${set.name ?? ''}`) ? 'clusters' : 'entries') } : { ...set.y },
    map: rows(map, set.ny, set.nx, set.ny === 1 ? sig : round3),
    reference,
    residual,
    scores,
    features,
  };
}

/** The histogram set asked for (`dataset`, default the first configured), or a 400 naming the valid ones for this layer. */
export function checkHistogram(data: PlotsData, layer: number, text: string | null | undefined): string {
  const names = data.configuredHistograms().map((h) => h.dataset.replace('{layer}', String(layer)));
  if (text === null || text === undefined || text === '') return names[0] ?? datasetNames.maps(layer);
  if (!names.includes(text)) throw new VizError(`Query parameter 'dataset' must be a histogram set of layer ${layer} (${names.join(', ')}), got '${text}'`, { code: 'UNKNOWN_HISTOGRAM' });
  return text;
}

/** The factor that brings a map to unit entries (1 when the maps are already normalised so). */
function normaliser(h: HistogramSet, entries: number): number {
  if (h.normalisation === 'entries') return 1;
  return entries > 0 ? 1 / entries : 0;
}

function rows(values: ArrayLike<number>, ny: number, nx: number, fmt: (v: number) => number): number[][] {
  const out: number[][] = new Array(ny);
  for (let y = 0; y < ny; y++) {
    const row = new Array<number>(nx);
    for (let x = 0; x < nx; x++) row[x] = fmt(values[y * nx + x]!);
    out[y] = row;
  }
  return out;
}

function round3(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : 0;
}

/** 4 significant digits: normalised maps are ~1e-5 per bin, fixed decimals would zero them. */
function sig(v: number): number {
  return Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(4)) : 0;
}

function intParam(name: 'run' | 'lumi', text: string | null): number {
  const v = Number(text);
  if (text === null || text.trim() === '' || !Number.isInteger(v) || v < 0) {
    throw new VizError(`Query parameter '${name}' must be a non-negative integer, got '${text ?? ''}'`, { code: name === 'run' ? 'BAD_RUN' : 'BAD_LUMI' });
  }
  return v;
}
