import { describe, expect, it } from 'vitest';
import { createHistogramSet, mapOf } from '../data';
import { pixelMapShape } from '../dqm';
import { heatmapOfMap, heatmapOfMapInSlices } from './preview';

describe('heatmapOfMapInSlices', () => {
  it('is heatmapOfMap\'s preview, built a slice at a time (the event loop gets turns in between)', async () => {
    const set = createHistogramSet(pixelMapShape(1), 3);
    set.values.forEach((_, i) => (set.values[i] = (i % 977) / 7 + (i % 5 === 0 ? NaN : 0)));
    set.run.set([1, 1, 2]);
    set.lumi.set([10, 11, 1]);
    set.entries.set([5.12345, 6, 7]);
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    for (let round = 0; round < 10; round++) {
      for (const ls of [0, 2]) expect(await heatmapOfMapInSlices(set, ls, mapOf(set, ls))).toEqual(heatmapOfMap(set, ls, mapOf(set, ls)));
    }
    clearInterval(ticking);
    expect(turns).toBeGreaterThan(0);
  });
});
