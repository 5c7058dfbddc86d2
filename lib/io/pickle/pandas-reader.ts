import { type ColumnData, type Table, table } from '../../data';
import { PickleError } from './errors';
import { NdArray, NUMPY_REDUCERS, rowBytes, rowObjects } from './numpy-array';
import { isTuple, pyTypeName, PyObject, PySlice } from './py-values';
import { unpickle } from './unpickler';

/**
 * Reads a pickled pandas DataFrame into a Table, the way pandas itself unpickles one: the
 * BlockManager gives the axes (columns, index) and the blocks (see managerLayout); each block is
 * a 2-D numpy array (one row per column) whose `mgr_locs` say which column positions it fills.
 * The row index is used only for the row count (a Table has none).
 *
 * Column types: int64/int32/... -> Int32Array when every value fits in 32 bits, otherwise
 * Float64Array (exact up to 2^53; larger values are an error rather than silently rounded);
 * float64 -> Float64Array; float32 -> Float32Array; bool -> boolean[]; object -> plain array of
 * string | number | boolean | null.
 */
export interface ReadPandasOptions {
  /**
   * Long ASCII texts in object columns load as Uint8Array views into `bytes` (see
   * UnpickleOptions.textAsBytes): the DQM raw maps are then parsed from the file's bytes.
   */
  textAsBytes?: boolean;
}

export function readPandasPickle(bytes: Uint8Array, options: ReadPandasOptions = {}): Table {
  const root = unpickle(bytes, { reducers: NUMPY_REDUCERS, textAsBytes: options.textAsBytes });
  if (!(root instanceof PyObject) || root.cls.qualname !== 'pandas.core.frame.DataFrame') {
    throw new PickleError(`not a pandas DataFrame pickle (found ${pyTypeName(root)})`);
  }
  const state = root.state;
  if (!(state instanceof Map)) throw layout(`DataFrame state is a ${pyTypeName(state)}, expected a dict`);
  const mgr = state.get('_mgr') ?? state.get('_data');
  if (!(mgr instanceof PyObject) || !mgr.cls.name.endsWith('BlockManager')) {
    throw layout(`DataFrame '_mgr' is a ${pyTypeName(mgr)}, expected a pandas BlockManager`);
  }
  const { axes, blocks } = managerLayout(mgr);
  const names = indexLabels(axes[0], 'columns').map(String);
  const rowCount = indexLength(axes[1]);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw layout(`duplicate column name '${n}' (a Table needs unique column names)`);
    seen.add(n);
  }

  const columns = new Array<ColumnData | undefined>(names.length);
  blocks.forEach(({ values, mgrLocs }, b) => {
    const locs = placement(mgrLocs, b);
    const blockNames = locs.map((p) => `'${names[p] ?? `#${p}`}'`).join(', ');
    if (!(values instanceof NdArray)) {
      throw new PickleError(`column(s) ${blockNames} hold a ${pyTypeName(values)}, not a numpy array (only numpy-backed columns are supported: int, float, bool, object)`);
    }
    const [k, n] = values.shape.length === 2 ? values.shape : [1, values.shape[0]];
    if (k !== locs.length || n !== rowCount) {
      throw layout(`block ${b} has shape (${values.shape.join(', ')}) but covers ${locs.length} column(s) of ${rowCount} rows`);
    }
    locs.forEach((p, r) => {
      const name = names[p];
      if (name === undefined) throw layout(`block ${b} places a column at position ${p} but there are ${names.length} columns`);
      if (columns[p] !== undefined) throw layout(`column '${name}' is filled by two blocks`);
      columns[p] = toColumn(values, r, name, options.textAsBytes === true);
    });
  });

  const out: Record<string, ColumnData> = {};
  names.forEach((n, p) => {
    const col = columns[p];
    if (col === undefined) throw layout(`column '${n}' is in no block`);
    out[n] = col;
  });
  return table(out);
}

/**
 * The manager's axes and blocks, from either pickle layout pandas writes: `BlockManager(blocks,
 * axes)` with blocks as `_unpickle_block(values, mgr_locs, ndim)` (pandas >= 1.4, the Cython
 * manager's __reduce__), or NEWOBJ + BUILD with the `0.14.1` state dict (older pandas, and
 * what the original project's pickles hold; pandas 1.x/2.x still read it).
 */
