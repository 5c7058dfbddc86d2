import { describe, expect, it } from 'vitest';
import { buildGraph } from '../viz';
import { smallProjectSource } from '../viz/small-project.fixtures';
import { focusSet, sliceBetween } from './slice';

const g = buildGraph(smallProjectSource());

describe('sliceBetween', () => {
  it('highlights the path between two tasks and gives the run command', () => {
    const s = sliceBetween(g, 'layer_1.summary_statistics', 'report')!;
    expect([...s.nodes].sort()).toEqual(['layer_1.mean_image', 'layer_1.stats', 'layer_1.summary_statistics', 'mean_image_1', 'params:threshold', 'raw_pixel_layer_1', 'report'].sort());
    expect(s.command).toBe('dqm run --from-nodes layer_1.summary_statistics --to-nodes report');
  });

  it('takes datasets as ends: their readers and their writer', () => {
    const s = sliceBetween(g, 'layer_1.stats', 'report_table')!;
    expect(s.fromNodes).toEqual(['layer_1.mean_image']);
    expect(s.toNodes).toEqual(['report']);
    expect(s.nodes.has('layer_1.summary_statistics')).toBe(false);
  });

  it('names the pipeline when it is not the default one, and refuses ends with no path between', () => {
    const dp = buildGraph(smallProjectSource(), 'data_processing');
    expect(sliceBetween(dp, 'layer_1.summary_statistics', 'layer_1.mean_image')!.command).toBe('dqm run --pipeline data_processing --from-nodes layer_1.summary_statistics --to-nodes layer_1.mean_image');
    expect(sliceBetween(g, 'report', 'layer_1.summary_statistics')).toBeNull();
    expect(sliceBetween(g, 'layer_1', 'report')).toBeNull();
  });
});

describe('focusSet', () => {
  it('is the modular pipeline, its inputs and its outputs', () => {
    expect([...focusSet(g, 'layer_1')].sort()).toEqual(['layer_1', 'layer_1.mean_image', 'layer_1.stats', 'layer_1.summary_statistics', 'mean_image_1', 'params:threshold', 'raw_pixel_layer_1'].sort());
  });
});
