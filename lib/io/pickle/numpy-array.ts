import { PickleError } from './errors';
import { pyTypeName, PyGlobal, type Reducer } from './py-values';

/**
 * numpy arrays and dtypes as they come out of a pickle. numpy pickles an array either as
 * `_reconstruct(ndarray, (0,), b'b')` + BUILD `(1, shape, dtype, is_fortran, raw)` (protocols
 * 2-4, and object arrays always; `raw` is bytes, or a list of objects for dtype O), or with
 * protocol 5 as `_frombuffer(bytearray, dtype, shape, order)`. numpy 2 writes `numpy._core.*`,
 * numpy 1 `numpy.core.*`: both are accepted.
 */
export class NpDtype {
  readonly pyTypeName = 'numpy.dtype';
  /** `<`, `>`, `|` (not applicable) or `=` (native). */
  byteorder = '=';

  constructor(
    /** As given to numpy.dtype(): `i8`, `f8`, `b1`, `O8`, `M8`, `U3`, ... */
    readonly code: string,
  ) {}

  get kind(): string {
    return this.code[0] ?? '?';
  }

  get itemsize(): number {
    return Number.parseInt(this.code.slice(1), 10) || 0;
  }

  /** `int64`, `float32`, `object`, `datetime64`: numpy's name, for messages. */
  get name(): string {
    const bits = this.itemsize * 8;
    switch (this.kind) {
      case 'i':
        return `int${bits}`;
      case 'u':
        return `uint${bits}`;
      case 'f':
        return `float${bits}`;
      case 'b':
        return 'bool';
      case 'O':
        return 'object';
      case 'M':
        return 'datetime64';
      case 'm':
        return 'timedelta64';
      case 'U':
        return `str${bits}`;
      case 'S':
        return `bytes${bits}`;
      default:
        return this.code;
    }
  }

  setState(state: unknown): void {
    // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
    if (Array.isArray(state) && typeof state[1] === 'string') this.byteorder = state[1];
  }
}

export class NdArray {
  readonly pyTypeName = 'numpy.ndarray';
  shape: number[] = [0];
  dtype: NpDtype = new NpDtype('b1');
  /** Fortran (column-major) element order. */
  fortran = false;
  /** Raw little/big-endian bytes for numeric dtypes; the Python objects for dtype O. */
  data: Uint8Array | unknown[] = new Uint8Array(0);

  constructor(private readonly at: number) {}

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** BUILD state of `_reconstruct`: (version, shape, dtype, is_fortran, raw). */
  setState(state: unknown): void {
    if (!Array.isArray(state) || state.length < 5) throw this.bad(`unexpected numpy array state ${pyTypeName(state)}`);
    const [, shape, dtype, fortran, raw] = state as unknown[];
    this.init(shape, dtype, fortran === true, raw);
  }

  init(shape: unknown, dtype: unknown, fortran: boolean, raw: unknown): void {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
      throw this.bad('numpy array shape is not a tuple of sizes');
    }
    if (!(dtype instanceof NpDtype)) throw this.bad(`numpy array dtype is a ${pyTypeName(dtype)}`);
    this.shape = shape as number[];
    this.dtype = dtype;
    this.fortran = fortran;
    if (dtype.kind === 'O') {
      if (!Array.isArray(raw) || raw.length !== this.size) {
        throw this.bad(`object array of shape (${this.shape.join(', ')}) holds ${Array.isArray(raw) ? raw.length : 'no list of'} items`);
      }
      this.data = raw;
    } else {
      if (!(raw instanceof Uint8Array)) throw this.bad(`numpy ${dtype.name} array data is a ${pyTypeName(raw)}, expected bytes`);
      const expected = this.size * dtype.itemsize;
      if (raw.byteLength !== expected) {
        throw this.bad(`numpy ${dtype.name} array of shape (${this.shape.join(', ')}) needs ${expected} bytes, found ${raw.byteLength}`);
      }
      this.data = raw;
    }
  }

  private bad(what: string): PickleError {
    return new PickleError(`corrupt pickle: ${what} (numpy array built at byte ${this.at})`);
  }
}

function reconstruct(args: readonly unknown[], at: number): NdArray {
  const cls = args[0];
  if (!(cls instanceof PyGlobal) || cls.name !== 'ndarray') {
    throw new PickleError(`unsupported numpy array subclass ${pyTypeName(cls)} at byte ${at}`);
  }
  return new NdArray(at);
}

function frombuffer(args: readonly unknown[], at: number): NdArray {
  const [buf, dtype, shape, order] = args;
  const a = new NdArray(at);
  a.init(shape, dtype, order === 'F', buf);
  return a;
}

function dtype(args: readonly unknown[], at: number): NpDtype {
  if (typeof args[0] !== 'string') throw new PickleError(`corrupt pickle: numpy.dtype() without a type code at byte ${at}`);
  return new NpDtype(args[0]);
}

/** The globals numpy arrays are pickled with, for `unpickle({ reducers })`. */
export const NUMPY_REDUCERS: ReadonlyMap<string, Reducer> = new Map<string, Reducer>([
  ['numpy.core.multiarray._reconstruct', reconstruct],
  ['numpy._core.multiarray._reconstruct', reconstruct],
  ['numpy.core.numeric._frombuffer', frombuffer],
  ['numpy._core.numeric._frombuffer', frombuffer],
  ['numpy.dtype', dtype],
]);

/**
 * Row `r` of a 2-D array (pandas block: one row per column of the frame) as a fresh,
 * aligned copy of its bytes in little-endian order, ready for a typed-array view.
 */
export function rowBytes(a: NdArray, r: number): Uint8Array {
  const [k = 1, n = 0] = a.shape.length === 2 ? a.shape : [1, a.shape[0] ?? 0];
  const size = a.dtype.itemsize;
  const raw = a.data as Uint8Array;
  let out: Uint8Array;
  if (!a.fortran || k === 1) {
    out = new Uint8Array(raw.subarray(r * n * size, (r + 1) * n * size)); // a copy: aligned for typed-array views
  } else {
    out = new Uint8Array(n * size);
    for (let i = 0; i < n; i++) out.set(raw.subarray((i * k + r) * size, (i * k + r + 1) * size), i * size);
  }
  if (a.dtype.byteorder === '>' && size > 1) {
    for (let i = 0; i < out.length; i += size) out.subarray(i, i + size).reverse();
  }
  return out;
}

/** Row `r` of a 2-D object array. */
export function rowObjects(a: NdArray, r: number): unknown[] {
  const [k = 1, n = 0] = a.shape.length === 2 ? a.shape : [1, a.shape[0] ?? 0];
  const items = a.data as unknown[];
  if (!a.fortran || k === 1) return items.slice(r * n, (r + 1) * n);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = items[i * k + r];
  return out;
}
