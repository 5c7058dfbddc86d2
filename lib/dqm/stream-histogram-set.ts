import { AsyncLocalStorage } from 'node:async_hooks';
import type { HistogramSet, HistogramSetHeader, HistogramSetShape } from '../data';
import { withAtomicPath } from '../io';
import { buildHistogramSet, cropOf, normaliseMap, selectAndSort, warnLowStatistics, type BuildOptions } from './build-histogram-set';
import { EmptyInputError } from './errors';
import { openAppendingSet, streamBatchLs, writeHistogramSetH5Streamed } from './hdf5/stream-write';
import { parseMapCropped, type MapCrop } from './parse-map';
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

/** What both paths start from: the crop and shape, the partitions, and their files (for messages). */
function inputsOf(raw: RawMaps, options: BuildOptions) {
  const parts = partitionsOf(raw, options.dataset);
  return { ...cropOf(options), parts, files: parts.map(([, , source]) => source) };
}

/** The per-LS columns held in memory while the maps stream to disk, in parse order. */
class LsColumns {
  readonly run: number[] = [];
  readonly lumi: number[] = [];
  readonly entries: number[] = [];
  readonly sumSq: number[] = [];

  push(run: number, lumi: number, parsed: { sum: number; sumSq: number }): void {
    this.run.push(run);
    this.lumi.push(lumi);
    this.entries.push(parsed.sum);
    this.sumSq.push(parsed.sumSq);
  }

  get length(): number {
    return this.run.length;
  }

  /** The set's header of the rows `keep` (parse-order indexes), in that order. */
  header(shape: HistogramSetShape, crop: MapCrop, options: BuildOptions, keep: number[]): HistogramSetHeader {
    return {
      ...shape,
      run: Int32Array.from(keep, (i) => this.run[i]!),
      lumi: Int32Array.from(keep, (i) => this.lumi[i]!),
      entries: Float64Array.from(keep, (i) => this.entries[i]!),
      rawSumSq: Float64Array.from(keep, (i) => this.sumSq[i]!),
      rawBins: crop.rows * crop.cols,
      normalisation: options.normalisation ?? 'none',
      source: { format: 'pickle' },
    };
  }
}

/**
 * The first try: input in (run, lumi) order, as the simulator, DQMIO exports and the website
 * give it, needs no sorting, has no duplicates, and its low-statistics filter and normalisation
 * are per LS, so each parsed map goes straight to the output file's /values. No scratch file:
 * at 5,000 LS × 4 layers that is 4.8 GB written and read back that are not (bench:dqm). The
 * first LS out of order abandons the attempt (temp file removed) for the scratch path.
 */
async function streamInOrder(raw: RawMaps, options: BuildOptions, file: string, shown: string): Promise<HistogramSetHeader> {
  const { crop, shape, size, parts, files } = inputsOf(raw, options);
  const how = options.normalisation ?? 'none';
  const min = options.minEntries ?? 0;
  let header: HistogramSetHeader | undefined;
  await withAtomicPath(file, async (tmp) => {
    const out = await openAppendingSet(tmp, shape, shown);
    try {
      const kept = new LsColumns();
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
          const m = parseMapCropped(part.map(r), block, inBlock * size, crop, { run: runNo, lumi: lumiNo, source: part.where, row: r });
          if ((++seen & 63) === 0) options.onProgress?.(seen, Math.max(estimate, seen));
          if (m.sum < min) {
            low++;
            continue;
          }
          normaliseMap(block.subarray(inBlock * size, (inBlock + 1) * size), m.sum, how);
          kept.push(runNo, lumiNo, m);
          if (++inBlock === PARSE_BLOCK_LS) {
            out.append(block);
            inBlock = 0;
          }
        }
      }
      if (inBlock) out.append(block.subarray(0, inBlock * size));
      options.onProgress?.(seen, seen);
      if (seen === 0) throw new EmptyInputError(options.dataset, files);
      if (!kept.length) throw new EmptyInputError(options.dataset, files, { rows: seen, minEntries: min });
      warnLowStatistics(options, low);
      header = kept.header(shape, crop, options, Array.from({ length: kept.length }, (_, i) => i));
      out.finish(header);
    } finally {
      out.close();
    }
  });
  return header!;
}

/** The general path: maps parked in a scratch file in parse order, then sorted, deduplicated, filtered and normalised into the output. */
async function streamThroughScratch(raw: RawMaps, options: BuildOptions, file: string, shown: string): Promise<HistogramSetHeader> {
  const { crop, shape, size, parts, files } = inputsOf(raw, options);
  return withScratch(file, size, async (scratch) => {
    const parsed = new LsColumns();
    const block = new Float32Array(PARSE_BLOCK_LS * size);
    let inBlock = 0;
    let estimate = 0;
    for await (const part of rawPartitions(parts, options.dataset)) {
      estimate = Math.max(parsed.length + part.rows, Math.ceil(((parsed.length + part.rows) / (part.index + 1)) * part.count));
      for (let r = 0; r < part.rows; r++) {
        const runNo = part.run(r);
        const lumiNo = part.lumi(r);
        const m = parseMapCropped(part.map(r), block, inBlock * size, crop, { run: runNo, lumi: lumiNo, source: part.where, row: r });
        parsed.push(runNo, lumiNo, m);
        if (++inBlock === PARSE_BLOCK_LS) {
          scratch.append(block);
          inBlock = 0;
        }
        const n = parsed.length;
        if ((n & 63) === 0) options.onProgress?.(n, Math.max(estimate, n));
      }
    }
    if (inBlock) scratch.append(block.subarray(0, inBlock * size));
    const n = parsed.length;
    options.onProgress?.(n, n);
    if (n === 0) throw new EmptyInputError(options.dataset, files);
    const keep = selectAndSort(Int32Array.from(parsed.run), Int32Array.from(parsed.lumi), Float64Array.from(parsed.entries), options);
    if (!keep.length) throw new EmptyInputError(options.dataset, files, { rows: n, minEntries: options.minEntries ?? 0 });
    const how = options.normalisation ?? 'none';
    const header = parsed.header(shape, crop, options, keep);
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
