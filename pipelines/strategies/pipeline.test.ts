import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { aggregatedProperties, certifiedTask, labelsTable, simulatedLayer, simulation } from '../../lib/dqm/strategies/simulated.fixtures';
import { smallSet } from '../../lib/dqm/strategies/strategies.fixtures';
import { DataCatalog } from 'dqm-playground-ds/io';
import { tableToRows, type Table } from 'dqm-playground-ds/data';
import { add } from 'dqm-playground-ds/pipeline';
import { runPipeline } from 'dqm-playground-ds/runner';
import { load_task, makeFit } from './nodes';
import { createEvaluationPipeline, createPipeline, enabledStrategies } from './pipeline';

const REPO = path.resolve(__dirname, '../..');
const PARAMS = parseYaml(fs.readFileSync(path.join(REPO, 'conf/base/parameters/strategies.yml'), 'utf8')) as Record<string, unknown>;

describe('strategies pipeline structure', () => {
  it('has one namespace per strategy, per-layer fit/predict nodes and exported predictions', () => {
    const p = createPipeline({ parameters: { ...PARAMS, layers: [1, 2] } });
    const names = p.nodes.map((n) => n.name);
    expect(names).toContain('strategies.load_task');
    expect(names).toContain('strategy_pca.layer_2.fit_model');
    expect(names).toContain('strategy_nmf.layer_1.predict');
    expect(names).toContain('strategy_feature_zscore.collect_predictions');
    const outputs = p.allOutputs();
    for (const ns of ['strategy_mean_distance', 'strategy_pca', 'strategy_nmf', 'strategy_feature_zscore']) {
      expect(outputs.has(`${ns}.predictions`)).toBe(true);
      expect(outputs.has(`${ns}.flagged_lumisections`)).toBe(true);
      expect(outputs.has(`${ns}.flagged_lumisections_csv`)).toBe(true);
    }
    expect(outputs.has('strategy_pca.layer_1.worst_residual')).toBe(true);
    expect(outputs.has('strategy_feature_zscore.layer_1.worst_residual')).toBe(false);
    expect([...p.inputs()].sort()).toEqual([
      'layer_1.aggregated_properties',
      'layer_2.aggregated_properties',
      'params:strategies.task',
      'params:strategy_feature_zscore',
      'params:strategy_mean_distance',
      'params:strategy_nmf',
      'params:strategy_pca',
      'preprocessed_raw_pixel_layer_1',
      'preprocessed_raw_pixel_layer_2',
    ]);
    expect([...createEvaluationPipeline({ parameters: PARAMS }).inputs()]).toContain('anomaly_labels');
  });

  it('rejects bad strategy lists', () => {
    expect(enabledStrategies({ strategies: { enabled: ['pca'] } })).toEqual(['pca']);
    expect(() => enabledStrategies({ strategies: { enabled: ['pcb'] } })).toThrow(
      `parameter 'strategies.enabled': unknown strategy "pcb" (strategies: mean_distance, pca, nmf, feature_zscore)`,
    );
  });

  it('names the task, its runs and the data runs when the develop set selects nothing', () => {
    const task = load_task({ name: 'x', develop: { mask: { '99': [[1, 5]] } }, apply: { mask: { '1': [[1, 5]] } } });
    const fit = makeFit('mean_distance', 'preprocessed_raw_pixel_layer_1');
    expect(() => fit(smallSet({ n: 3 }), task, {})).toThrow(
      "Task 'x': the develop set (1 runs, 1 ranges, 5 lumisections; runs 99) selects no lumisection of preprocessed_raw_pixel_layer_1 (runs 1)",
    );
    expect(() => load_task(undefined)).toThrow("No task given: set parameter 'strategies.task'");
  });
});

describe('strategies on the simulator (seed 1, the shipped task conf/base/tasks/simulated.yml)', () => {
  it('runs every strategy through the runner; the best module_off AUC is ≥ 0.95', async () => {
    const plan = simulation({ seed: 1 });
    const layers = plan.options.layers;
    // the shipped example task still matches the simulator's defaults
    const shipped = load_task('simulated');
    expect({ develop: shipped.develop, apply: shipped.apply }).toEqual(certifiedTask(plan));
    const catalog = DataCatalog.fromConfig({}, { projectRoot: REPO });
    catalog.addFeedDict({ ...PARAMS, layers });
    for (const layer of layers) {
      const h = simulatedLayer(plan, layer);
      await catalog.ensure(`preprocessed_raw_pixel_layer_${layer}`).save(h);
      await catalog.ensure(`layer_${layer}.aggregated_properties`).save(aggregatedProperties(h));
    }
    await catalog.ensure('anomaly_labels').save(labelsTable(plan));
    const ctx = { parameters: { ...PARAMS, layers } };
    const result = await runPipeline(add(createPipeline(ctx), createEvaluationPipeline(ctx)), catalog);
    expect(result.status).toBe('success');
    const metrics = tableToRows(result.outputs['strategies_evaluation.metrics'] as Table);
    const pooled = metrics.filter((r) => r.layer === 'all');
    console.log(
      ['strategy         type            n_bad  n_good  AUC     eff@WP  fpr@WP']
        .concat(
          pooled.map((r) =>
            [String(r.strategy).padEnd(16), String(r.anomaly_type).padEnd(15), String(r.n_anomalous).padStart(5), String(r.n_good).padStart(7), (r.auc as number).toFixed(4), (r.efficiency as number).toFixed(3).padStart(7), (r.fpr as number).toFixed(3).padStart(7)].join(' '),
          ),
        )
        .join('\n'),
    );
    const moduleOff = pooled.filter((r) => r.anomaly_type === 'module_off').map((r) => r.auc as number);
    expect(moduleOff).toHaveLength(4);
    expect(Math.max(...moduleOff)).toBeGreaterThanOrEqual(0.95);
    const flagged = result.outputs['strategy_mean_distance.flagged_lumisections'] as Record<string, Array<[number, number]>>;
    expect(Object.keys(flagged)).toEqual(['357000']);
    const roc = result.outputs['strategies_evaluation.roc_plot'] as { data: Array<{ name: string }> };
    expect(roc.data.map((d) => d.name)[0]).toMatch(/^mean_distance \(AUC 0\.9\d\d\)$/);
    const residual = result.outputs['strategy_pca.layer_1.worst_residual'] as { ny: number; nx: number };
    expect([residual.ny, residual.nx]).toEqual([50, 75]);
  }, 600_000);
});
