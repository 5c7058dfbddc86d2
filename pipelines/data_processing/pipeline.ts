import { node, Pipeline } from 'dqm-playground-ds/pipeline';
import { layersOf } from '../layers';
import { preprocessPixelLayer, type DataProcessingParams } from './nodes';

export interface RegistryContext {
  parameters: Record<string, unknown>;
}

/**
 * data_processing: one node per layer in `params:layers`,
 * `raw_pixel_layer_N` -> `preprocessed_raw_pixel_layer_N` (node `preprocess_raw_pixel_layer_N_node`,
 * the original's name). The names sort after `layer_N.*`: the sequential runner, which runs ready
 * nodes in name order, finishes a layer's features before parsing the next layer, so only one
 * layer's maps are in memory at a time.
 */
export function createPipeline(ctx: RegistryContext = { parameters: {} }): Pipeline {
  return new Pipeline(
    layersOf(ctx.parameters).map((layer) =>
      node(
        // A named function per layer: the node (and its error messages) say which layer it is.
        { [`preprocess_pixel_layer_${layer}`]: (raw: unknown, params: DataProcessingParams) => preprocessPixelLayer(raw as never, params, layer) }[`preprocess_pixel_layer_${layer}`]!,
        [`raw_pixel_layer_${layer}`, 'params:data_processing'],
        `preprocessed_raw_pixel_layer_${layer}`,
        { name: `preprocess_raw_pixel_layer_${layer}_node`, tags: ['data_processing', `layer_${layer}`] },
      ),
    ),
  );
}
