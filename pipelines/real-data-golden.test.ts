/**
 * data_processing + data_science on the two real pickles, in-process as the catalog reads them
 * (text as bytes): a SHA-256 of every output (the preprocessed sets, the mean images, the
 * aggregated feature table), fixed before the speed work of issue 17. Faster parsing or kernels
 * must give these bytes exactly; dqm-real-data.test.ts checks the numbers against Python.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildHistogramSet, pixelMapShape } from '../lib/dqm';
import { readPandasPickle } from '../lib/io';
import { realPickle } from '../lib/dqm/real-run.fixtures';
import { aggregateProperties, computeGeometricalProperties, computeMeanImage, computeRmse, computeSummaryStatistics } from './data_science/nodes';

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('dp + ds on the real pickles', () => {
  it('give byte-identical sets, mean images and features', async () => {
    const hash = createHash('sha256');
    for (const layer of [1, 2] as const) {
      const set = await buildHistogramSet(readPandasPickle(readFileSync(realPickle(layer)), { textAsBytes: true }), { dataset: `raw_pixel_layer_${layer}`, shape: pixelMapShape(layer) });
      const mean = computeMeanImage(set);
      const agg = aggregateProperties(computeSummaryStatistics(set), computeGeometricalProperties(set), computeRmse(set, mean));
      hash.update(bytesOf(set.values));
      hash.update(bytesOf(mean.values));
      for (const [name, col] of Object.entries(agg.columns)) {
        hash.update(name);
        hash.update(bytesOf(col as Float64Array));
      }
    }
    expect(hash.digest('hex').slice(0, 16)).toBe('06e33e34c3467259');
  });
});
