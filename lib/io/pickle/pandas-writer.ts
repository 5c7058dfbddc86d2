import { type ColumnData, type Table, columnNames } from '../../data';
import { PickleError } from './errors';
import { OP } from './opcodes';
import { PickleEncoder } from './pickle-encoder';

/**
 * Writes a Table as the pickle pandas (1.x/2.x, numpy 1.x/2.x) itself writes for a DataFrame
 * with protocol 5, with the structure of the original project's pickles:
 * DataFrame NEWOBJ + BUILD {_mgr: BlockManager, _typ, _metadata, attrs, _flags}; the manager's
 * state is (axes, block values, block items, {'0.14.1': {axes, blocks: [{values, mgr_locs}]}})
 * where the last dict refers back (memo) to the same axes and arrays; numeric blocks are
 * `numpy.core.numeric._frombuffer(bytearray, dtype, (k, n), 'C')`, object blocks
 * `_reconstruct` + BUILD with a list of str; the row index is a RangeIndex.
 *
 * Column types: Int32Array -> int64, Float64Array -> float64, Float32Array -> float32,
 * all-boolean arrays -> bool, any other array -> object (str, int, float, bool, None).
 * Columns of one type share one block, as pandas consolidates them.
 */
export function writePandasPickle(t: Table): Buffer {
  return Buffer.concat(pandasPickleChunks(t));
}

type BlockKind = 'i8' | 'f8' | 'f4' | 'b1' | 'O8';

interface Block {
  kind: BlockKind;
  positions: number[];
}

/** The pickle as a list of Buffers (big payloads are separate chunks: write them with writev). */
export function pandasPickleChunks(t: Table): Buffer[] {
  const names = columnNames(t);
  const n = t.rowCount;
  const blocks: Block[] = [];
  names.forEach((name, p) => {
    const kind = blockKind(t.columns[name]!);
    const block = blocks.find((b) => b.kind === kind);
    if (block) block.positions.push(p);
    else blocks.push({ kind, positions: [p] });
  });

  const e = new PickleEncoder();
  const dtypes = new Map<string, number>();
  const dtype = (code: BlockKind): void => {
    const cached = dtypes.get(code);
    if (cached !== undefined) return e.get(cached);
    e.global('numpy', 'dtype');
    e.tuple(3, () => (e.str(code), e.bool(false), e.bool(true)));
    e.op(OP.REDUCE);
    dtypes.set(code, e.memoize());
    // state: (version, byteorder, subarray, names, fields, elsize, alignment, flags)
    e.tuple(8, () => {
      e.int(3);
      e.str(code === 'O8' || code === 'b1' ? '|' : '<');
      e.none();
      e.none();
      e.none();
      e.int(-1);
      e.int(-1);
      e.int(code === 'O8' ? 63 : 0);
    });
    e.op(OP.BUILD);
  };
  const shape = (dims: number[]): void => e.tuple(dims.length, () => dims.forEach((d) => e.int(d)));
  let bMemo = -1; // numpy passes one b'b' object to every _reconstruct: pickled once, then memo
  const objectArray = (dims: number[], items: readonly unknown[], where: (i: number) => string): number => {
    e.global('numpy.core.multiarray', '_reconstruct');
    e.tuple(3, () => {
      e.global('numpy', 'ndarray');
      e.tuple(1, () => e.int(0));
      if (bMemo >= 0) e.get(bMemo);
      else bMemo = e.bytes(Buffer.from('b'));
    });
    e.op(OP.REDUCE);
    const memo = e.memoize();
    e.tuple(5, () => {
      e.int(1);
      shape(dims);
      dtype('O8');
      e.bool(false);
      e.list(items, (v: unknown, i) => writeObject(e, v, where, i));
    });
    e.op(OP.BUILD);
    return memo;
  };
  const index = (labels: readonly string[]): void => {
    e.global('pandas.core.indexes.base', '_new_Index');
    e.tuple(2, () => {
      e.global('pandas.core.indexes.base', 'Index');
      e.dict([
        ['data', () => objectArray([labels.length], labels, (i) => `column name ${i}`)],
        ['name', () => e.none()],
      ]);
    });
    e.op(OP.REDUCE);
    e.memoize();
  };
  const blockValues = (b: Block): number => {
    if (b.kind === 'O8') {
      const items: unknown[] = [];
      for (const p of b.positions) for (const v of t.columns[names[p]!]!) items.push(v);
      return objectArray([b.positions.length, n], items, (i) => `column '${names[b.positions[Math.floor(i / n)]!]}' row ${i % n}`);
    }
    e.global('numpy.core.numeric', '_frombuffer');
    e.tuple(4, () => {
      e.bytearray(b.positions.map((p) => numericBytes(t.columns[names[p]!]!, b.kind)));
      dtype(b.kind);
      shape([b.positions.length, n]);
      e.str('C');
    });
    e.op(OP.REDUCE);
    return e.memoize();
  };

  e.global('pandas.core.frame', 'DataFrame');
  e.op(OP.EMPTY_TUPLE);
  e.op(OP.NEWOBJ);
  e.memoize();
  e.dict([
    [
      '_mgr',
      () => {
        e.global('pandas.core.internals.managers', 'BlockManager');
        e.op(OP.EMPTY_TUPLE);
        e.op(OP.NEWOBJ);
        e.memoize();
        let axesMemo = -1;
        const valueMemos: number[] = [];
        e.tuple(4, () => {
          axesMemo = e.list([0, 1], (axis) => {
            if (axis === 0) return index(names);
            e.global('pandas.core.indexes.base', '_new_Index');
            e.tuple(2, () => {
              e.global('pandas.core.indexes.range', 'RangeIndex');
              e.dict([
                ['name', () => e.none()],
                ['start', () => e.int(0)],
                ['stop', () => e.int(n)],
                ['step', () => e.int(1)],
              ]);
            });
            e.op(OP.REDUCE);
            e.memoize();
          });
          e.list(blocks, (b) => valueMemos.push(blockValues(b)));
          e.list(blocks, (b) => index(b.positions.map((p) => names[p]!)));
          e.dict([
            [
              '0.14.1',
              () =>
                e.dict([
                  ['axes', () => e.get(axesMemo)],
                  [
                    'blocks',
                    () =>
                      e.list(blocks, (b, i) => {
                        e.dict([
                          ['values', () => e.get(valueMemos[i]!)],
                          ['mgr_locs', () => placement(e, b.positions)],
                        ]);
                      }),
                  ],
                ]),
            ],
          ]);
        });
        e.op(OP.BUILD);
      },
    ],
    ['_typ', () => e.str('dataframe')],
    ['_metadata', () => e.list([], () => undefined)],
    ['attrs', () => e.dict([])],
    ['_flags', () => e.dict([['allows_duplicate_labels', () => e.bool(true)]])],
  ]);
  e.op(OP.BUILD);
  return e.finish();
}

