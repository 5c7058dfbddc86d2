import type h5wasmModule from 'h5wasm/node';
import { DatasetError } from '../../io';

export type H5wasm = typeof h5wasmModule;
export type H5File = InstanceType<H5wasm['File']>;
export type H5Dataset = InstanceType<H5wasm['Dataset']>;

/** The 8 bytes every HDF5 file starts with (the superblock signature at offset 0). */
export const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Arrays move between JS and the wasm heap (≈ 2 GiB at most) in batches of about this size: measured
 * on a 240 MB set, 16 MiB batches load in 1.6 s and 64 MiB in 1.0 s (a plain readFileSync: 0.8 s). */
export const BATCH_BYTES = 64 << 20;

let ready: Promise<H5wasm> | undefined;

/** The few calls of h5wasm's emscripten module that a block reader uses (h5wasm's own slice() is built on them). */
export interface H5Module {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  get_dataset_data(fileId: bigint, path: string, count: bigint[], offset: bigint[], strides: bigint[], ptr: bigint): number;
}

let moduleReady: Promise<H5Module> | undefined;

/** The emscripten module under h5wasm, once initialised (for reading into a buffer of our own). */
export function h5Module(): Promise<H5Module> {
  moduleReady ??= h5().then(() => import('h5wasm/node')).then(({ default: h5wasm }) => h5wasm.ready as unknown as Promise<H5Module>);
  return moduleReady;
}

/**
 * h5wasm's Node build (host files through NODERAWFS, synchronous reads), initialised once.
 * The throwing error handler turns HDF5's error stack into an exception instead of text on stderr.
 * Imported on first use: loading it compiles ~4 MB of wasm (≈ 90 ms of every `dqm` start
 * that reads no HDF5 file, e.g. `dqm registry list`).
 */
export function h5(): Promise<H5wasm> {
  ready ??= import('h5wasm/node').then(async ({ default: h5wasm }) => {
    const module = await h5wasm.ready;
    module.activate_throwing_error_handler();
    return h5wasm;
  });
  return ready;
}

/** Opens `file`, runs `use`, always closes: HDF5 keeps a handle per open file. */
export async function withH5File<T>(file: string, mode: 'r' | 'w', shown: string, use: (f: H5File) => T): Promise<T> {
  return withH5FileSync(await h5(), file, mode, shown, use);
}

/** Opens `file` (the caller closes it), a failure as a DatasetError naming `shown`. */
export function openH5FileSync(lib: H5wasm, file: string, mode: 'r' | 'w', shown: string): H5File {
  try {
    return new lib.File(file, mode);
  } catch (error) {
    throw new DatasetError(`${shown} cannot be opened as HDF5: ${hdf5Reason(error)}`, { code: 'CORRUPT_FILE', cause: error });
  }
}

/** openH5FileSync once the module is loaded. */
export async function openH5File(file: string, mode: 'r' | 'w', shown: string): Promise<H5File> {
  return openH5FileSync(await h5(), file, mode, shown);
}

/** withH5File once the module is loaded (`await h5()`): for readers that must stay synchronous. */
export function withH5FileSync<T>(lib: H5wasm, file: string, mode: 'r' | 'w', shown: string, use: (f: H5File) => T): T {
  const f = openH5FileSync(lib, file, mode, shown);
  try {
    return use(f);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`${shown}: HDF5 ${mode === 'r' ? 'read' : 'write'} failed: ${hdf5Reason(error)}`, { code: mode === 'r' ? 'CORRUPT_FILE' : undefined, cause: error });
  } finally {
    f.close();
  }
}

/** The deepest line of HDF5's error stack says what is wrong ("truncated file: eof = ..."). */
export function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => /^#\d+:/.test(l));
  const last = lines.at(-1);
  if (!last) return text.split('\n')[0]!;
  return last.replace(/^#\d+:\s+\S+ line \d+ in /, '');
}
