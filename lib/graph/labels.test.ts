import { describe, expect, it } from 'vitest';
import { middleEllipsis, nodeLabel, prettyName, shortName } from './labels';

describe('labels', () => {
  it('drops the namespace the box already shows, innermost first', () => {
    expect(shortName('layer_1.compute_rmse_node', ['layer_1'])).toBe('compute_rmse_node');
    expect(shortName('strategy_pca.layer_2', ['strategy_pca'])).toBe('layer_2');
    expect(shortName('a.b.c', ['a', 'a.b'])).toBe('c');
    expect(shortName('preprocess_raw_pixel_layer_1_node', [])).toBe('preprocess_raw_pixel_layer_1_node');
    // Kedro-Viz exports name nodes without their namespace: nothing to drop.
    expect(shortName('split_data', ['data_science'])).toBe('split_data');
  });

  it('makes pretty names as Kedro-Viz does', () => {
    expect(prettyName('compute_rmse_node')).toBe('Compute Rmse Node');
    expect(prettyName('params:data_processing')).toBe('Params: Data Processing');
  });

  it('cuts long labels in the middle, so names sharing a prefix stay apart', () => {
    const a = middleEllipsis('strategy_mean_distance_with_a_long_suffix.layer_1', 30);
    const b = middleEllipsis('strategy_mean_distance_with_a_long_suffix.layer_2', 30);
    expect(a).toHaveLength(30);
    expect(a).not.toBe(b);
    expect(a.endsWith('layer_1')).toBe(true);
    expect(middleEllipsis('short', 30)).toBe('short');
    expect(nodeLabel('layer_3.images_rmse', ['layer_3'], false)).toBe('images_rmse');
  });
});
