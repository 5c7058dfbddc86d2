import { describe, expect, it } from 'vitest';
import { poissonPair, Prng } from './prng';

describe('poissonPair', () => {
  it('gives exactly the draws of two poisson() calls, and leaves the stream where they leave it', () => {
    // Small means (the interleaved search), zero and negative (no uniform drawn), large (PTRS), mixed pairs.
    const means = [0.001, 0.5, 3, 7.9, 9.999, 0, -1, 10, 42.5, 2500];
    const one = new Prng(7);
    const two = new Prng(7);
    const got = new Int32Array(2);
    for (const l1 of means) {
      for (const l2 of means) {
        for (let rep = 0; rep < 50; rep++) {
          const want = [one.poisson(l1), one.poisson(l2)];
          poissonPair(two, l1, l2, got, 0, 1);
          expect([l1, l2, got[0], got[1]]).toEqual([l1, l2, ...want]);
        }
      }
    }
    expect(two.uint32()).toBe(one.uint32());
  });
});
