import { AsyncLocalStorage } from 'node:async_hooks';
import type { HistogramSet, HistogramSetHeader } from '../data';
import { withAtomicPath } from '../io';
import { buildHistogramSet, cropOf, normaliseMap, selectAndSort, type BuildOptions } from './build-histogram-set';
import { EmptyInputError } from './errors';
import { openAppendingSet, streamBatchLs, writeHistogramSetH5Streamed } from './hdf5/stream-write';
import { parseMapCropped } from './parse-map';
import { partitionsOf, rawPartitions, type RawMaps } from './raw-partitions';
import { withScratch } from './scratch';

/** Maps parsed before they go to the scratch file in one write (64 pixel maps: 15 MB). */
const PARSE_BLOCK_LS = 64;

/**
 * buildHistogramSet's result written straight to an HDF5 file, never whole in memory. Input in
 * (run, lumi) order goes straight to the file (streamInOrder); otherwise each raw
 * partition's maps are parsed into a small block and appended to a scratch file beside `file`;
 * only run, lumi, entries and the raw sums of squares stay in memory. Then the LS are sorted by
 * (run, lumi), duplicates dropped (first kept, warning), the low-statistics filter and the
 * normalisation applied while the maps are read back from scratch, batch by batch, into the
 * final file: the same bytes as writing the built set (the same writer, hdf5/stream-write.ts).
 * Atomic: a temp file renamed over `file`; on any failure the old file stays and the scratch
 * file is removed. An input with no LS to keep is an EmptyInputError and nothing is written.
 */
export async function streamHistogramSet(raw: RawMaps, options: BuildOptions, file: string, shown = file): Promise<HistogramSetHeader> {
  try {
    return await streamInOrder(raw, options, file, shown);
  } catch (error) {
    if (!(error instanceof NotInOrder)) throw error;
  }
  return streamThroughScratch(raw, options, file, shown);
}

/** streamInOrder met a lumisection out of (run, lumi) order, or a duplicate: the scratch path takes over. */
class NotInOrder extends Error {}

/**
 * The first try: input in (run, lumi) order, as the simulator, DQMIO exports and the website
 * give it, needs no sorting, has no duplicates, and its low-statistics filter and normalisation
 * are per LS, so each parsed map goes straight to the output file's /values. No scratch file:
 * at 5,000 LS × 4 layers that is 4.8 GB written and read back that are not (bench:dqm). The
 * first LS out of order abandons the attempt (temp file removed) for the scratch path.
 */
async function streamInOrder(raw: RawMaps, options: BuildOptions, file: string, shown: string): Promise<HistogramSetHeader> {
  const { crop, shape, size } = cropOf(options);
  const parts = partitionsOf(raw, options.dataset);
  const files = parts.map(([, , source]) => source);
  const how = options.normalisation ?? 'none';
  const min = options.minEntries ?? 0;
  let header: HistogramSetHeader | undefined;
  await withAtomicPath(file, async (tmp) => {
    const out = await openAppendingSet(tmp, shape, shown);
    try {
      const run: number[] = [];
      const lumi: number[] = [];
      const entries: number[] = [];
      const sumSq: number[] = [];
      const block = new Float32Array(PARSE_BLOCK_LS * size);
      let inBlock = 0;
      let seen = 0;
      let low = 0;
      let lastRun = -Infinity;
      let lastLumi = -Infinity;
      let estimate = 0;
      for await (const part of rawPartitions(parts, options.dataset)) {
        estimate = Math.max(seen + part.rows, Math.ceil(((seen + part.rows) / (part.index + 1)) * part.count));
        for (let r = 0; r < part.rows; r++) {
          const runNo = part.run(r);
          const lumiNo = part.lumi(r);
          if (runNo < lastRun || (runNo === lastRun && lumiNo <= lastLumi)) throw new NotInOrder();
          lastRun = runNo;
          lastLumi = lumiNo;
          const map = block.subarray(inBlock * size, (inBlock + 1) * size);
          const m = parseMapCropped(part.map(r), block, inBlock * size, crop, { run: runNo, lumi: lumiNo, source: part.where, row: r });
          if ((++seen & 63) === 0) options.onProgress?.(seen, Math.max(estimate, seen));
          if (m.sum < min) {
            low++;
            continue;
          }
          normaliseMap(map, m.sum, how);
          run.push(runNo);
          lumi.push(lumiNo);
          entries.push(m.sum);
          sumSq.push(m.sumSq);
          if (++inBlock === PARSE_BLOCK_LS) {
            out.append(block);
            inBlock = 0;
          }
        }
      }
      if (inBlock) out.append(block.subarray(0, inBlock * size));
      options.onProgress?.(seen, seen);
      if (seen === 0) throw new EmptyInputError(options.dataset, files);
      if (!run.length) throw new EmptyInputError(options.dataset, files, { rows: seen, minEntries: min });
      if (low) options.onWarning?.(`${options.dataset}: dropped ${low} lumisection${low > 1 ? 's' : ''} with fewer than ${min} entries (min_entries)`);
      header = {
        ...shape,
        run: Int32Array.from(run),
        lumi: Int32Array.from(lumi),
        entries: Float64Array.from(entries),
        rawSumSq: Float64Array.from(sumSq),
        rawBins: crop.rows * crop.cols,
        normalisation: how,
        source: { format: 'pickle' },
      };
      out.finish(header);
    } finally {
      out.close();
    }
  });
  return header!;
}

