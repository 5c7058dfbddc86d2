import { isBlockReadable, materialise } from 'dqm-playground-ds/data';

/**
 * Map strategies (mean distance, PCA, NMF) index any develop or apply LS's map at will, so a
 * file-backed layer (the lazy `preprocessed_raw_pixel_layer_N`) is read whole into memory here,
 * explicitly, before the node runs: one layer at a time, as before the streamed preprocessing.
 * Argument `at` is the layer's position; a table or an in-memory set passes through.
 */
export function withLayerInMemory<A extends unknown[], R>(fn: (...args: A) => R, at: number): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const data = args[at];
    if (isBlockReadable(data)) args[at] = (await materialise(data)) as A[number];
    return fn(...args);
  };
}
