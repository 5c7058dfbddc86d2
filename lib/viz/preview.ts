import { isHistogramSet, mapOf, type HistogramSet, type HistogramSetHeader, columnNames, isTable, tableToRows } from '../data';
import { VizError } from './errors';
import type { DatasetStats, Preview } from '../graph';
import type { DevelopMask } from './develop-mask';
import { histogram1dPreview } from './histogram-preview';
import { yieldIfLong } from './time-slice';

export const PREVIEW_ROWS = 20;
const JSON_ITEMS = 50;
const TEXT_CHARS = 5000;
/** A table cell longer than this (a raw map as a Python list literal) is cut. */
const CELL_CHARS = 160;

/** Stats that describe the loaded value: rows/columns of a table, LS count and shape of histograms. */
export function statsOf(value: unknown): DatasetStats {
  if (isTable(value)) return { rows: value.rowCount, columns: columnNames(value).length };
  if (isHistogramSet(value)) return { ls_count: value.run.length, shape: [value.ny, value.nx] };
  if (Array.isArray(value)) return { rows: value.length };
  if (isPartitions(value)) return { rows: Object.keys(value).length };
  return {};
}

/**
 * A preview the page can draw, chosen from what the value is. `ls` picks a lumisection of a
 * HistogramSet; `develop` (the task's develop LS) makes a 1D set's reference.
 */
export function previewOf(value: unknown, opts: { ls?: number; develop?: DevelopMask | null } = {}): Preview {
  if (isTable(value)) {
    return { kind: 'table', columns: columnNames(value), rows: tableToRows(value, PREVIEW_ROWS).map(cleanRow), rowCount: value.rowCount };
  }
  if (isHistogramSet(value)) return value.ny === 1 ? histogram1dPreview(value, opts.ls ?? 0, opts.develop ?? null) : heatmapPreview(value, opts.ls ?? 0);
  if (isPng(value)) return { kind: 'image', src: `data:image/png;base64,${Buffer.from(value).toString('base64')}`, ...pngSize(value) };
  if (isPlotlyFigure(value)) return { kind: 'plotly', figure: value };
  if (typeof value === 'string') return { kind: 'text', text: value.length > TEXT_CHARS ? `${value.slice(0, TEXT_CHARS)}…` : value };
  if (value === undefined) return { kind: 'none', reason: 'The dataset holds no value' };
  if (isPartitions(value)) {
    const names = Object.keys(value).sort();
    return { kind: 'table', columns: ['partition'], rows: names.slice(0, PREVIEW_ROWS).map((partition) => ({ partition })), rowCount: names.length };
  }
  const state = { truncated: false };
  return { kind: 'json', value: truncate(value, 4, state), truncated: state.truncated };
}

export function heatmapPreview(h: HistogramSet, ls: number): Preview {
  if (!h.run.length) return { kind: 'none', reason: `Histogram set '${h.title}' has no lumisections` };
  checkLs(h, ls);
  return heatmapOfMap(h, ls, mapOf(h, ls));
}

/** Stats of a set known by its header (a one-LS read): no maps needed. */
export function statsOfHeader(h: HistogramSetHeader): DatasetStats {
  return { ls_count: h.run.length, shape: [h.ny, h.nx] };
}

/** The heatmap of LS `ls` from the set's header and that LS's map (read alone from the file). */
export function heatmapOfMap(h: HistogramSetHeader, ls: number, map: Float32Array): Preview {
  const z: number[][] = [];
  for (let y = 0; y < h.ny; y++) z.push(rowOf(h, map, y));
  return heatmapWith(h, ls, z);
}

/**
 * heatmapOfMap, the same preview, built a few milliseconds at a time with the event loop free in
 * between: a 200 × 300 map is 60,000 rounded numbers, and the 16 previews a run's rewrite of a
 * layer file invalidates at once stalled every other request of the dashboard (bench:load).
 */
export async function heatmapOfMapInSlices(h: HistogramSetHeader, ls: number, map: Float32Array): Promise<Preview> {
  const z: number[][] = [];
  for (let y = 0; y < h.ny; y++) {
    z.push(rowOf(h, map, y));
    await yieldIfLong();
  }
  return heatmapWith(h, ls, z);
}

function rowOf(h: HistogramSetHeader, map: Float32Array, y: number): number[] {
  return Array.from(map.subarray(y * h.nx, (y + 1) * h.nx), round);
}

