import type { HistogramSet } from '../../data';
import { HistogramError } from '../errors';
import { pyFloat, writeCsvLines } from './dqmio-write';

/** The website's CSV export with the binning its `lumisection_histograms_1d/` records carry. */
export const WEBSITE_CSV_HEADER = 'run,lumisection,title,data,entries,x_min,x_max,x_bin';

/**
 * Writes a 1D set in the website's CSV export layout (`data` = the inner bins, as Python prints
 * floats), atomically: what data_extraction caches per (run, title), read back by
 * readWebsiteHistogramsCsv with its axis.
 */
export async function writeWebsiteHistogramsCsv(file: string, h: HistogramSet): Promise<void> {
  if (h.ny !== 1) throw new HistogramError(`The website's CSV export holds 1D histograms; '${h.title}' has ${h.ny}×${h.nx} bins`, { code: 'SHAPE_MISMATCH' });
  const title = h.name ?? h.title;
  if (/[",\n]/.test(title)) throw new HistogramError(`Histogram title '${title}' cannot be written unquoted in a CSV export`, { code: 'BAD_INPUT' });
  const axis = `${pyFloat(h.x.min)},${pyFloat(h.x.max)},${h.nx}`;
  await writeCsvLines(file, WEBSITE_CSV_HEADER, function* () {
    for (let i = 0; i < h.run.length; i++) {
      const bins = Array.from(h.values.subarray(i * h.nx, (i + 1) * h.nx), pyFloat).join(', ');
      yield `${h.run[i]},${h.lumi[i]},${title},"[${bins}]",${pyFloat(h.entries[i]!)},${axis}`;
    }
  });
}
