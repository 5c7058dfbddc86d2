import { node, pipeline, Pipeline } from 'dqm-playground-ds/pipeline';
import { layerNamespace, layersOf } from '../layers';
import { plotCorrelations, plotMeanImage, plotTimeSeries, renderMeanImagePng } from './nodes';

export interface RegistryContext {
  parameters: Record<string, unknown>;
}

/**
 * The per-layer plots, written once; they read the layer's `aggregated_properties` and
 * `mean_image`. With `png` (parameter `data_visualization.png: true`, e.g. `--params
 * data_visualization.png=true`) the mean image is also rendered as a PNG.
 */
export function createBasePipeline(options: { png?: boolean } = {}): Pipeline {
  const tags = ['data_visualization'];
  const params = 'params:data_visualization';
  return new Pipeline([
    node(plotTimeSeries, ['aggregated_properties', 'mean_image', params], 'time_series_plots', { name: 'plot_time_series_node', tags }),
    node(plotCorrelations, ['aggregated_properties', 'mean_image', params], 'correlation_plots', { name: 'plot_correlations_node', tags }),
    node(plotMeanImage, ['mean_image', params], 'mean_image_plot', { name: 'plot_mean_image_node', tags }),
    ...(options.png ? [node(renderMeanImagePng, 'mean_image', 'mean_image_png', { name: 'render_mean_image_png_node', tags })] : []),
  ]);
}

/** data_visualization: the plots per layer in namespace `layer_N` (`layer_N.time_series_plots`, ...). */
export function createPipeline(ctx: RegistryContext = { parameters: {} }): Pipeline {
  const viz = ctx.parameters.data_visualization as { png?: unknown } | undefined;
  const base = createBasePipeline({ png: viz?.png === true });
  return new Pipeline(layersOf(ctx.parameters).map((layer) => pipeline(base, { namespace: layerNamespace(layer), tags: [`layer_${layer}`] })));
}
