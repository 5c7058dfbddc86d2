import { node, Pipeline } from 'dqm-playground-ds/pipeline';
import { layersOf, monitoringElementsOf } from '../layers';
import { preprocessMonitoringElement, preprocessPixelLayer, type DataProcessingParams } from './nodes';

export interface RegistryContext {
  parameters: Record<string, unknown>;
}

/**
 * data_processing: one node per layer in `params:layers`,
 * `raw_pixel_layer_N` -> `preprocessed_raw_pixel_layer_N` (node `preprocess_raw_pixel_layer_N_node`,
 * the original's name). The names sort after `layer_N.*`: the sequential runner, which runs ready
 * nodes in name order, finishes a layer's features before parsing the next layer, so only one
 * layer's maps are in memory at a time. Then one node per monitoring element in
 * `params:monitoring_elements`: `<me>.raw` (any HistogramSet dataset, 1D or 2D) -> `<me>.preprocessed`
 * (node `<me>.preprocess`).
 */
export function createPipeline(ctx: RegistryContext = { parameters: {} }): Pipeline {
  const mes = monitoringElementsOf(ctx.parameters).map((me) =>
    node(
      { [`preprocess_${me}`]: (raw: unknown, params: DataProcessingParams) => preprocessMonitoringElement(raw, params, me) }[`preprocess_${me}`]!,
      [`${me}.raw`, 'params:data_processing'],
      `${me}.preprocessed`,
      { name: 'preprocess', namespace: me, tags: ['data_processing', me] },
    ),
  );
  return new Pipeline([
    ...layersOf(ctx.parameters).map((layer) =>
      node(
        // A named function per layer: the node (and its error messages) say which layer it is.
        { [`preprocess_pixel_layer_${layer}`]: (raw: unknown, params: DataProcessingParams) => preprocessPixelLayer(raw as never, params, layer) }[`preprocess_pixel_layer_${layer}`]!,
        [`raw_pixel_layer_${layer}`, 'params:data_processing'],
        `preprocessed_raw_pixel_layer_${layer}`,
        { name: `preprocess_raw_pixel_layer_${layer}_node`, tags: ['data_processing', `layer_${layer}`] },
      ),
    ),
    ...mes,
  ]);
}
