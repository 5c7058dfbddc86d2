import { node, Pipeline } from 'dqm-playground-ds/pipeline';
import { layersOf } from '../layers';
import { reference_histogram } from './nodes';

export interface ClusterChargeContext {
  parameters: Record<string, unknown>;
}

/**
 * The 1D cluster-charge ME of each layer (`raw_cluster_charge_layer_N`, written by `dqm simulate`
 * as a DQMIO CSV): its reference, the mean of the task's develop LS. In `__default__` while
 * `cluster_charge.in_default` (conf/base/parameters/cluster_charge.yml), so `dqm run` makes the
 * reference the dashboard draws under each LS.
 */
export function createPipeline(ctx: ClusterChargeContext): Pipeline {
  return new Pipeline(
    layersOf(ctx.parameters).map((layer) =>
      node(reference_histogram, [`raw_cluster_charge_layer_${layer}`, 'params:strategies.task'], `cluster_charge.layer_${layer}.reference`, {
        name: 'reference_histogram',
        namespace: `cluster_charge.layer_${layer}`,
        tags: ['cluster_charge'],
      }),
    ),
  );
}
