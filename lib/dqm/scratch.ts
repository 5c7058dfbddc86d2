import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { tempPathFor } from '../io';

/**
 * Maps parked on disk while a set is built: appended in parse order, read back one by one in
 * the final (run, lumi) order. It sits beside the output (same disk, and named like an atomic
 * write's temp file, `<output>.scratch.tmp-<pid>-<rand>`, so a run killed mid-way leaves nothing
 * the next start does not sweep: lib/io/stale-temp.ts).
 */
export class ScratchMaps {
  readonly path: string;
  private readonly fd: number;
  private readonly mapBytes: number;
  private closed = false;
  count = 0;

  constructor(target: string, mapSize: number) {
    mkdirSync(path.dirname(target), { recursive: true });
    this.path = tempPathFor(`${target}.scratch`);
    this.fd = openSync(this.path, 'wx+');
    this.mapBytes = mapSize * 4;
  }

  /** Appends whole maps (`maps.length` a multiple of the map size). */
  append(maps: Float32Array): void {
    const bytes = new Uint8Array(maps.buffer, maps.byteOffset, maps.byteLength);
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, this.count * this.mapBytes + done);
    this.count += maps.byteLength / this.mapBytes;
  }

  /** Map `i` (in append order) into `out`. */
  read(i: number, out: Float32Array): void {
    const bytes = new Uint8Array(out.buffer, out.byteOffset, this.mapBytes);
    for (let done = 0; done < bytes.length; ) {
      const got = readSync(this.fd, bytes, done, bytes.length - done, i * this.mapBytes + done);
      if (got === 0) throw new Error(`internal: scratch ${this.path} ends inside map ${i}`);
      done += got;
    }
  }

  /** Closes and deletes the file (safe to call twice). */
  remove(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    rmSync(this.path, { force: true });
  }
}

/** Runs `use` with a scratch file for `target`, removed whatever happens. */
export async function withScratch<T>(target: string, mapSize: number, use: (scratch: ScratchMaps) => Promise<T>): Promise<T> {
  const scratch = new ScratchMaps(target, mapSize);
  try {
    return await use(scratch);
  } finally {
    scratch.remove();
  }
}
