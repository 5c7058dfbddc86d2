import * as fs from 'node:fs';
import type { Axis, HistogramSet } from '../../data';
import { HistogramFileError } from './errors';
import { forEachLine, headerColumns, numberAt, sameBytes, splitFields, text } from './line-reader';
import { LsColumns } from './ls-columns';
import { describeBadCount, firstBadCount, ListTokenError, parseHistoList } from './parse-histo';

/**
 * The DQM playground website's CSV export of 1D lumisection histograms: `run,lumisection,title,data`
 * (optionally `entries`, `x_min`, `x_max`, `x_bin`, as its `lumisection_histograms_1d/` records).
 * `data` holds the inner bins only: the website strips under/overflow when it ingests DQMIO
 * (`histo[1:Xbins+1]`). Without `x_min`/`x_max` the axis is the bin index unless the caller gives it.
 */
export interface WebsiteCsvReadOptions {
  /** The histogram title to keep; may be omitted when the file holds one title only. */
  title?: string;
  shown?: string;
  x?: Partial<Axis>;
  chunkBytes?: number;
  onProgress?: (bytes: number, total: number) => void;
}

const REQUIRED = ['run', 'lumisection', 'title', 'data'] as const;

export function readWebsiteHistogramsCsv(file: string, opts: WebsiteCsvReadOptions = {}): HistogramSet {
  const shown = opts.shown ?? file;
  const starts = new Int32Array(64);
  const ends = new Int32Array(64);
  let col: Map<string, number> | undefined;
  let nCols = 0;
  let target: Uint8Array | undefined = opts.title === undefined ? undefined : Buffer.from(opts.title, 'utf8');
  let title = opts.title;
  let bins = -1;
  let axis: [number, number] | undefined;
  let columns: LsColumns | undefined;
  let row = new Float32Array(0);
  let rows = 0;
  const names = new Set<string>();
  const fileBytes = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const at = (c: string) => col?.get(c) ?? -1;

  let seen = 0;
  forEachLine(
    file,
    shown,
    (b, s, e, line) => {
      seen += e - s + 1; // bytes of the file read so far (lines + newlines), to size the set
      const n = splitFields(b, s, e, starts, ends, shown, line);
      if (!col) {
        col = headerColumns(b, starts, ends, n);
        nCols = n;
        const missing = REQUIRED.filter((c) => !col!.has(c));
        if (missing.length) {
          throw new HistogramFileError({ file: shown, line }, `not a website histogram CSV header: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (has: ${[...col.keys()].join(', ')})`);
        }
        return;
      }
      if (n !== nCols) throw new HistogramFileError({ file: shown, line }, `${n} fields, the header has ${nCols}`);
      rows++;
      const ts = starts[at('title')]!;
      const te = ends[at('title')]!;
      if (!target) {
        // no title asked for: the first one, and any other is an error listing them
        title = text(b, ts, te);
        target = b.slice(ts, te);
      }
      if (!sameBytes(b, ts, te, target)) {
        names.add(text(b, ts, te));
        if (opts.title === undefined) {
          throw new HistogramFileError({ file: shown, line }, `holds several histograms ('${title}', '${text(b, ts, te)}'): choose one with load_args.title`);
        }
        return;
      }
      const num = (c: string): number => {
        const v = numberAt(b, starts[at(c)]!, ends[at(c)]!);
        if (!Number.isFinite(v)) throw new HistogramFileError({ file: shown, line }, `${c} is '${text(b, starts[at(c)]!, ends[at(c)]!)}', not a number`);
        return v;
      };
      const run = num('run');
      const lumi = num('lumisection');
      const place = { file: shown, line, run, lumi };
      if (!Number.isInteger(run) || !Number.isInteger(lumi) || run < 0 || lumi < 0) throw new HistogramFileError({ file: shown, line }, `run ${run} and lumisection ${lumi} must be non-negative integers`);
      if (bins < 0) {
        // the first kept line sets the binning: x_bin if the file has it, else the list's length
        if (at('x_bin') >= 0) bins = num('x_bin');
        else {
          const probe = new Float32Array(0);
          bins = countValues(b, starts[at('data')]!, ends[at('data')]!, probe, place);
        }
        if (!(Number.isInteger(bins) && bins > 0)) throw new HistogramFileError(place, `the histogram has ${bins} bins: expected a positive number`);
        row = new Float32Array(bins);
        columns = new LsColumns(bins, fileBytes);
        if (at('x_min') >= 0 && at('x_max') >= 0) axis = [num('x_min'), num('x_max')];
      }
      const got = countValues(b, starts[at('data')]!, ends[at('data')]!, row, place);
      if (got !== bins) throw new HistogramFileError(place, `data has ${got} values, expected ${bins} (${at('x_bin') >= 0 ? 'x_bin' : 'as the first line of it'}; the website strips under/overflow)`);
      const bad = firstBadCount(row);
      if (bad >= 0) throw new HistogramFileError(place, `data value ${bad + 1} of ${bins} is ${describeBadCount(row[bad]!)}: bin contents must be counts ≥ 0`);
      let total = 0;
      for (let i = 0; i < bins; i++) total += row[i]!;
      const entries = at('entries') >= 0 ? num('entries') : total;
      const o = columns!.push(run, lumi, entries, line, e - s + 1, seen);
      columns!.buffer().set(row, o);
    },
    { chunkBytes: opts.chunkBytes, onProgress: opts.onProgress },
  );
  if (!col) throw new HistogramFileError({ file: shown }, 'empty file: no header');
  if (!rows) throw new HistogramFileError({ file: shown }, 'has a header but no histogram rows');
  if (!columns) {
    const listed = [...names];
    throw new HistogramFileError({ file: shown }, `no histogram titled '${title}' in its ${rows} rows; the file has: ${listed.length ? listed.slice(0, 20).join(', ') : 'no rows'}`);
  }
  const [min, max] = axis ?? [opts.x?.min ?? 0, opts.x?.max ?? bins];
  const unit = opts.x?.unit;
  return columns.finish(
    {
      title: title!,
      name: title!,
      source: { format: 'website-csv', path: shown },
      ny: 1,
      nx: bins,
      x: { min, max, label: opts.x?.label ?? (axis || opts.x?.min !== undefined ? 'x' : 'bin'), ...(unit ? { unit } : {}) },
      y: { min: 0, max: 1, label: 'entries' },
    },
    shown,
    title!,
  );
}

function countValues(b: Uint8Array, s: number, e: number, out: Float32Array, place: { file: string; line: number; run: number; lumi: number }): number {
  try {
    return parseHistoList(b, s, e, out);
  } catch (error) {
    if (error instanceof ListTokenError) throw new HistogramFileError(place, `data ${error.message}`, { cause: error });
    throw error;
  }
}
