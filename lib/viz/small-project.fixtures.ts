import { node, Pipeline, pipeline } from '../pipeline';
import type { GraphSource } from './build-graph';

/** Named graph states shared by the unit tests (and usable by browser tests). */
export function summary_statistics(raw: unknown, threshold: unknown) {
  return [raw, threshold];
}
export function mean_image(stats: unknown) {
  return stats;
}
export function report(mean: unknown) {
  return mean;
}

/** A layer pipeline reused under namespace `layer_1`, plus a report node at the root. */
export function smallProjectSource(): GraphSource {
  const layer = new Pipeline([
    node(summary_statistics, ['raw', 'params:threshold'], 'stats', { tags: ['processing'] }),
    node(mean_image, 'stats', 'mean', { tags: ['processing'] }),
  ]);
  const layer1 = pipeline(layer, { namespace: 'layer_1', inputs: { raw: 'raw_pixel_layer_1' }, outputs: { mean: 'mean_image_1' } });
  const reporting = new Pipeline([node(report, 'mean_image_1', 'report_table', { tags: ['reporting'] })]);
  const all = new Pipeline([layer1, reporting]);
  const layers: Record<string, string> = { raw_pixel_layer_1: 'raw', 'layer_1.stats': 'intermediate', mean_image_1: 'primary', report_table: 'reporting' };
  return {
    pipelines: { __default__: all, data_processing: layer1, reporting },
    parameters: { threshold: 0.5, other: 1 },
    describeDataset: (name) => (name in layers ? { type: 'CSVDataset', layer: layers[name] } : undefined),
  };
}
