import { node, Pipeline, type Node } from 'dqm-playground-ds/pipeline';
import { StrategyError } from 'dqm-playground-ds/dqm';
import { histogram_features, makeEvaluateFit, makeEvaluateLabels, makeEvaluatePredict, prepare_evaluation, strategyOf } from './evaluate-nodes';

/** The histograms an evaluation reads (`dqm evaluate` points it at the user's CSV export). */
export const EVALUATE_HISTOGRAMS = 'evaluate.histograms';
export const EVALUATE_OUTPUTS = { metrics: 'evaluate.metrics', predictions: 'evaluate.predictions', roc: 'evaluate.roc_plot' } as const;

/** `evaluate.strategies`: the entries to run (each a strategy name or a variant with a `strategy:` key). */
export function evaluationStrategies(parameters: Record<string, unknown>): string[] {
  const conf = (parameters.evaluate ?? {}) as Record<string, unknown>;
  const list = conf.strategies ?? ['mean_distance', 'pca', 'nmf', 'feature_zscore', 'random_forest'];
  if (!Array.isArray(list) || !list.length || list.some((s) => typeof s !== 'string' || !/^[A-Za-z0-9_]+$/.test(s))) {
    throw new StrategyError(`parameter 'evaluate.strategies' must be a non-empty list of strategy names, got ${JSON.stringify(list)}`);
  }
  for (const s of list as string[]) strategyOf(s, conf[s]);
  return list as string[];
}

/**
 * Strategies judged on labelled LS of one monitoring element (`dqm evaluate`): check the masks,
 * then per strategy the strategies pipeline's `fit_model` (on develop LS good under every label
 * set; supervised ones on all develop LS with labels) and `predict` (apply LS), then
 * `evaluate_label_sets` (metrics per strategy × label set × run, predictions, ROC).
 */
export function createEvaluatePipeline(ctx: { parameters: Record<string, unknown> }): Pipeline {
  const strategies = evaluationStrategies(ctx.parameters);
  const conf = (ctx.parameters.evaluate ?? {}) as Record<string, unknown>;
  const tags = ['evaluate'];
  const nodes: Node[] = [
    node(prepare_evaluation, [EVALUATE_HISTOGRAMS, 'params:evaluate'], 'evaluate.selection', { name: 'prepare_evaluation', namespace: 'evaluate', tags }),
  ];
  const needsFeatures = strategies.some((s) => strategyOf(s, conf[s]).base === 'feature_zscore');
  if (needsFeatures) nodes.push(node(histogram_features, EVALUATE_HISTOGRAMS, 'evaluate.features', { name: 'histogram_features', namespace: 'evaluate', tags }));
  for (const s of strategies) {
    const input = strategyOf(s, conf[s]).base === 'feature_zscore' ? 'evaluate.features' : EVALUATE_HISTOGRAMS;
    const ns = `evaluate.${s}`;
    nodes.push(
      node(makeEvaluateFit(s, input), [input, 'evaluate.selection', `params:evaluate.${s}`], `${ns}.model`, { name: 'fit_model', namespace: ns, tags }),
      node(makeEvaluatePredict(s, input), [`${ns}.model`, input, 'evaluate.selection'], `${ns}.predictions`, { name: 'predict', namespace: ns, tags }),
    );
  }
  nodes.push(
    // the models too: a skipped one (a supervised strategy without bad develop LS) gets rows saying why
    node(makeEvaluateLabels(strategies), ['evaluate.selection', ...strategies.map((s) => `evaluate.${s}.predictions`), ...strategies.map((s) => `evaluate.${s}.model`)], EVALUATE_OUTPUTS, {
      name: 'evaluate_label_sets',
      namespace: 'evaluate',
      tags,
    }),
  );
  return new Pipeline(nodes);
}
