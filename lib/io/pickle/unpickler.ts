import { isAscii } from 'node:buffer';
import { PickleError } from './errors';
import { OP, opcodeName } from './opcodes';
import { BASE_REDUCERS, decodeLong, parseIntText } from './builtin-reducers';
import { isBuildable, pyTypeName, PyGlobal, PyObject, tuple, type Reducer } from './py-values';

/**
 * A small pickle virtual machine for protocols 2-5, written for the pandas DataFrame pickles
 * we read. Why not `pickleparser`: it decodes the real 3 MB pickle in ~9-15 ms, this one in
 * ~2 ms, mostly because map strings are checked for ASCII (simdutf) and sliced as latin1
 * instead of going through a UTF-8 decoder; and we want exact messages on bad input
 * ("stream ended at byte N inside BINUNICODE8 at byte M"). It never executes anything:
 * globals become PyGlobal names, REDUCE/NEWOBJ become PyObject records unless a `reducer`
 * for that global is given (numpy arrays and dtypes, slices, bytes).
 */

export interface UnpickleOptions {
  /** `module.name` -> what calling that global with `args` produces. */
  reducers?: ReadonlyMap<string, Reducer>;
  /**
   * Long ASCII str values (BINUNICODE, at least TEXT_AS_BYTES_MIN bytes) become Uint8Array views
   * into `input` instead of JS strings: no copy, and a parser reads them as bytes (the DQM maps).
   */
  textAsBytes?: boolean;
}

/** Shorter texts (column names, dtype codes) stay strings even with `textAsBytes`. */
export const TEXT_AS_BYTES_MIN = 256;

/** Python 2 module names that protocol <= 2 pickles use (pickle's fix_imports). */
const PY2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