function managerLayout(mgr: PyObject): { axes: unknown[]; blocks: Array<{ values: unknown; mgrLocs: unknown }> } {
  if (mgr.state === undefined && mgr.args.length >= 2) {
    const [blocks, axes] = mgr.args;
    if (!Array.isArray(blocks) || !Array.isArray(axes) || axes.length !== 2) throw layout('BlockManager(blocks, axes) arguments are not a list of blocks and [columns, index]');
    return {
      axes,
      blocks: blocks.map((blk, b) => {
        if (!(blk instanceof PyObject) || blk.cls.name !== '_unpickle_block') throw layout(`block ${b} is a ${pyTypeName(blk)}, expected _unpickle_block(values, mgr_locs, ndim)`);
        return { values: blk.args[0], mgrLocs: blk.args[1] };
      }),
    };
  }
  const state = mgr.state;
  const extra = isTuple(state) && state.length >= 4 ? state[3] : undefined;
  const current = extra instanceof Map ? extra.get('0.14.1') : undefined;
  if (!(current instanceof Map)) throw layout('BlockManager state has no 0.14.1 entry (pickles from pandas < 0.14.1 are not supported, as in pandas itself)');
  const axes = current.get('axes');
  const blocks = current.get('blocks');
  if (!Array.isArray(axes) || axes.length !== 2) throw layout('BlockManager axes must be [columns, index]');
  if (!Array.isArray(blocks)) throw layout(`BlockManager blocks is a ${pyTypeName(blocks)}, expected a list`);
  return {
    axes,
    blocks: blocks.map((blk, b) => {
      if (!(blk instanceof Map)) throw layout(`block ${b} is a ${pyTypeName(blk)}, expected a dict`);
      return { values: blk.get('values'), mgrLocs: blk.get('mgr_locs') };
    }),
  };
}

function layout(what: string): PickleError {
  return new PickleError(`unexpected pandas DataFrame layout: ${what}`);
}

/** `_new_Index(cls, {'data': ndarray, ...})` or a RangeIndex's `{'start','stop','step'}`. */
function indexDict(index: unknown, what: string): { cls: string; d: Map<unknown, unknown> } {
  if (index instanceof PyObject && index.cls.name === '_new_Index') {
    const [cls, d] = index.args;
    if (d instanceof Map) return { cls: pyTypeName(cls), d };
  }
  throw layout(`the ${what} axis is a ${pyTypeName(index)}, expected a pandas Index`);
}

function indexLabels(index: unknown, what: string): unknown[] {
  const { cls, d } = indexDict(index, what);
  if (cls.endsWith('MultiIndex')) throw layout(`the ${what} axis is a MultiIndex (not supported: flatten it with df.columns = [...] first)`);
  if (d.has('start')) {
    const n = rangeLength(d);
    const start = Number(d.get('start') ?? 0);
    const step = Number(d.get('step') ?? 1);
    return Array.from({ length: n }, (_, i) => start + i * step);
  }
  const data = d.get('data');
  if (!(data instanceof NdArray)) throw layout(`the ${what} axis holds a ${pyTypeName(data)}, expected a numpy array`);
  return data.dtype.kind === 'O' ? (data.data as unknown[]) : Array.from(numericColumn(data, 0, what));
}

function indexLength(index: unknown): number {
  const { d } = indexDict(index, 'row');
  if (d.has('start')) return rangeLength(d);
  const data = d.get('data');
  if (data instanceof NdArray) return data.size;
  throw layout(`the row index holds a ${pyTypeName(data)}, expected a numpy array`);
}

function rangeLength(d: Map<unknown, unknown>): number {
  const start = Number(d.get('start') ?? 0);
  const stop = Number(d.get('stop') ?? 0);
  const step = Number(d.get('step') ?? 1);
  return step === 0 ? 0 : Math.max(0, Math.ceil((stop - start) / step));
}

