import { OP } from './opcodes';

const FRAME_TARGET = 64 * 1024; // CPython's _FRAME_SIZE_TARGET
const FRAME_MIN = 4; // CPython's _FRAME_SIZE_MIN

/**
 * Low-level protocol-5 pickle output, framed the way CPython's pickler frames it: small opcodes
 * are gathered into ~64 KB FRAMEs; payloads of 64 KB or more (map strings, array bytes) end
 * the current frame and go out unframed as their own chunks. The result is a list of Buffers
 * that can be written with writev without ever building one 100 MB string or buffer.
 * Every `emit*` call writes whole opcodes, since a frame must never split one.
 */
export class PickleEncoder {
  readonly chunks: Buffer[] = [];
  private frame = Buffer.allocUnsafe(FRAME_TARGET * 2);
  private fpos = 0;
  private memoCount = 0;
  private readonly globals = new Map<string, number>();
  private readonly strings = new Map<string, number>();

  constructor() {
    this.chunks.push(Buffer.from([OP.PROTO, 5]));
  }

  /** Bytes of one or more complete opcodes, into the current frame. */
  private put(...bytes: number[]): void {
    this.ensure(bytes.length);
    for (const b of bytes) this.frame[this.fpos++] = b;
  }

  private ensure(n: number): void {
    if (this.fpos + n <= this.frame.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.frame.length * 2, this.fpos + n));
    this.frame.copy(bigger, 0, 0, this.fpos);
    this.frame = bigger;
  }

  /** At an object boundary: close the frame once it reached the target size (or when forced). */
  private commit(force = false): void {
    if (this.fpos === 0 || (!force && this.fpos < FRAME_TARGET)) return;
    const data = Buffer.from(this.frame.subarray(0, this.fpos));
    if (this.fpos >= FRAME_MIN) {
      const head = Buffer.allocUnsafe(9);
      head[0] = OP.FRAME;
      head.writeBigUInt64LE(BigInt(this.fpos), 1);
      this.chunks.push(head);
    }
    this.chunks.push(data);
    this.fpos = 0;
  }

  /** An opcode with a length prefix followed by a payload (one or more buffers). */
  private sized(op: number, lenBytes: 1 | 4 | 8, payload: readonly Uint8Array[], length: number): void {
    const head = Buffer.allocUnsafe(1 + lenBytes);
    head[0] = op;
    if (lenBytes === 1) head[1] = length;
    else if (lenBytes === 4) head.writeUInt32LE(length, 1);
    else head.writeBigUInt64LE(BigInt(length), 1);
    if (length >= FRAME_TARGET) {
      this.commit(true);
      this.chunks.push(head);
      for (const p of payload) this.chunks.push(Buffer.from(p.buffer, p.byteOffset, p.byteLength));
      return;
    }
    this.commit();
    this.ensure(head.length + length);
    head.copy(this.frame, this.fpos);
    this.fpos += head.length;
    for (const p of payload) {
      this.frame.set(p, this.fpos);
      this.fpos += p.byteLength;
    }
  }

  memoize(): number {
    this.put(OP.MEMOIZE);
    return this.memoCount++;
  }

  get(index: number): void {
    if (index < 256) this.put(OP.BINGET, index);
    else this.put(OP.LONG_BINGET, index & 0xff, (index >>> 8) & 0xff, (index >>> 16) & 0xff, index >>> 24);
  }

  op(code: number): void {
    this.commit();
    this.put(code);
  }

  none(): void {
    this.op(OP.NONE);
  }

  bool(v: boolean): void {
    this.op(v ? OP.NEWTRUE : OP.NEWFALSE);
  }

  /** Python's save_long: the shortest of BININT1/BININT2/BININT/LONG1. */
  int(v: number): void {
    this.commit();
    if (v >= 0 && v < 256) this.put(OP.BININT1, v);
    else if (v >= 0 && v < 65536) this.put(OP.BININT2, v & 0xff, v >>> 8);
    else if (v >= -0x80000000 && v <= 0x7fffffff) this.put(OP.BININT, v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    else {
      let x = BigInt(v);
      const bytes: number[] = [];
      do {
        bytes.push(Number(x & 0xffn));
        x >>= 8n;
      } while (!((x === 0n && (bytes[bytes.length - 1]! & 0x80) === 0) || (x === -1n && (bytes[bytes.length - 1]! & 0x80) !== 0)));
      this.put(OP.LONG1, bytes.length, ...bytes);
    }
  }

  float(v: number): void {
    this.commit();
    this.ensure(9);
    this.frame[this.fpos] = OP.BINFLOAT;
    this.frame.writeDoubleBE(v, this.fpos + 1);
    this.fpos += 9;
  }

  /** A str, memoized; short strings already written are fetched from the memo (as Python does for one object). */
  str(s: string, reuse = true): void {
    const cached = reuse ? this.strings.get(s) : undefined;
    if (cached !== undefined) {
      this.commit();
      return this.get(cached);
    }
    // ASCII text (the maps) is copied byte for byte: much faster than UTF-8 encoding.
    const n = Buffer.byteLength(s, 'utf8');
    const bytes = n === s.length ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8');
    if (n < 256) this.sized(OP.SHORT_BINUNICODE, 1, [bytes], n);
    else if (n <= 0xffffffff) this.sized(OP.BINUNICODE, 4, [bytes], n);
    else this.sized(OP.BINUNICODE8, 8, [bytes], n);
    const index = this.memoize();
    if (reuse && n < 256) this.strings.set(s, index);
  }

  /** A str given as its UTF-8 bytes (a text loaded with `textAsBytes`, or a simulated map), memoized, not reused. */
  strBytes(b: Uint8Array): void {
    const n = b.byteLength;
    if (n < 256) this.sized(OP.SHORT_BINUNICODE, 1, [b], n);
    else if (n <= 0xffffffff) this.sized(OP.BINUNICODE, 4, [b], n);
    else this.sized(OP.BINUNICODE8, 8, [b], n);
    this.memoize();
  }

  bytes(b: Uint8Array): number {
    if (b.byteLength < 256) this.sized(OP.SHORT_BINBYTES, 1, [b], b.byteLength);
    else this.sized(OP.BINBYTES, 4, [b], b.byteLength);
    return this.memoize();
  }

  /** A bytearray made of `parts` (numpy's in-band PickleBuffer of a writable array). */
  bytearray(parts: readonly Uint8Array[]): void {
    const n = parts.reduce((a, p) => a + p.byteLength, 0);
    this.sized(OP.BYTEARRAY8, 8, parts, n);
    this.memoize();
  }

  /** `module.name` via STACK_GLOBAL, memoized and reused. */
  global(module: string, name: string): void {
    const key = `${module}\n${name}`;
    const cached = this.globals.get(key);
    if (cached !== undefined) {
      this.commit();
      return this.get(cached);
    }
    this.str(module);
    this.str(name);
    this.op(OP.STACK_GLOBAL);
    this.globals.set(key, this.memoize());
  }

  /** A tuple of values written by `items` (TUPLE1-3 or MARK ... TUPLE, as Python chooses by length). */
  tuple(count: number, items: () => void): void {
    if (count === 0) return this.op(OP.EMPTY_TUPLE);
    if (count > 3) this.op(OP.MARK);
    items();
    this.op(count === 1 ? OP.TUPLE1 : count === 2 ? OP.TUPLE2 : count === 3 ? OP.TUPLE3 : OP.TUPLE);
    this.memoize();
  }

  /** A list: EMPTY_LIST, then APPEND for one item or MARK ... APPENDS per batch of 1000. */
  list<T>(items: readonly T[], write: (item: T, index: number) => void): number {
    this.op(OP.EMPTY_LIST);
    const index = this.memoize();
    this.batched(items, write, OP.APPEND, OP.APPENDS);
    return index;
  }

  /** A dict of string keys: EMPTY_DICT, then SETITEM / MARK ... SETITEMS. */
  dict(entries: ReadonlyArray<readonly [string, () => void]>): number {
    this.op(OP.EMPTY_DICT);
    const index = this.memoize();
    this.batched(entries, ([k, v]) => (this.str(k), v()), OP.SETITEM, OP.SETITEMS);
    return index;
  }

  private batched<T>(items: readonly T[], write: (item: T, index: number) => void, one: number, many: number): void {
    for (let i = 0; i < items.length; i += 1000) {
      const end = Math.min(items.length, i + 1000);
      if (end - i === 1) {
        write(items[i]!, i);
        this.op(one);
      } else {
        this.op(OP.MARK);
        for (let j = i; j < end; j++) write(items[j]!, j);
        this.op(many);
      }
    }
  }

  /** Ends the pickle (STOP) and returns its chunks. */
  finish(): Buffer[] {
    this.op(OP.STOP);
    this.commit(true);
    return this.chunks;
  }
}
