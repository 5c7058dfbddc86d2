import { node, Pipeline, pipeline, type Node } from '../pipeline';
import { buildFullGraph, type GraphSource } from './build-graph';
import type { GraphJson } from '../graph';

const LAYERS = ['raw', 'intermediate', 'primary', 'feature', 'model_output'];

/**
 * A deterministic pipeline-shaped graph of about `size` nodes (tasks + datasets + parameters):
 * modular pipelines of 20 tasks, each task reading one or two earlier datasets and a parameter
 * now and then, datasets spread over five layers. For benchmarks and layout tests.
 */
export function syntheticSource(size: number, seed = 1): GraphSource {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const tasks = Math.max(1, Math.round(size / 2.15));
  const perNs = 20;
  const namespaces = Math.ceil(tasks / perNs);
  const layerOf: Record<string, string> = {};
  const pipes: Pipeline[] = [];
  const shared: string[] = [];
  for (let k = 0; k < namespaces; k++) {
    const ns = `part_${String(k).padStart(3, '0')}`;
    const count = Math.min(perNs, tasks - k * perNs);
    const raw = `raw_${k}`;
    // Two stages, as in real projects: the first half refines raw data, the second models it.
    const stage2 = k >= Math.ceil(namespaces / 2);
    const nodes: Node[] = [];
    const made: string[] = ['input'];
    for (let j = 0; j < count; j++) {
      const a = made[Math.max(0, made.length - 1 - Math.floor(rand() * 3))]!;
      const ins = [a];
      if (rand() < 0.35 && made.length > 2) ins.push(made[Math.floor(rand() * made.length)]!);
      if (rand() < 0.25) ins.push(`params:${ns}.p${j % 3}`);
      const out = `d${j}`;
      const fn = function step(...xs: unknown[]) {
        return xs.length;
      };
      nodes.push(node(fn, [...new Set(ins)], out, { name: `step_${j}`, tags: j % 2 ? ['odd'] : ['even'] }));
      made.push(out);
      layerOf[`${ns}.${out}`] = LAYERS[(stage2 ? 3 : 1) + (j * 2 < count ? 0 : 1)]!;
    }
    const last = `${ns}_result`;
    const from = stage2 ? shared[Math.floor(rand() * shared.length)]! : raw;
    layerOf[raw] = 'raw';
    layerOf[last] = stage2 ? 'model_output' : 'primary';
    pipes.push(pipeline(nodes, { namespace: ns, inputs: { input: from }, outputs: { [`d${count - 1}`]: last } }));
    if (!stage2) shared.push(last);
  }
  const all = new Pipeline(pipes);
  return {
    pipelines: { __default__: all, first_half: new Pipeline(pipes.slice(0, Math.ceil(pipes.length / 2))) },
    parameters: {},
    describeDataset: (name) => ({ type: 'CSVDataset', layer: layerOf[name] ?? null }),
  };
}

export function syntheticGraph(size: number, seed = 1): GraphJson {
  return buildFullGraph(syntheticSource(size, seed));
}

/**
 * The shape of Kedro-Viz's own big test export ("largeDataset" in its browser tests: the
 * spaceflights project plus 1,000 `identity_func_N` nodes fanning out of one dataset; 2,061
 * nodes, 3,103 edges, 6 modular pipelines), rebuilt from our own pipeline code: modular
 * pipelines ingestion, feature_engineering, train_evaluation (with linear_regression and
 * random_forest) and reporting, six parameters, the fan-out inside ingestion.
 */