/** Block column positions: a slice (contiguous columns) or an int array. */
function placement(locs: unknown, b: number): number[] {
  if (locs instanceof PySlice) {
    const start = locs.start ?? 0;
    const step = locs.step ?? 1;
    const stop = locs.stop ?? start;
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
    return out;
  }
  if (locs instanceof NdArray && 'iu'.includes(locs.dtype.kind)) return Array.from(numericColumn(locs, 0, 'mgr_locs'));
  if (Array.isArray(locs) && locs.every((x) => Number.isInteger(x))) return locs as number[];
  throw layout(`block ${b} mgr_locs is a ${pyTypeName(locs)}, expected a slice or an int array`);
}

function toColumn(a: NdArray, r: number, name: string, textAsBytes: boolean): ColumnData {
  const kind = a.dtype.kind;
  if ('iuf'.includes(kind)) return numericColumn(a, r, name);
  if (kind === 'b') return Array.from(rowBytes(a, r), (v) => v !== 0);
  if (kind === 'O') {
    const items = rowObjects(a, r);
    for (let i = 0; i < items.length; i++) {
      const v = items[i];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null || (textAsBytes && v instanceof Uint8Array)) continue;
      if (typeof v === 'bigint') throw new PickleError(`column '${name}' row ${i} holds the integer ${v}, beyond what a JS number holds exactly (2^53)`);
      throw new PickleError(`column '${name}' row ${i} holds a ${pyTypeName(v)} (supported in object columns: str, int, float, bool, None)`);
    }
    return items as Array<string | number | boolean | null | Uint8Array>;
  }
  throw new PickleError(`column '${name}' has numpy dtype ${a.dtype.name} (supported: int8-64, uint8-64, float32, float64, bool, object)`);
}

function numericColumn(a: NdArray, r: number, name: string): Int32Array | Float32Array | Float64Array {
  const raw = rowBytes(a, r);
  const { kind, itemsize } = a.dtype;
  const n = raw.byteLength / itemsize;
  const buf = raw.buffer;
  if (kind === 'f' && itemsize === 8) return new Float64Array(buf, 0, n);
  if (kind === 'f' && itemsize === 4) return new Float32Array(buf, 0, n);
  if (kind === 'i' && itemsize === 4) return new Int32Array(buf, 0, n);
  if (kind === 'i' && itemsize === 2) return Int32Array.from(new Int16Array(buf, 0, n));
  if (kind === 'i' && itemsize === 1) return Int32Array.from(new Int8Array(buf, 0, n));
  if (kind === 'u' && itemsize === 2) return Int32Array.from(new Uint16Array(buf, 0, n));
  if (kind === 'u' && itemsize === 1) return Int32Array.from(new Uint8Array(buf, 0, n));
  if (kind === 'u' && itemsize === 4) {
    const u = new Uint32Array(buf, 0, n);
    return u.every((v) => v <= 0x7fffffff) ? new Int32Array(buf, 0, n) : Float64Array.from(u);
  }
  if (itemsize === 8 && (kind === 'i' || kind === 'u')) return int64Column(new Int32Array(buf, 0, n * 2), kind === 'u', name);
  throw new PickleError(`column '${name}' has numpy dtype ${a.dtype.name} (supported: int8-64, uint8-64, float32, float64, bool, object)`);
}

/** 64-bit ints as (lo, hi) int32 pairs: Int32Array if all fit, else exact Float64Array. */
function int64Column(pairs: Int32Array, unsigned: boolean, name: string): Int32Array | Float64Array {
  const n = pairs.length / 2;
  let fits = true;
  for (let i = 0; i < n; i++) {
    if (pairs[2 * i + 1] !== pairs[2 * i]! >> 31 || (unsigned && pairs[2 * i]! < 0)) {
      fits = false;
      break;
    }
  }
  if (fits) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = pairs[2 * i]!;
    return out;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hi = unsigned ? pairs[2 * i + 1]! >>> 0 : pairs[2 * i + 1]!;
    const v = hi * 4294967296 + (pairs[2 * i]! >>> 0);
    if (!Number.isSafeInteger(v)) {
      throw new PickleError(`column '${name}' row ${i} holds an int64 beyond 2^53, which a JS number cannot hold exactly`);
    }
    out[i] = v;
  }
  return out;
}
