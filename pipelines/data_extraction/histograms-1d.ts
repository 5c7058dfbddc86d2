import { ApiError, type Histogram1D } from 'dqm-playground-ds/io';
import { createHistogramSet, type HistogramSet, type HistogramSource } from 'dqm-playground-ds/data';

/**
 * One (run, title)'s 1D records (either flavour) -> a 1D HistogramSet (ny = 1), sorted by LS.
 * The records must share one binning; a (run, LS) twice, or a count that is negative, is an
 * error naming both records or the bin: which of two answers is right cannot be guessed, and a
 * negative count means a wrong endpoint or a corrupt ingestion. Counts may be fractional (DIALS
 * sends floats), unlike the 2D maps' raw pickles.
 */
export function histogramSet1D(histograms: readonly Histogram1D[], source: HistogramSource, partition: string): HistogramSet {
  const hs = [...histograms].sort((a, b) => a.run - b.run || a.lumi - b.lumi);
  const first = hs[0];
  if (!first) throw new ApiError('API_BAD_RECORD', `${partition}: no 1D histogram to convert`);
  const set = createHistogramSet(
    {
      title: first.title,
      name: first.title,
      source,
      ny: 1,
      nx: first.xBins,
      x: { min: first.xMin, max: first.xMax, label: 'x' },
      y: { min: 0, max: 1, label: 'entries' },
    },
    hs.length,
  );
  hs.forEach((h, i) => {
    if (h.xBins !== first.xBins || h.xMin !== first.xMin || h.xMax !== first.xMax) {
      throw new ApiError(
        'API_BAD_RECORD',
        `1D histogram ${h.label} has ${h.xBins} bins on [${h.xMin}, ${h.xMax}] but ${first.label} has ${first.xBins} on [${first.xMin}, ${first.xMax}]: one set holds one binning`,
      );
    }
    const prev = hs[i - 1];
    if (prev && prev.run === h.run && prev.lumi === h.lumi) {
      throw new ApiError('API_BAD_RECORD', `1D histograms ${prev.label} and ${h.label} are both run ${h.run}, LS ${h.lumi} of '${h.title}': duplicate lumisection`);
    }
    const bad = h.data.findIndex((v) => !(v >= 0));
    if (bad >= 0) throw new ApiError('API_BAD_RECORD', `1D histogram ${h.label}: data[${bad}] = ${h.data[bad]} is not a count ≥ 0`);
    set.run[i] = h.run;
    set.lumi[i] = h.lumi;
    set.entries[i] = h.entries;
    set.values.set(h.data, i * first.xBins);
  });
  return set;
}
