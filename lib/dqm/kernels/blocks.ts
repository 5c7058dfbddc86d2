import { forEachBlock, type AnyHistogramSet, type HistogramSet } from '../../data';

/**
 * A per-LS kernel (one result per LS, `width` numbers each, row-major) run over the blocks of a
 * set and its results joined. Each LS's numbers come from the same loop over the same map
 * whatever the block, so the result is the kernel's on the whole set, bit for bit; an
 * in-memory set is one block and its result is returned as is.
 */
export function perLsOverBlocks<K extends string>(set: AnyHistogramSet, kernel: (block: HistogramSet) => Record<K, Float64Array>, width = 1): Record<K, Float64Array> {
  const n = set.run.length;
  let out: Record<K, Float64Array> | undefined;
  forEachBlock(set, (block, start) => {
    const part = kernel(block);
    if (start === 0 && block.run.length === n) {
      out = part;
      return;
    }
    out ??= Object.fromEntries(Object.keys(part).map((k) => [k, new Float64Array(n * width)])) as Record<K, Float64Array>;
    for (const k of Object.keys(part) as K[]) out[k].set(part[k], start * width);
  });
  return out ?? (kernel({ ...set, kind: 'histogram-set', values: new Float32Array(0) } as HistogramSet) as Record<K, Float64Array>);
}