/** The general path: maps parked in a scratch file in parse order, then sorted, deduplicated, filtered and normalised into the output. */
async function streamThroughScratch(raw: RawMaps, options: BuildOptions, file: string, shown: string): Promise<HistogramSetHeader> {
  const { crop, shape, size } = cropOf(options);
  const parts = partitionsOf(raw, options.dataset);
  const files = parts.map(([, , source]) => source);
  return withScratch(file, size, async (scratch) => {
    const run: number[] = [];
    const lumi: number[] = [];
    const entries: number[] = [];
    const sumSq: number[] = [];
    const block = new Float32Array(PARSE_BLOCK_LS * size);
    let inBlock = 0;
    let estimate = 0;
    for await (const part of rawPartitions(parts, options.dataset)) {
      estimate = Math.max(run.length + part.rows, Math.ceil(((run.length + part.rows) / (part.index + 1)) * part.count));
      for (let r = 0; r < part.rows; r++) {
        const runNo = part.run(r);
        const lumiNo = part.lumi(r);
        const m = parseMapCropped(part.map(r), block, inBlock * size, crop, { run: runNo, lumi: lumiNo, source: part.where, row: r });
        run.push(runNo);
        lumi.push(lumiNo);
        entries.push(m.sum);
        sumSq.push(m.sumSq);
        if (++inBlock === PARSE_BLOCK_LS) {
          scratch.append(block);
          inBlock = 0;
        }
        const n = run.length;
        if ((n & 63) === 0) options.onProgress?.(n, Math.max(estimate, n));
      }
    }
    if (inBlock) scratch.append(block.subarray(0, inBlock * size));
    const n = run.length;
    options.onProgress?.(n, n);
    if (n === 0) throw new EmptyInputError(options.dataset, files);
    const keep = selectAndSort(Int32Array.from(run), Int32Array.from(lumi), Float64Array.from(entries), options);
    if (!keep.length) throw new EmptyInputError(options.dataset, files, { rows: n, minEntries: options.minEntries ?? 0 });
    const how = options.normalisation ?? 'none';
    const header: HistogramSetHeader = {
      ...shape,
      run: Int32Array.from(keep, (i) => run[i]!),
      lumi: Int32Array.from(keep, (i) => lumi[i]!),
      entries: Float64Array.from(keep, (i) => entries[i]!),
      rawSumSq: Float64Array.from(keep, (i) => sumSq[i]!),
      rawBins: crop.rows * crop.cols,
      normalisation: how,
      source: { format: 'pickle' },
    };
    const batch = streamBatchLs(shape);
    const buffer = new Float32Array(Math.min(keep.length, batch) * size);
    const fill = (start: number, end: number): Float32Array => {
      for (let j = start; j < end; j++) {
        const map = buffer.subarray((j - start) * size, (j - start + 1) * size);
        scratch.read(keep[j]!, map);
        normaliseMap(map, header.entries[j]!, how);
      }
      return buffer.subarray(0, (end - start) * size);
    };
    await withAtomicPath(file, (tmp) => writeHistogramSetH5Streamed(tmp, header, fill, shown, batch));
    return header;
  });
}

/**
 * What data_processing returns for a layer: the recipe of a set, made when a dataset saves it
 * (HistogramSetDataset streams it to its file). `materialise()` builds it in memory instead,
 * for a caller with no file (tests, a memory dataset).
 */
export interface HistogramSetStream {
  readonly kind: 'histogram-set-stream';
  /** The raw dataset it is built from, for messages. */
  readonly dataset: string;
  writeTo(file: string, shown?: string): Promise<HistogramSetHeader>;
  materialise(): Promise<HistogramSet>;
  /** The header last written (run store: LS count and ranges of the saved dataset). */
  readonly written?: HistogramSetHeader;
}

export function histogramSetStream(raw: RawMaps, options: BuildOptions): HistogramSetStream {
  // The save runs after the node returned: keep the node's context, so its progress still shows.
  const inNodeContext = AsyncLocalStorage.snapshot();
  const stream: { -readonly [K in keyof HistogramSetStream]: HistogramSetStream[K] } = {
    kind: 'histogram-set-stream',
    dataset: options.dataset,
    writeTo: async (file, shown) => (stream.written = await inNodeContext(() => streamHistogramSet(raw, options, file, shown))),
    materialise: () => inNodeContext(() => buildHistogramSet(raw, options)),
  };
  return stream;
}

export function isHistogramSetStream(value: unknown): value is HistogramSetStream {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'histogram-set-stream';
}
