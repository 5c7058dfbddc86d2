import * as fs from 'node:fs';
import type { HistogramSet } from '../../data';
import { HistogramFileError } from './errors';
import { forEachLine, headerColumns, numberAt, sameBytes, splitFields, text } from './line-reader';
import { LsColumns } from './ls-columns';
import { describeBadCount, histoScan, ListTokenError, parseHistoList } from './parse-histo';

/**
 * DQMIO per-lumisection CSV exports (CMS open data, ML4DQM):
 *   fromrun,fromlumi,hname,metype,histo,entries,Xmax,Xmin,Xbins,Ymax,Ymin,Ybins
 * `histo` is a quoted Python list of every bin including under/overflow: Xbins+2 values for 1D
 * (metype 3-5), (Xbins+2)·(Ybins+2) for 2D (metype 6-8), row-major with x fastest. One file may
 * hold many MEs; rows of the others are skipped by a byte compare of `hname` before their list is
 * touched. Columns are found by header name (extra or reordered columns are fine).
 */
export interface DqmioReadOptions {
  /** The monitoring element to keep (exact `hname`). */
  hname: string;
  /** The file as messages name it (default: `file`). */
  shown?: string;
  /** 'crop' (default) drops the under/overflow bins, like the pixel maps; 'keep' keeps them. */
  flow?: 'crop' | 'keep';
  chunkBytes?: number;
  onProgress?: (bytes: number, total: number) => void;
}

const REQUIRED = ['fromrun', 'fromlumi', 'hname', 'histo', 'Xmin', 'Xmax', 'Xbins'] as const;
/** At most this many other ME names are listed when the selected one is missing. */
const LIST_NAMES = 20;

interface Layout {
  metype: number;
  is2d: boolean;
  xbins: number;
  ybins: number;
  /** Values in `histo`. */
  raw: number;
  /** Bins per LS as kept. */
  d: number;
  nx: number;
  ny: number;
}

