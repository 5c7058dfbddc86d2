import { table, type Table } from '../../data';
import { ApiError } from './errors';
import type { ApiFlavour } from './options';
import { parseHistogram2D, type Histogram2D } from './records';

/**
 * The map as the original pickles hold it: a Python list literal (`str(list)`: `[0, 3, 1, ...]`)
 * of (yBins+2)·(xBins+2) integers, row-major (rows = y = phi, columns = x = z), with an empty
 * under/overflow border added around the website's data (which has it removed), so a 200×300
 * map becomes the pickles' 202×302 layout.
 */
export function mapTextWithBorder(h: Histogram2D): string {
  const nx = h.xBins + 2;
  const zeroRow = new Array<string>(nx).fill('0').join(', ');
  const parts: string[] = [zeroRow];
  for (let y = 0; y < h.yBins; y++) {
    const row = h.data[y]!;
    for (let x = 0; x < h.xBins; x++) {
      const v = row[x]!;
      // Counts only: the raw format is integers, and a fraction here means a wrong endpoint or a weighted histogram.
      if (!Number.isInteger(v) || v < 0) {
        throw new ApiError('API_BAD_RECORD', `2D histogram ${h.label}: data[${y}][${x}] = ${v} is not a non-negative integer count`);
      }
    }
    // Array.join on numbers is native and prints integers as Python does.
    parts.push(`0, ${row.join(', ')}, 0`);
  }
  parts.push(zeroRow);
  return `[${parts.join(', ')}]`;
}

/**
 * 2D records (either flavour) -> rows of the raw format (`run`, `lumi`, `map`), sorted by
 * (run, lumi). All records must share one binning, or the maps could not be stacked downstream.
 */
export function histogramsToRawTable(records: readonly unknown[], flavour: ApiFlavour): Table {
  const hs = records.map((r, i) => parseHistogram2D(r, flavour, i));
  return histogramListToRawTable(hs);
}

/** Same as histogramsToRawTable, from already parsed records. */
export function histogramListToRawTable(histograms: readonly Histogram2D[]): Table {
  const hs = [...histograms].sort((a, b) => a.run - b.run || a.lumi - b.lumi);
  const first = hs[0];
  for (const h of hs) {
    if (first && (h.xBins !== first.xBins || h.yBins !== first.yBins)) {
      throw new ApiError(
        'API_BAD_RECORD',
        `2D histogram ${h.label} has ${h.yBins}×${h.xBins} bins but ${first.label} has ${first.yBins}×${first.xBins}: one raw table holds one binning`,
      );
    }
  }
  return table({
    run: Int32Array.from(hs, (h) => h.run),
    lumi: Int32Array.from(hs, (h) => h.lumi),
    map: hs.map((h) => mapTextWithBorder(h)),
  });
}
