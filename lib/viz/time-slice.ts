import { setImmediate as nextTurn } from 'node:timers/promises';

/** At most this long on the event loop between two turns given back to other requests. */
const SLICE_MS = 4;

/** When the current slice began; shared by all sliced work, so many jobs back to back yield too. */
let sliceStart = performance.now();

/**
 * Long main-thread work (a heatmap's 60,000 numbers, its 140 KB of JSON) awaits this between
 * steps: past SLICE_MS since the last turn it gives the event loop one (setImmediate), so other
 * requests are answered in between instead of waiting for the whole job (bench:load's stalls).
 */
export async function yieldIfLong(): Promise<void> {
  if (performance.now() - sliceStart <= SLICE_MS) return;
  await nextTurn();
  sliceStart = performance.now();
}
