import { describe, expect, it } from 'vitest';
import { table } from 'dqm-playground-ds/data';
import { preprocessPixelLayer } from './nodes';

const raw = () => table({ run: [1], lumi: [1], map: [`[${new Array(202 * 302).fill(1).join(', ')}]`] });

describe('preprocessPixelLayer', () => {
  it('builds the layer set with the layer title and full-map moments', async () => {
    const h = await preprocessPixelLayer(raw(), { min_entries: 0, normalisation: 'none' }, 4).materialise();
    expect(h.title).toBe('clusterposition_zphi_PXLayer_4');
    expect([h.ny, h.nx, h.entries[0], h.rawSumSq![0]]).toEqual([200, 300, 61004, 61004]);
  });

  it('rejects bad parameters', () => {
    expect(() => preprocessPixelLayer(raw(), { min_entries: -1 }, 1)).toThrow("Parameter 'data_processing.min_entries' must be a number ≥ 0, got -1");
    expect(() => preprocessPixelLayer(raw(), { normalisation: 'log' as never }, 1)).toThrow(
      'Parameter \'data_processing.normalisation\' must be none, entries or max, got "log"',
    );
  });
});
