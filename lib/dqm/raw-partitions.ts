import { isTable, type ColumnData, type Table } from '../data';
import { ReusableBuffer, type PartitionLoader } from '../io';
import { HistogramError } from './errors';

/** One raw dataset: a Table (one pickle) or a PartitionedDataset's `{ id: loader }` record. */
export type RawMaps = Table | Record<string, unknown>;

/** One loaded partition: its rows' run, lumi and map text, checked as they are read. */
export interface RawPartition {
  /** For messages: `raw_pixel_layer_1[run_316187]`, or the dataset's name when it is one table. */
  where: string;
  /** Index among the partitions, and how many there are. */
  index: number;
  count: number;
  rows: number;
  run(r: number): number;
  lumi(r: number): number;
  map(r: number): string | Uint8Array;
}

/**
 * `[id, load, source, loadInto]`: source is the partition's file when its loader says
 * (PartitionLoader), for messages; loadInto when its loader can read into a buffer of ours.
 */
export type PartitionEntry = [string, () => Promise<unknown>, string, ((buffer: ReusableBuffer) => Promise<unknown>)?];

export function partitionsOf(raw: RawMaps, dataset: string): PartitionEntry[] {
  if (isTable(raw)) return [['', async () => raw, dataset]];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HistogramError(`Dataset '${dataset}' must be a table (one pickle) or a partitioned dataset, got ${describe(raw)}`, { code: 'BAD_RAW_DATA' });
  }
  const ids = Object.keys(raw).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!ids.length) throw new HistogramError(`Partitioned dataset '${dataset}' has no partitions`, { code: 'BAD_RAW_DATA' });
  return ids.map((id) => {
    const v = (raw as Record<string, unknown>)[id];
    // Called through its loader (not detached), as PartitionLoader declares it.
    const loader = v as Partial<Pick<PartitionLoader<unknown>, 'loadInto'>> | undefined;
    const loadInto = typeof v === 'function' && typeof loader?.loadInto === 'function' ? (buffer: ReusableBuffer) => loader.loadInto!(buffer) : undefined;
    return [id, async () => (typeof v === 'function' ? await (v as () => unknown)() : v), sourceOf(v, `${dataset}[${id}]`), loadInto];
  });
}

/**
 * The partitions in id order, loaded one at a time: the next partition's file is read (threadpool
 * I/O) while this one is parsed (main thread); its decoding still waits for the parse, so at most
 * one more raw file is held in memory. Pickle partitions are read into two buffers in turn (the
 * next partition's file into the one the previous used), not a new buffer per file: a
 * partition's map texts are views of its file, valid until the loop asks for the next partition
 * but one; map() of an older partition is an error, never another partition's bytes.
 */
export async function* rawPartitions(parts: PartitionEntry[], dataset: string): AsyncGenerator<RawPartition> {
  const buffers = [new ReusableBuffer(), new ReusableBuffer()];
  const load = (p: number) => {
    const [, plain, , into] = parts[p]!;
    return prefetch(into ? () => into(buffers[p % 2]!) : plain);
  };
  let next = parts.length ? load(0) : undefined;
  let current = 0;
  for (let p = 0; p < parts.length; p++) {
    current = p;
    const [id] = parts[p]!;
    const where = parts.length > 1 || id !== '' ? `${dataset}[${id}]` : dataset;
    const t = await next!;
    next = p + 1 < parts.length ? load(p + 1) : undefined;
    if (!isTable(t)) throw new HistogramError(`Partition ${where} is not a table (got ${describe(t)}); expected columns run, lumi, map`, { code: 'BAD_RAW_DATA' });
    const cols = mapColumns(t, where);
    yield {
      where,
      index: p,
      count: parts.length,
      rows: t.rowCount,
      run: (r) => integerAt(cols.run, r, 'run', where),
      lumi: (r) => integerAt(cols.lumi, r, 'lumi', where),
      map: (r) => {
        if (current !== p) throw new Error(`internal: a map of ${where} read after the loop moved on to partition ${current + 1} of ${parts.length} (its buffer is being reused)`);
        const text: unknown = cols.map[r];
        if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
          throw new HistogramError(`Row ${r} of ${where} (LS ${cols.run[r]}:${cols.lumi[r]}): the map is ${describe(text)}, expected a list string (or its bytes)`, { code: 'BAD_RAW_DATA' });
        }
        return text;
      },
    };
  }
}

/** Starts a load now; a failure surfaces when the loop awaits it, not as an unhandled rejection. */
function prefetch(load: () => Promise<unknown>): Promise<unknown> {
  const pending = load();
  pending.catch(() => undefined);
  return pending;
}

/** A partition loader's file (PartitionedDataset sets `filepath` on it), else `fallback`. */
export function sourceOf(loader: unknown, fallback: string): string {
  const f = typeof loader === 'function' ? (loader as { filepath?: unknown }).filepath : undefined;
  return typeof f === 'string' && f !== '' ? f : fallback;
}

function mapColumns(t: Table, where: string): { run: ColumnData; lumi: ColumnData; map: ColumnData } {
  const missing = ['run', 'lumi', 'map'].filter((c) => !(c in t.columns));
  if (missing.length) {
    throw new HistogramError(`${where} lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (has: ${Object.keys(t.columns).join(', ') || 'none'})`, { code: 'BAD_RAW_DATA' });
  }
  return { run: t.columns.run!, lumi: t.columns.lumi!, map: t.columns.map! };
}

function integerAt(col: ColumnData, r: number, name: string, where: string): number {
  const v = col[r];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1) {
    throw new HistogramError(`Row ${r} of ${where}: ${name} is ${JSON.stringify(v)}, expected a non-negative integer`, { code: 'BAD_RAW_DATA' });
  }
  return v;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as { kind?: string }).kind ? `a ${(v as { kind: string }).kind}` : 'an object';
  return typeof v;
}
