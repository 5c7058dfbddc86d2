import { isDeepStrictEqual } from 'node:util';
import { isHistogramSet, isTable } from '../data';

/** How many bytes a loaded value holds, roughly: the typed arrays of sets and tables; small values count 1 KB. */
export function bytesOf(value: unknown): number {
  if (isHistogramSet(value)) return value.values.byteLength + value.run.byteLength + value.lumi.byteLength + value.entries.byteLength + (value.rawSumSq?.byteLength ?? 0);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (isTable(value)) {
    let total = 0;
    for (const c of Object.values(value.columns as Record<string, unknown>)) total += ArrayBuffer.isView(c) ? c.byteLength : Array.isArray(c) ? c.reduce((s: number, cell: unknown) => s + cellBytes(cell), 0) : 0;
    return Math.max(total, 1024);
  }
  return 1024;
}

/** One cell of a plain-array column: a raw pickle's map cells are 190 KB byte strings, not 16 bytes. */
function cellBytes(cell: unknown): number {
  if (ArrayBuffer.isView(cell)) return cell.byteLength;
  if (typeof cell === 'string') return 16 + 2 * cell.length;
  return 16;
}

export interface ValueCacheOptions {
  /** At most this many entries. */
  maxEntries?: number;
  /** At most this many bytes of loaded values (bytesOf); the newest value is kept even when bigger. */
  maxBytes?: number;
  /** The size of a value (default bytesOf). */
  sizeOf?: (value: unknown) => number;
  /**
   * A new version (stamp) whose value is `keepIfSame` to the previous one keeps the previous
   * OBJECT: whatever was derived from it by identity (previews, serialised bodies, their gzip)
   * stays valid. A rerun rewrites its outputs with the same bytes; without this, every preview
   * of the dashboard is rebuilt after each run (bench:load: ~350 ms of the server's CPU per run).
   */
  keepIfSame?: (previous: unknown, next: unknown) => boolean;
}

interface Entry {
  stamp: string;
  value: Promise<unknown>;
  bytes: number;
  /** Set once the load succeeded: what a later version is compared with. */
  loaded?: { value: unknown };
}

/**
 * Equality for keepIfSame of small values (a set's header, one LS's map, a node's details):
 * node's deep strict equality, which returns at once on the same object and compares typed
 * arrays element by element. Whole sets and tables are never compared (as costly as reloading).
 */
export function sameSmallValue(previous: unknown, next: unknown): boolean {
  if (previous === next) return true;
  if (isHistogramSet(previous) || isHistogramSet(next) || isTable(previous) || isTable(next)) return false;
  return isDeepStrictEqual(previous, next);
}

/**
 * Loaded values kept between requests (LS slider moves reload nothing), least recently used
 * first out, bounded by count and by bytes (a 5,000-LS layer is 1.2 GB: a count alone would
 * let four of them fill the machine). The load PROMISE is cached: concurrent requests for one
 * dataset share one load instead of each reading the whole file (200 parallel misses used to
 * multiply the server's RSS). A failed load is not kept. `stamp` names the file's version
 * (mtime:size): a new stamp loads again.
 */
export class ValueCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly sizeOf: (value: unknown) => number;
  private readonly keepIfSame: ((previous: unknown, next: unknown) => boolean) | undefined;
  private bytes = 0;

  constructor(opts: number | ValueCacheOptions = {}) {
    const o = typeof opts === 'number' ? { maxEntries: opts } : opts;
    this.maxEntries = o.maxEntries ?? 4;
    this.maxBytes = o.maxBytes ?? Number.POSITIVE_INFINITY;
    this.sizeOf = o.sizeOf ?? bytesOf;
    this.keepIfSame = o.keepIfSame;
  }

  get(name: string, stamp: string, load: () => Promise<unknown>): Promise<unknown> {
    const hit = this.entries.get(name);
    if (hit && hit.stamp === stamp) {
      this.entries.delete(name);
      this.entries.set(name, hit);
      return hit.value;
    }
    if (hit) this.drop(name);
    const previous = hit?.loaded;
    const same = this.keepIfSame;
    const loading = load();
    const entry: Entry = { stamp, value: previous && same ? loading.then((v) => (same(previous.value, v) ? previous.value : v)) : loading, bytes: 0 };
    this.entries.set(name, entry);
    entry.value.then(
      (v) => {
        entry.loaded = { value: v };
        if (this.entries.get(name) !== entry) return;
        entry.bytes = this.sizeOf(v);
        this.bytes += entry.bytes;
        this.evict(name);
      },
      () => {
        if (this.entries.get(name) === entry) this.drop(name);
      },
    );
    this.evict(name);
    return entry.value;
  }

  /** Bytes held by the loaded values. */
  get size(): number {
    return this.bytes;
  }

  get count(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private drop(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    this.bytes -= e.bytes;
    this.entries.delete(name);
  }

  /** Oldest first out until within bounds; `keep` (the value just asked for) stays. */
  private evict(keep: string): void {
    for (const name of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
      if (name !== keep) this.drop(name);
    }
  }
}
