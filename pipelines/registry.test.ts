import { describe, expect, it } from 'vitest';
import { registerPipelines } from './registry';

describe('the DQM pipeline registry', () => {
  it('instantiates the per-layer pipelines under the contract names', () => {
    const p = registerPipelines({ parameters: { layers: [3, 1], cluster_charge: { in_default: true } } });
    expect(Object.keys(p).sort()).toEqual([
      '__default__', 'cluster_charge', 'data_extraction', 'data_processing', 'data_science', 'data_visualization', 'evaluate', 'strategies', 'strategies_evaluation', 'upload',
    ]);
    expect([...p.cluster_charge!.outputs()].sort()).toEqual(['cluster_charge.layer_1.reference', 'cluster_charge.layer_3.reference']);
    expect([...p.data_processing!.inputs()].sort()).toEqual(['params:data_processing', 'raw_pixel_layer_1', 'raw_pixel_layer_3']);
    expect([...p.data_science!.allOutputs()].filter((d) => d.startsWith('layer_3.')).sort()).toEqual([
      'layer_3.aggregated_properties', 'layer_3.geometrical_properties', 'layer_3.images_rmse', 'layer_3.mean_image', 'layer_3.summary_statistics',
    ]);
    expect([...p.data_science!.inputs()].sort()).toEqual(['preprocessed_raw_pixel_layer_1', 'preprocessed_raw_pixel_layer_3']);
    expect([...p.data_visualization!.outputs()].filter((d) => d.startsWith('layer_1.')).sort()).toEqual([
      'layer_1.correlation_plots', 'layer_1.mean_image_plot', 'layer_1.time_series_plots',
    ]);
    // Node order: the 1D ME's references (cluster_charge, in __default__), then each layer's
    // features and plots before the next layer is parsed.
    expect(p.__default__!.nodeNames()).toEqual([
      'cluster_charge.layer_1.reference_histogram', 'cluster_charge.layer_3.reference_histogram',
      'preprocess_raw_pixel_layer_1_node',
      'layer_1.compute_geometrical_properties_node', 'layer_1.compute_mean_image', 'layer_1.compute_rmse_node',
      'layer_1.compute_summary_statistics_node', 'layer_1.aggregate_properties',
      'layer_1.plot_correlations_node', 'layer_1.plot_mean_image_node', 'layer_1.plot_time_series_node',
      'preprocess_raw_pixel_layer_3_node',
      'layer_3.compute_geometrical_properties_node', 'layer_3.compute_mean_image', 'layer_3.compute_rmse_node',
      'layer_3.compute_summary_statistics_node', 'layer_3.aggregate_properties',
      'layer_3.plot_correlations_node', 'layer_3.plot_mean_image_node', 'layer_3.plot_time_series_node',
    ]);
  });

  it('keeps cluster_charge out of __default__ unless cluster_charge.in_default (a project of real map pickles only)', () => {
    expect(registerPipelines({ parameters: {} }).__default__!.nodeNames().filter((n) => n.startsWith('cluster_charge.'))).toEqual([]);
    const charge = (inDefault: boolean) => registerPipelines({ parameters: { cluster_charge: { in_default: inDefault } } }).__default__!.nodeNames().filter((n) => n.startsWith('cluster_charge.'));
    expect(charge(false)).toEqual([]);
    expect(charge(true)).toEqual([1, 2, 3, 4].map((l) => `cluster_charge.layer_${l}.reference_histogram`));
    expect(() => registerPipelines({ parameters: { cluster_charge: { in_default: 'yes' } } })).toThrow("Parameter 'cluster_charge.in_default' must be true or false, got \"yes\"");
  });

  it('defaults to the four layers and rejects bad layers', () => {
    expect(registerPipelines({ parameters: {} }).data_processing!.nodes).toHaveLength(4);
    expect(() => registerPipelines({ parameters: { layers: [1, 5] } })).toThrow("Parameter 'layers' must be a list of pixel barrel layers among 1, 2, 3, 4, got [1,5]");
  });
});