/** Unpickles `bytes` (stops at STOP; trailing bytes are ignored, as Python's pickle.load does). */
export function unpickle(input: Uint8Array, options: UnpickleOptions = {}): unknown {
  // A plain Uint8Array view: Buffer#slice would return views, and values must own their bytes.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  const reducers = options.reducers;
  const asBytes = options.textAsBytes === true;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo: unknown[] = [];
  let pos = 0;
  let opStart = 0;
  let op = 0;

  if (end === 0) throw new PickleError('empty file: not a pickle (0 bytes)');
  if (bytes[0] !== OP.PROTO) {
    const c = bytes[0]!;
    const shown = c >= 0x20 && c < 0x7f ? ` '${String.fromCharCode(c)}'` : '';
    throw new PickleError(
      `not a pickle: the file starts with byte 0x${c.toString(16).padStart(2, '0')}${shown}, expected 0x80 (PROTO); only pickle protocols 2-5 are supported`,
    );
  }

  const corrupt = (what: string): PickleError => new PickleError(`corrupt pickle: ${what} (${opcodeName(op)} at byte ${opStart})`);
  const need = (n: number): void => {
    if (pos + n > end) {
      throw new PickleError(`truncated pickle: stream ended at byte ${end} inside ${opcodeName(op)} at byte ${opStart} (expected STOP)`);
    }
  };
  const pop = (): unknown => {
    if (stack.length <= (marks.length ? marks[marks.length - 1]! : 0)) throw corrupt('stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw corrupt('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) throw corrupt('no MARK on the stack');
    return stack.splice(m);
  };
  const u8 = (): number => {
    need(1);
    return bytes[pos++]!;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`length ${v} is too large`);
    return Number(v);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const text = (n: number): string => {
    need(n);
    const s = n > 64 && isAscii(bytes.subarray(pos, pos + n)) ? buf.toString('latin1', pos, pos + n) : buf.toString('utf8', pos, pos + n);
    pos += n;
    return s;
  };
  /** A str of n bytes: a view of the bytes for a long ASCII text with `textAsBytes`, else a string. */
  const longText = (n: number): string | Uint8Array => {
    if (!asBytes || n < TEXT_AS_BYTES_MIN) return text(n);
    need(n);
    const view = bytes.subarray(pos, pos + n);
    if (!isAscii(view)) return text(n);
    pos += n;
    return view;
  };
  const line = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) {
      pos = end;
      need(1);
    }
    const s = buf.toString('latin1', pos, nl);
    pos = nl + 1;
    return s;
  };
  const memoGet = (i: number): unknown => {
    if (i >= memo.length || !(i in memo)) throw corrupt(`memo entry ${i} was never stored`);
    return memo[i];
  };
  const global = (module: string, name: string): PyGlobal => new PyGlobal(PY2_MODULES[module] ?? module, name);
  const call = (fn: unknown, args: unknown): unknown => {
    if (!(fn instanceof PyGlobal)) throw corrupt(`cannot call a ${pyTypeName(fn)}`);
    if (!Array.isArray(args)) throw corrupt(`arguments must be a tuple, found ${pyTypeName(args)}`);
    const reducer = reducers?.get(fn.qualname) ?? BASE_REDUCERS.get(fn.qualname);
    return reducer ? reducer(args, opStart) : new PyObject(fn, args);
  };

  for (;;) {
    if (pos >= end) {
      throw new PickleError(`truncated pickle: stream ended at byte ${end} (expected STOP)`);
    }
    opStart = pos;
    op = bytes[pos++]!;
    switch (op) {
      case OP.PROTO: {
        const p = u8();
        if (p > 5) throw new PickleError(`unsupported pickle protocol ${p} (protocols 2-5 are supported)`);
        break;
      }
      case OP.FRAME:
        u64(); // a length hint; frames need no special handling when the whole file is in memory
        break;
      case OP.STOP:
        if (stack.length !== 1 || marks.length) throw corrupt(`STOP with ${stack.length} values on the stack`);
        return stack[0];
      case OP.MARK:
        marks.push(stack.length);
        break;
      case OP.POP:
        pop();
        break;
      case OP.POP_MARK:
        popMark();
        break;
      case OP.DUP:
        stack.push(top());
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.BININT1:
        stack.push(u8());
        break;
      case OP.BININT2:
        need(2);
        stack.push(view.getUint16(pos, true));
        pos += 2;
        break;
      case OP.BININT:
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case OP.LONG1:
        stack.push(decodeLong(take(u8())));
        break;
      case OP.LONG4:
        stack.push(decodeLong(take(u32())));
        break;
      case OP.INT: {
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : parseIntText(s, corrupt));
        break;
      }
      case OP.LONG:
        stack.push(parseIntText(line().replace(/L$/, ''), corrupt));
        break;
      case OP.FLOAT:
        stack.push(Number.parseFloat(line()));
        break;
      case OP.BINFLOAT:
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case OP.SHORT_BINUNICODE:
        stack.push(text(u8()));
        break;
      case OP.BINUNICODE:
        stack.push(longText(u32()));
        break;
      case OP.BINUNICODE8:
        stack.push(longText(u64()));
        break;
      case OP.UNICODE:
        stack.push(line().replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))));
        break;
      case OP.SHORT_BINSTRING:
        stack.push(latin1(take(u8())));
        break;
      case OP.BINSTRING:
        stack.push(latin1(take(u32())));
        break;
      case OP.SHORT_BINBYTES:
        stack.push(take(u8()));
        break;
      case OP.BINBYTES:
        stack.push(take(u32()));
        break;
      case OP.BINBYTES8:
        stack.push(take(u64()));
        break;
      case OP.BYTEARRAY8:
        stack.push(take(u64()));
        break;
      case OP.NEXT_BUFFER:
      case OP.READONLY_BUFFER:
        throw corrupt('out-of-band buffers (pickle.dumps with buffer_callback) are not supported');
      case OP.EMPTY_TUPLE:
        stack.push(tuple([]));
        break;
      case OP.TUPLE1:
        stack.push(tuple([pop()]));
        break;
      case OP.TUPLE2: {
        const b = pop();
        stack.push(tuple([pop(), b]));
        break;
      }
      case OP.TUPLE3: {
        const c = pop();
        const b = pop();
        stack.push(tuple([pop(), b, c]));
        break;
      }
      case OP.TUPLE:
        stack.push(tuple(popMark()));
        break;
      case OP.EMPTY_LIST:
        stack.push([]);
        break;
      case OP.LIST:
        stack.push(popMark());
        break;
      case OP.APPEND: {
        const v = pop();
        listAt(top(), corrupt).push(v);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        const list = listAt(top(), corrupt);
        for (const it of items) list.push(it);
        break;
      }
      case OP.EMPTY_DICT:
        stack.push(new Map());
        break;
      case OP.DICT: {
        const items = popMark();
        const d = new Map<unknown, unknown>();
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case OP.SETITEM: {
        const v = pop();
        const k = pop();
        dictAt(top(), corrupt).set(k, v);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        const d = dictAt(top(), corrupt);
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
        break;
      }
      case OP.EMPTY_SET:
        stack.push(new Set());
        break;
      case OP.ADDITEMS: {
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) throw corrupt(`ADDITEMS on a ${pyTypeName(s)}`);
        for (const it of items) s.add(it);
        break;
      }
      case OP.FROZENSET:
        stack.push(new Set(popMark()));
        break;
      case OP.GLOBAL: {
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw corrupt('STACK_GLOBAL needs two strings');
        stack.push(global(module, name));
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case OP.NEWOBJ: {
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PyGlobal) || !Array.isArray(args)) throw corrupt('NEWOBJ needs a class and a tuple');
        stack.push(new PyObject(cls, args));
        break;
      }
      case OP.NEWOBJ_EX: {
        pop(); // kwargs: not needed for anything we interpret
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PyGlobal) || !Array.isArray(args)) throw corrupt('NEWOBJ_EX needs a class and a tuple');
        stack.push(new PyObject(cls, args));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const obj = top();
        if (isBuildable(obj)) obj.setState(state);
        else if (obj instanceof PyObject) obj.state = state;
        else throw corrupt(`cannot BUILD a ${pyTypeName(obj)}`);
        break;
      }
      case OP.MEMOIZE:
        memo.push(top());
        break;
      case OP.BINPUT:
        memo[u8()] = top();
        break;
      case OP.LONG_BINPUT:
        memo[u32()] = top();
        break;
      case OP.PUT:
        memo[Number.parseInt(line(), 10)] = top();
        break;
      case OP.BINGET:
        stack.push(memoGet(u8()));
        break;
      case OP.LONG_BINGET:
        stack.push(memoGet(u32()));
        break;
      case OP.GET:
        stack.push(memoGet(Number.parseInt(line(), 10)));
        break;
      default:
        throw new PickleError(`corrupt pickle: unknown or unsupported opcode ${opcodeName(op)} at byte ${opStart}`);
    }
  }
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

function listAt(v: unknown, corrupt: (what: string) => PickleError): unknown[] {
  if (!Array.isArray(v) || Object.isFrozen(v)) throw corrupt(`expected a list, found ${pyTypeName(v)}`);
  return v;
}

function dictAt(v: unknown, corrupt: (what: string) => PickleError): Map<unknown, unknown> {
  if (!(v instanceof Map)) throw corrupt(`expected a dict, found ${pyTypeName(v)}`);
  return v;
}