export function readDqmioCsv(file: string, opts: DqmioReadOptions): HistogramSet {
  const shown = opts.shown ?? file;
  const target = Buffer.from(opts.hname, 'utf8');
  const crop = (opts.flow ?? 'crop') === 'crop';
  const starts = new Int32Array(64);
  const ends = new Int32Array(64);
  let col: Map<string, number> | undefined;
  let nCols = 0;
  let layout: Layout | undefined;
  let columns: LsColumns | undefined;
  let row = new Float32Array(0);
  let inner = row; // a 1D row's kept bins: one view, not one per line
  let axes: { x: [number, number]; y: [number, number] } | undefined;
  let rows = 0;
  const names = new Set<string>();
  let lastName = new Uint8Array(0);
  const fileBytes = sizeOf(file);
  let idx = { run: 0, lumi: 0, hname: 0, histo: 0, entries: -1, metype: -1, xmin: 0, xmax: 0, xbins: 0, ymin: -1, ymax: -1, ybins: -1 };

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
          throw new HistogramFileError({ file: shown, line }, `not a DQMIO CSV header: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (has: ${[...col.keys()].join(', ')})`);
        }
        const at = (c: string) => col!.get(c) ?? -1;
        idx = { run: at('fromrun'), lumi: at('fromlumi'), hname: at('hname'), histo: at('histo'), entries: at('entries'), metype: at('metype'), xmin: at('Xmin'), xmax: at('Xmax'), xbins: at('Xbins'), ymin: at('Ymin'), ymax: at('Ymax'), ybins: at('Ybins') };
        return;
      }
      if (n !== nCols) throw new HistogramFileError({ file: shown, line }, `${n} fields, the header has ${nCols}`);
      rows++;
      const hs = starts[idx.hname]!;
      const he = ends[idx.hname]!;
      if (!sameBytes(b, hs, he, target)) {
        // remember the names the file has, for the "not found" message (decoded only when it changes)
        if (names.size < LIST_NAMES + 1 && !sameBytes(b, hs, he, lastName)) {
          lastName = b.slice(hs, he);
          names.add(text(b, hs, he));
        }
        return;
      }
      // helpers are module functions, not per-line closures: a closure per line (plus tsx's
      // keepNames wrapper) and a place object per line cost as much as the list parse of a 1D row
      const run = numField(b, starts, ends, idx.run, 'fromrun', shown, line);
      const lumi = numField(b, starts, ends, idx.lumi, 'fromlumi', shown, line);
      if (!isId(run) || !isId(lumi)) throw new HistogramFileError({ file: shown, line }, `fromrun ${run} and fromlumi ${lumi} must be non-negative integers`);
      const metype = idx.metype >= 0 ? numField(b, starts, ends, idx.metype, 'metype', shown, line) : NaN;
      const xbins = numField(b, starts, ends, idx.xbins, 'Xbins', shown, line);
      const ybins = idx.ybins >= 0 ? numField(b, starts, ends, idx.ybins, 'Ybins', shown, line) : 1;
      let is2d: boolean;
      if (metype !== metype) is2d = ybins > 1;
      else if (metype === 3 || metype === 4 || metype === 5) is2d = false;
      else if (metype === 6 || metype === 7 || metype === 8) is2d = true;
      else throw new HistogramFileError({ file: shown, line, run, lumi }, `unknown metype ${metype} for '${opts.hname}' (1D histograms: 3, 4, 5; 2D: 6, 7, 8)`);
      if (!(Number.isInteger(xbins) && xbins > 0) || (is2d && !(Number.isInteger(ybins) && ybins > 0))) {
        throw new HistogramFileError({ file: shown, line, run, lumi }, `Xbins ${xbins}${is2d ? ` and Ybins ${ybins}` : ''} must be positive integers`);
      }
      if (!layout) {
        const nx = crop ? xbins : xbins + 2;
        const ny = is2d ? (crop ? ybins : ybins + 2) : 1;
        layout = { metype, is2d, xbins, ybins, raw: (xbins + 2) * (is2d ? ybins + 2 : 1), d: nx * ny, nx, ny };
        row = new Float32Array(layout.raw);
        inner = crop && !is2d ? row.subarray(1, xbins + 1) : row;
        columns = new LsColumns(layout.d, fileBytes);
        const num = (k: number, what: string) => numField(b, starts, ends, k, what, shown, line);
        axes = { x: [num(idx.xmin, 'Xmin'), num(idx.xmax, 'Xmax')], y: is2d && idx.ymin >= 0 ? [num(idx.ymin, 'Ymin'), num(idx.ymax, 'Ymax')] : [0, 0] };
      } else if (is2d !== layout.is2d || xbins !== layout.xbins || (is2d && ybins !== layout.ybins)) {
        throw new HistogramFileError({ file: shown, line, run, lumi }, `'${opts.hname}' has ${shapeText(is2d, xbins, ybins)} bins here but ${shapeText(layout.is2d, layout.xbins, layout.ybins)} on the first line of it`);
      }
      const got = parseHisto(b, starts[idx.histo]!, ends[idx.histo]!, row, shown, line, run, lumi);
      if (got !== layout.raw) {
        const expected = layout.is2d ? `(Xbins ${xbins} + 2) × (Ybins ${ybins} + 2)` : `Xbins ${xbins} + 2 under/overflow`;
        throw new HistogramFileError({ file: shown, line, run, lumi }, `histo has ${got} values, expected ${layout.raw} (${expected})`);
      }
      const bad = histoScan.firstBad; // = firstBadCount(row), found by the parse
      if (bad >= 0) throw new HistogramFileError({ file: shown, line, run, lumi }, `histo value ${bad + 1} of ${layout.raw} is ${describeBadCount(row[bad]!)}: bin contents must be counts ≥ 0`);
      const entries = idx.entries >= 0 ? numField(b, starts, ends, idx.entries, 'entries', shown, line) : sum(row);
      if (!(entries >= 0)) throw new HistogramFileError({ file: shown, line, run, lumi }, `entries is ${entries}: must be ≥ 0`);
      const o = columns!.push(run, lumi, entries, line, e - s + 1, seen);
      if (!layout.is2d) columns!.buffer().set(inner, o);
      else keepBins(row, layout, crop, columns!.buffer(), o);
    },
    { chunkBytes: opts.chunkBytes, onProgress: opts.onProgress },
  );
  if (!col) throw new HistogramFileError({ file: shown }, 'empty file: no DQMIO CSV header');
  if (!layout || !columns) {
    const listed = [...names].slice(0, LIST_NAMES);
    const more = names.size > LIST_NAMES ? ', ...' : '';
    throw new HistogramFileError({ file: shown }, `no monitoring element '${opts.hname}' in its ${rows} rows; the file has: ${listed.length ? listed.join(', ') + more : 'no rows'}`);
  }
  const [xmin, xmax] = axes!.x;
  const [ymin, ymax] = axes!.y;
  return columns.finish(
    {
      title: opts.hname,
      name: opts.hname,
      source: { format: 'dqmio-csv', path: shown, metype: Number.isNaN(layout.metype) ? undefined : layout.metype },
      ny: layout.ny,
      nx: layout.nx,
      // with the flow bins kept, the axis spans them too (one bin width on each side)
      x: { min: crop ? xmin : xmin - (xmax - xmin) / layout.xbins, max: crop ? xmax : xmax + (xmax - xmin) / layout.xbins, label: 'x' },
      y: layout.is2d ? { min: crop ? ymin : ymin - (ymax - ymin) / layout.ybins, max: crop ? ymax : ymax + (ymax - ymin) / layout.ybins, label: 'y' } : { min: 0, max: 1, label: 'entries' },
    },
    shown,
    opts.hname,
  );
}

/** The kept bins of one parsed 2D `histo` row into the set's buffer at `o` (1D rows are one view). */
function keepBins(row: Float32Array, l: Layout, crop: boolean, out: Float32Array, o: number): void {
  if (!crop) out.set(row, o);
  else {
    const w = l.xbins + 2;
    for (let y = 1; y <= l.ybins; y++) out.set(row.subarray(y * w + 1, y * w + 1 + l.xbins), o + (y - 1) * l.xbins);
  }
}

/** The number in field `k` of a line, or an error naming the column (`what`) and the text. */
function numField(b: Uint8Array, starts: Int32Array, ends: Int32Array, k: number, what: string, shown: string, line: number): number {
  const v = numberAt(b, starts[k]!, ends[k]!);
  if (!Number.isFinite(v)) throw new HistogramFileError({ file: shown, line }, `${what} is '${text(b, starts[k]!, ends[k]!)}', not a number`);
  return v;
}

/** parseHistoList with a bad token reported at its place (the try/catch kept out of the line callback). */
function parseHisto(b: Uint8Array, s: number, e: number, row: Float32Array, shown: string, line: number, run: number, lumi: number): number {
  try {
    return parseHistoList(b, s, e, row);
  } catch (error) {
    if (error instanceof ListTokenError) throw new HistogramFileError({ file: shown, line, run, lumi }, `histo ${error.message}`, { cause: error });
    throw error;
  }
}

function shapeText(is2d: boolean, xbins: number, ybins: number): string {
  return is2d ? `${xbins}×${ybins}` : `${xbins}`;
}

function isId(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1;
}

function sum(row: Float32Array): number {
  let s = 0;
  for (let i = 0; i < row.length; i++) s += row[i]!;
  return s;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0; // forEachLine reports the missing file
  }
}
