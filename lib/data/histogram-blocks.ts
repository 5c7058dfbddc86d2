import type { HistogramSet, HistogramSetHeader } from './histogram-set';

/**
 * A set whose maps stay on disk (a file-backed HDF5 set): the header in memory, the maps read
 * block by block. Kernels that visit each LS once iterate blocks instead of indexing `values`;
 * a consumer that needs random access over all maps calls `materialise()` (and pays the memory).
 */
export interface BlockReadableHistogramSet extends HistogramSetHeader {
  readonly kind: 'block-histogram-set';
  /**
   * Calls `fn` with consecutive blocks of at most `blockLs` lumisections, in order: each block a
   * HistogramSet of those LS (run, lumi, entries, rawSumSq views; its own `values`), and the
   * index of its first LS. Synchronous, so kernels stay plain loops.
   */
  forEachBlock(blockLs: number, fn: (block: HistogramSet, start: number) => void): void;
  /** Every map in one HistogramSet (reads the whole file). */
  materialise(): Promise<HistogramSet>;
}

/** An in-memory set or a block-readable one: what the feature kernels accept. */
export type AnyHistogramSet = HistogramSet | BlockReadableHistogramSet;

/** LS per block when a set is read from disk: 16 pixel maps are 3.8 MB. */
export const DEFAULT_BLOCK_LS = 16;

export function isBlockReadable(value: unknown): value is BlockReadableHistogramSet {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'block-histogram-set';
}

/**
 * The blocks of either kind of set: an in-memory set is ONE block (the kernels' loops run over
 * it exactly as before, so results are bit-identical); a block-readable set reads its blocks.
 */
export function forEachBlock(set: AnyHistogramSet, fn: (block: HistogramSet, start: number) => void, blockLs = DEFAULT_BLOCK_LS): void {
  if (isBlockReadable(set)) set.forEachBlock(blockLs, fn);
  else fn(set, 0);
}

/** The set with all its maps in memory (a no-op for an in-memory set). */
export async function materialise(set: AnyHistogramSet): Promise<HistogramSet> {
  return isBlockReadable(set) ? set.materialise() : set;
}

/**
 * run and lumi of a set in any form the run store meets after a save: in memory, file-backed,
 * or data_processing's streamed set once written (it keeps the header it wrote as `written`).
 */
export function lumisectionsOf(value: unknown): { run: Int32Array; lumi: Int32Array } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { kind?: unknown; run?: unknown; lumi?: unknown; written?: { run?: unknown; lumi?: unknown } };
  const h = v.kind === 'histogram-set' || v.kind === 'block-histogram-set' ? v : v.kind === 'histogram-set-stream' ? v.written : undefined;
  return h && h.run instanceof Int32Array && h.lumi instanceof Int32Array ? { run: h.run, lumi: h.lumi } : undefined;
}