/** `slice(a, b, 1)` for contiguous positions, else an int64 array (pandas accepts both). */
function placement(e: PickleEncoder, positions: number[]): void {
  const first = positions[0]!;
  if (positions.every((p, i) => p === first + i)) {
    e.global('builtins', 'slice');
    e.tuple(3, () => (e.int(first), e.int(first + positions.length), e.int(1)));
    e.op(OP.REDUCE);
    e.memoize();
    return;
  }
  e.global('numpy.core.numeric', '_frombuffer');
  e.tuple(4, () => {
    e.bytearray([numericBytes(Int32Array.from(positions), 'i8')]);
    e.global('numpy', 'dtype'); // a fresh dtype object here is fine: pandas only reads its value
    e.tuple(3, () => (e.str('i8'), e.bool(false), e.bool(true)));
    e.op(OP.REDUCE);
    e.memoize();
    e.tuple(8, () => {
      e.int(3);
      e.str('<');
      e.none();
      e.none();
      e.none();
      e.int(-1);
      e.int(-1);
      e.int(0);
    });
    e.op(OP.BUILD);
    e.tuple(1, () => e.int(positions.length));
    e.str('C');
  });
  e.op(OP.REDUCE);
  e.memoize();
}

function blockKind(col: ColumnData): BlockKind {
  if (col instanceof Int32Array) return 'i8';
  if (col instanceof Float64Array) return 'f8';
  if (col instanceof Float32Array) return 'f4';
  if (col.length > 0 && col.every((v) => typeof v === 'boolean')) return 'b1';
  return 'O8';
}

/** A numeric column's little-endian bytes for its block dtype (int32 widened to int64). */
function numericBytes(col: ColumnData, kind: BlockKind): Uint8Array {
  if (kind === 'i8') {
    const src = col as Int32Array;
    const pairs = new Int32Array(src.length * 2);
    for (let i = 0; i < src.length; i++) {
      pairs[2 * i] = src[i]!;
      pairs[2 * i + 1] = src[i]! >> 31;
    }
    return new Uint8Array(pairs.buffer);
  }
  if (kind === 'b1') return Uint8Array.from(col as boolean[], (v) => (v ? 1 : 0));
  const typed = col as Float64Array | Float32Array;
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

function writeObject(e: PickleEncoder, v: unknown, where: (i: number) => string, i: number): void {
  if (typeof v === 'string') return e.str(v, v.length < 64);
  if (v instanceof Uint8Array) return e.strBytes(v);
  if (typeof v === 'boolean') return e.bool(v);
  if (v === null) return e.none();
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? e.int(v) : e.float(v);
  throw new PickleError(`cannot pickle ${where(i)}: a ${v === undefined ? 'undefined' : typeof v} value (object columns hold str, int, float, bool or None)`);
}
