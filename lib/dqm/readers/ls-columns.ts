import type { HistogramSet, HistogramSetShape } from '../../data';
import { completePermutation, permuteInPlace } from '../permute';
import { HistogramFileError } from './errors';

/**
 * The growing per-LS columns of the one ME a reader keeps: memory follows that ME's LS, not the
 * file. The first allocation is a bound on the LS count (file size / first kept line's length, at
 * most 256 MB): a single-ME file needs no doubling copy, and the untouched pages of a generous
 * bound are never resident; `finish` trims a mostly unused buffer.
 */
export class LsColumns {
  private cap = 0;
  private n = 0;
  private values = new Float32Array(0);
  private run = new Int32Array(0);
  private lumi = new Int32Array(0);
  private line = new Int32Array(0);
  private entries = new Float64Array(0);

  /** `d`: bins per LS as kept; `fileBytes`: the file's size, to bound the LS count. */
  constructor(private readonly d: number, private readonly fileBytes: number) {}

  /** The slot of the next LS (its `d` values start at the returned offset of `buffer()`). */
  push(run: number, lumi: number, entries: number, line: number, lineBytes: number, bytesSeen = 0): number {
    if (this.n === this.cap) {
      if (!this.cap) {
        const bound = Math.ceil(this.fileBytes / Math.max(1, lineBytes)) + 1;
        this.grow(Math.max(64, Math.min(bound, Math.floor((256 << 20) / (4 * this.d)))));
      } else {
        // Grow to the LS count the file's remaining bytes promise at this ME's share so far (+3 %):
        // one growth for a big ME, not doublings that peak at 3x its values and leave up to 2x.
        const estimate = bytesSeen > 0 ? Math.ceil((this.n * this.fileBytes) / bytesSeen * 1.03) + 16 : 0;
        this.grow(Math.max(estimate, Math.ceil(this.cap * 1.25)));
      }
    }
    const i = this.n++;
    this.run[i] = run;
    this.lumi[i] = lumi;
    this.entries[i] = entries;
    this.line[i] = line;
    return i * this.d;
  }

  buffer(): Float32Array {
    return this.values;
  }

  get count(): number {
    return this.n;
  }

  private grow(cap: number): void {
    const v = new Float32Array(cap * this.d);
    v.set(this.values.subarray(0, this.n * this.d));
    this.values = v;
    this.run = copyInto(new Int32Array(cap), this.run);
    this.lumi = copyInto(new Int32Array(cap), this.lumi);
    this.line = copyInto(new Int32Array(cap), this.line);
    this.entries = copyInto(new Float64Array(cap), this.entries);
    this.cap = cap;
  }

  /**
   * The set, sorted by (run, LS). A (run, LS) twice is an error naming both lines: which of two
   * exports of one lumisection is right cannot be guessed.
   */
  finish(shape: HistogramSetShape, file: string, hname: string): HistogramSet {
    const n = this.n;
    const { run, lumi, line } = this;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) sorted = run[i - 1]! < run[i]! || (run[i - 1] === run[i] && lumi[i - 1]! < lumi[i]!);
    if (!sorted) order.sort((a, b) => run[a]! - run[b]! || lumi[a]! - lumi[b]! || line[a]! - line[b]!);
    for (let j = 1; j < n; j++) {
      const a = order[j - 1]!;
      const b = order[j]!;
      if (run[a] === run[b] && lumi[a] === lumi[b]) {
        throw new HistogramFileError({ file, line: line[b]!, run: run[b]!, lumi: lumi[b]! }, `duplicate lumisection: run ${run[b]}, LS ${lumi[b]} of '${hname}' is also on line ${line[a]}`);
      }
    }
    const size = this.d;
    if (!sorted) permuteInPlace(this.values, size, completePermutation(order, n));
    const pick = <T extends Int32Array | Float64Array>(a: T): T => {
      const out = a.slice(0, n) as T;
      if (!sorted) for (let j = 0; j < n; j++) out[j] = a[order[j]!]!;
      return out;
    };
    // a view when the buffer is mostly used (no copy, no 2x peak), else a trimmed copy
    const values = n * 4 >= this.cap * 3 ? this.values.subarray(0, n * size) : this.values.slice(0, n * size);
    return { kind: 'histogram-set', ...shape, run: pick(run), lumi: pick(lumi), entries: pick(this.entries), values };
  }
}

function copyInto<T extends Int32Array | Float64Array>(to: T, from: T): T {
  to.set(from);
  return to;
}