function heatmapWith(h: HistogramSetHeader, ls: number, z: number[][]): Preview {
  return {
    kind: 'heatmap',
    title: h.title,
    ls,
    lsCount: h.run.length,
    run: h.run[ls]!,
    lumi: h.lumi[ls]!,
    entries: h.entries[ls]!,
    x: { ...h.x },
    y: { ...h.y },
    z,
    zLabel: zLabelOf(h),
    lsRuns: Array.from(h.run),
    lsLumis: Array.from(h.lumi),
    lsEntries: Array.from(h.entries, round),
  };
}

/** Throws the dashboard's BAD_LS error when `ls` is not an index of the set. */
export function checkLs(h: Pick<HistogramSetHeader, 'title' | 'run'>, ls: number): void {
  const count = h.run.length;
  if (!Number.isInteger(ls) || ls < 0 || ls >= count) {
    throw new VizError(`LS index ${ls} is out of range: '${h.title}' has ${count} lumisections (0..${count - 1})`, { code: 'BAD_LS' });
  }
}

/** What a bin of the set counts, for the colour bar. */
function zLabelOf(h: Pick<HistogramSetHeader, 'normalisation' | 'title'>): string {
  if (h.normalisation === 'entries') return 'fraction of entries';
  if (h.normalisation === 'max') return 'fraction of the maximum';
  return /cluster/i.test(h.title) ? 'clusters' : 'entries';
}

/** One lumisection's map as raw float32 (ny × nx, row-major): what the LS slider fetches. */
export function lsMapOf(h: HistogramSet, ls: number): Float32Array {
  checkLs(h, ls);
  return mapOf(h, ls);
}

/**
 * A partitioned dataset loads as `{partition: () => Promise<data>}`: its partitions, and the
 * contents of one (`partition`, else the first) previewed as any value.
 */
export async function partitionsPreview(value: Record<string, () => unknown>, partition?: string): Promise<Preview> {
  const names = Object.keys(value).sort();
  const shown = partition && names.includes(partition) ? partition : names[0]!;
  let inner: Preview;
  try {
    inner = previewOf(await value[shown]!());
  } catch (error) {
    inner = { kind: 'none', reason: `Could not load partition '${shown}' for preview: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { kind: 'partitions', names: names.slice(0, 200), count: names.length, shown, preview: inner };
}

function round(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : 0;
}

function cleanRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = cleanCell(v);
  return out;
}

/**
 * A cell as the page shows it. Bytes (a raw map read with `text_as_bytes`: the Python list
 * literal, 2 MB a row) are shown as their text, cut like strings: JSON would write a
 * Uint8Array as {"0":91,"1":48,…}, 45 MB for a 20-row preview (bench:load).
 */
function cleanCell(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string' && v.length > CELL_CHARS) return `${v.slice(0, CELL_CHARS)}… (${v.length.toLocaleString('en')} characters)`;
  if (v instanceof Uint8Array) {
    const text = Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, CELL_CHARS)).toString('latin1');
    return v.byteLength > CELL_CHARS ? `${text}… (${v.byteLength.toLocaleString('en')} bytes)` : text;
  }
  return v;
}

/** A partitioned dataset loads as `{partition: () => Promise<data>}`: list the partitions, load none. */
export function isPartitions(v: unknown): v is Record<string, () => unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const values = Object.values(v);
  return values.length > 0 && values.every((x) => typeof x === 'function');
}

function isPng(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array && v.length > 8 && v[0] === 0x89 && v[1] === 0x50 && v[2] === 0x4e && v[3] === 0x47;
}

function pngSize(v: Uint8Array): { width?: number; height?: number } {
  if (v.length < 24) return {};
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

function isPlotlyFigure(v: unknown): v is { data: unknown[]; layout?: Record<string, unknown> } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { data?: unknown }).data) && ((v as { data: unknown[] }).data.length === 0 || typeof (v as { data: unknown[] }).data[0] === 'object');
}

/** JSON-safe copy, cut at `depth` levels and JSON_ITEMS items per array/object. */
function truncate(v: unknown, depth: number, state: { truncated: boolean }): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'function') return '[function]';
  if (typeof v !== 'object') return String(v);
  if (depth <= 0) {
    state.truncated = true;
    return Array.isArray(v) || ArrayBuffer.isView(v) ? '[…]' : '{…}';
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) v = Array.from(v as unknown as ArrayLike<number>);
  if (v instanceof Map) v = Object.fromEntries(v);
  if (Array.isArray(v)) {
    if (v.length > JSON_ITEMS) state.truncated = true;
    return v.slice(0, JSON_ITEMS).map((x) => truncate(x, depth - 1, state));
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > JSON_ITEMS) state.truncated = true;
  return Object.fromEntries(entries.slice(0, JSON_ITEMS).map(([k, x]) => [k, truncate(x, depth - 1, state)]));
}