export function largeKedroVizSource(fanOut = 1000): GraphSource {
  const fn = (name: string) => ({ [name]: (...xs: unknown[]) => xs[0] })[name]!;
  const n = (name: string, inputs: string | string[], outputs: string | string[] | null) => node(fn(name), inputs, outputs, { name });
  const typing = ['companies', 'reviews', 'shuttles'].map((t) => n(`apply_types_to_${t}`, t, `int_typed_${t}`));
  const identities: Node[] = Array.from({ length: fanOut }, (_, i) => n(`identity_func_${i}`, 'prm_spine_table', `spine_copy_${i}`));
  const outs = Object.fromEntries(Array.from({ length: fanOut }, (_, i) => [`spine_copy_${i}`, `spine_copy_${i}`]));
  const ingestion = pipeline(
    [...typing, n('company_agg', 'int_typed_companies', 'prm_agg_companies'), n('combine_step', ['prm_agg_companies', 'int_typed_shuttles', 'int_typed_reviews', 'params:ingestion.typing.reviews.columns_as_floats'], ['prm_shuttle_company_reviews', 'prm_spine_table']), ...identities],
    { namespace: 'ingestion', inputs: { companies: 'companies', reviews: 'reviews', shuttles: 'shuttles' }, outputs: { prm_shuttle_company_reviews: 'prm_shuttle_company_reviews', ...outs }, parameters: ['params:ingestion.typing.reviews.columns_as_floats'] },
  );
  const features = pipeline(
    [
      n('create_static_features', ['prm_shuttle_company_reviews', 'params:feature_engineering.feature.static'], 'feat_static_features'),
      n('create_derived_features', ['prm_spine_table', 'prm_shuttle_company_reviews', 'params:feature_engineering.feature.derived'], 'feat_derived_features'),
      n('create_feature_importance', 'prm_spine_table', 'feature_importance_output'),
      n('joiner', ['prm_spine_table', 'feat_static_features', 'feat_derived_features'], 'model_input_table'),
    ],
    { namespace: 'feature_engineering', inputs: { prm_shuttle_company_reviews: 'prm_shuttle_company_reviews', prm_spine_table: 'ingestion.prm_spine_table' }, outputs: { model_input_table: 'model_input_table', feature_importance_output: 'feature_importance_output' }, parameters: ['params:feature_engineering.feature.static', 'params:feature_engineering.feature.derived'] },
  );
  const model = (kind: string) =>
    pipeline([n('train_model', ['X_train', 'y_train', `params:train_evaluation.model_options.${kind}`], ['regressor', 'experiment_params']), n('evaluate_model', ['regressor', 'X_test', 'y_test'], ['r2_score', 'metrics'])], {
      namespace: kind,
      inputs: { X_train: 'X_train', y_train: 'y_train', X_test: 'X_test', y_test: 'y_test' },
      parameters: [`params:train_evaluation.model_options.${kind}`],
    });
  const training = pipeline([n('split_data', ['model_input_table', 'params:split_options'], ['X_train', 'X_test', 'y_train', 'y_test']), model('linear_regression'), model('random_forest')], {
    namespace: 'train_evaluation',
    inputs: { model_input_table: 'model_input_table' },
    parameters: ['params:split_options', 'params:train_evaluation.model_options.linear_regression', 'params:train_evaluation.model_options.random_forest'],
  });
  const charts = ['make_cancel_policy_bar_chart', 'make_price_histogram', 'make_price_analysis_image', 'create_matplotlib_chart', 'create_feature_importance_plot'];
  const reporting = pipeline(
    charts.map((c, i) => n(c, i < 3 ? 'prm_shuttle_company_reviews' : 'feature_importance_output', `${c}_figure`)),
    { namespace: 'reporting', inputs: { prm_shuttle_company_reviews: 'prm_shuttle_company_reviews', feature_importance_output: 'feature_importance_output' }, outputs: Object.fromEntries(charts.map((c) => [`${c}_figure`, `${c}_figure`])) },
  );
  const all = new Pipeline([ingestion, features, training, reporting]);
  const layers: Record<string, string> = { companies: 'raw', reviews: 'raw', shuttles: 'raw', int_typed_companies: 'intermediate', int_typed_shuttles: 'intermediate', int_typed_reviews: 'intermediate', prm_shuttle_company_reviews: 'primary', 'ingestion.prm_spine_table': 'primary', feat_static_features: 'feature', model_input_table: 'model_input' };
  for (const c of charts) layers[`${c}_figure`] = 'reporting';
  return {
    pipelines: { __default__: all, 'Data ingestion': ingestion, 'Feature engineering': features, 'Modelling stage': training, 'Reporting stage': reporting, 'Pre-modelling': new Pipeline([ingestion, features]) },
    parameters: {},
    describeDataset: (name) => ({ type: name.startsWith('spine_copy_') ? 'MemoryDataset' : 'pandas.CSVDataset', layer: layers[name] ?? null }),
  };
}

export function largeKedroVizGraph(fanOut = 1000): GraphJson {
  return buildFullGraph(largeKedroVizSource(fanOut));
}
