import { node, pipeline, Pipeline } from 'dqm-playground-ds/pipeline';
import { layerNamespace, layersOf, monitoringElementsOf } from '../layers';
import { aggregateProperties, computeGeometricalProperties, computeMeanImage, computeRmse, computeSummaryStatistics } from './nodes';

export interface RegistryContext {
  parameters: Record<string, unknown>;
}

/** The per-layer feature pipeline, written once (node names as in the original project). */
export function createBasePipeline(): Pipeline {
  const tags = ['data_science'];
  return new Pipeline([
    node(computeSummaryStatistics, 'preprocessed_raw_pixel_layer', 'summary_statistics', { name: 'compute_summary_statistics_node', tags }),
    node(computeGeometricalProperties, 'preprocessed_raw_pixel_layer', 'geometrical_properties', { name: 'compute_geometrical_properties_node', tags }),
    node(computeMeanImage, 'preprocessed_raw_pixel_layer', 'mean_image', { name: 'compute_mean_image', tags }),
    node(computeRmse, ['preprocessed_raw_pixel_layer', 'mean_image'], 'images_rmse', { name: 'compute_rmse_node', tags }),
    node(aggregateProperties, ['summary_statistics', 'geometrical_properties', 'images_rmse'], 'aggregated_properties', { name: 'aggregate_properties', tags }),
  ]);
}

/**
 * data_science: the base pipeline instantiated per layer in namespace `layer_N`, reading
 * `preprocessed_raw_pixel_layer_N` and giving `layer_N.summary_statistics`, ...,
 * `layer_N.aggregated_properties`; and per monitoring element (1D or 2D; the kernels follow the
 * dimension) in namespace `<me>`, reading `<me>.preprocessed`.
 */
export function createPipeline(ctx: RegistryContext = { parameters: {} }): Pipeline {
  const base = createBasePipeline();
  const inNamespace = (namespace: string, input: string) => pipeline(base, { namespace, inputs: { preprocessed_raw_pixel_layer: input }, tags: [namespace] });
  return new Pipeline([
    ...layersOf(ctx.parameters).map((layer) => inNamespace(layerNamespace(layer), `preprocessed_raw_pixel_layer_${layer}`)),
    ...monitoringElementsOf(ctx.parameters).map((me) => inNamespace(me, `${me}.preprocessed`)),
  ]);
}
