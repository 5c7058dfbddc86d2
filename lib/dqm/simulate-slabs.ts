/** Bytes per slab: ~80 maps' text. */
export const SLAB = 16 << 20;

/**
 * Slabs the map text is written into, handed back once the part file holding their maps is
 * written, and reused: fresh memory costs a page fault per 4 kB on first touch (with the
 * kernel zeroing the page), about a third of the simulator's system time before. One pool
 * per thread; only a writer that knows when a file is done may give slabs back.
 */
export class SlabPool {
  private readonly free: Buffer[] = [];

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(SLAB);
  }

  give(slabs: readonly Buffer[]): void {
    this.free.push(...slabs);
  }
}
