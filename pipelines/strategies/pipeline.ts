import { node, Pipeline, type Node } from 'dqm-playground-ds/pipeline';
import { StrategyError } from 'dqm-playground-ds/dqm';
import { layersOf } from '../layers';
import { withLayerInMemory } from './in-memory';
import { collect_predictions, export_flagged, load_task, makeEvaluate, makeFit, makePredict } from './nodes';

export interface StrategiesContext {
  parameters: Record<string, unknown>;
}

/** Strategy -> its modular-pipeline namespace (also the key of its parameters). */
export const STRATEGY_NAMESPACES: Readonly<Record<string, string>> = {
  mean_distance: 'strategy_mean_distance',
  pca: 'strategy_pca',
  nmf: 'strategy_nmf',
  feature_zscore: 'strategy_feature_zscore',
};

/** Where each strategy reads one layer from (datasets of data_processing / data_science). */
export function layerInput(strategy: string, layer: number): string {
  return strategy === 'feature_zscore' ? `layer_${layer}.aggregated_properties` : `preprocessed_raw_pixel_layer_${layer}`;
}

/** The simulator's ground truth, read by the evaluation pipeline. */
export const LABELS_DATASET = 'anomaly_labels';
export const TASK_DATASET = 'strategies.task';

/**
 * Anomaly-detection strategies as modular pipelines, one namespace each (`strategy_pca`, ...):
 * per layer `fit_model` on the task's develop LS and `predict` on its apply LS
 * (`strategy_pca.layer_1.predictions`, `.worst_residual`), then all layers in
 * `strategy_pca.predictions` and the flagged LS as Golden JSON and CSV.
 */
export function createPipeline(ctx: StrategiesContext): Pipeline {
  // the same layers as data_processing / data_science (pipelines/layers.ts)
  const layers = layersOf(ctx.parameters);
  const nodes: Node[] = [node(load_task, 'params:strategies.task', TASK_DATASET, { name: 'load_task', namespace: 'strategies', tags: ['strategies'] })];
  for (const strategy of enabledStrategies(ctx.parameters)) {
    const ns = STRATEGY_NAMESPACES[strategy]!;
    const tags = ['strategies', ns];
    for (const layer of layers) {
      const lns = `${ns}.layer_${layer}`;
      const input = layerInput(strategy, layer);
      nodes.push(
        node(withLayerInMemory(makeFit(strategy, input), 0), [input, TASK_DATASET, `params:${ns}`], `${lns}.model`, { name: 'fit_model', namespace: lns, tags }),
        node(
          withLayerInMemory(makePredict(strategy, input, layer), 1),
          [`${lns}.model`, input, TASK_DATASET],
          // table strategies have no map, so no residual
          strategy === 'feature_zscore' ? { predictions: `${lns}.predictions` } : { predictions: `${lns}.predictions`, worst_residual: `${lns}.worst_residual` },
          { name: 'predict', namespace: lns, tags },
        ),
      );
    }
    nodes.push(
      node(collect_predictions, layers.map((l) => `${ns}.layer_${l}.predictions`), `${ns}.predictions`, { name: 'collect_predictions', namespace: ns, tags }),
      node(export_flagged, `${ns}.predictions`, { json: `${ns}.flagged_lumisections`, csv: `${ns}.flagged_lumisections_csv` }, { name: 'export_flagged', namespace: ns, tags }),
    );
  }
  return new Pipeline(nodes);
}

/**
 * Compares every enabled strategy against the simulator's labels: `strategies_evaluation.metrics`
 * (AUC, efficiency and FPR at the working point per strategy, layer and anomaly type) and
 * `strategies_evaluation.roc_plot` (Plotly). Separate, so real data without labels runs the strategies.
 */
export function createEvaluationPipeline(ctx: StrategiesContext): Pipeline {
  const strategies = enabledStrategies(ctx.parameters);
  return new Pipeline([
    node(
      makeEvaluate(strategies),
      [LABELS_DATASET, ...strategies.map((s) => `${STRATEGY_NAMESPACES[s]}.predictions`)],
      { metrics: 'strategies_evaluation.metrics', roc: 'strategies_evaluation.roc_plot' },
      { name: 'evaluate_strategies', namespace: 'strategies_evaluation', tags: ['strategies'] },
    ),
  ]);
}

/** `strategies.enabled` (default: all four), validated against the known strategies. */
export function enabledStrategies(parameters: Record<string, unknown>): string[] {
  const conf = parameters.strategies as { enabled?: unknown } | undefined;
  const enabled = conf?.enabled ?? Object.keys(STRATEGY_NAMESPACES);
  if (!Array.isArray(enabled)) throw new StrategyError(`parameter 'strategies.enabled' must be a list of strategies, got ${JSON.stringify(enabled)}`);
  for (const s of enabled) {
    if (typeof s !== 'string' || !(s in STRATEGY_NAMESPACES)) {
      throw new StrategyError(`parameter 'strategies.enabled': unknown strategy ${JSON.stringify(s)} (strategies: ${Object.keys(STRATEGY_NAMESPACES).join(', ')})`);
    }
  }
  return enabled as string[];
}
