import { describe, expect, it } from 'vitest';
import { createHistogramSet } from 'dqm-playground-ds/data';
import { createEvaluatePipeline, evaluationStrategies } from './evaluate-pipeline';
import { resolveRebin, strategyOf } from './evaluate-nodes';

describe('evaluate pipeline structure', () => {
  it('checks the masks first, then fit/predict per strategy (the strategies pipeline nodes), then one evaluation', () => {
    const p = createEvaluatePipeline({ parameters: { evaluate: { strategies: ['mean_distance', 'feature_zscore'] } } });
    expect(p.nodeNames().sort()).toEqual([
      'evaluate.evaluate_label_sets',
      'evaluate.feature_zscore.fit_model',
      'evaluate.feature_zscore.predict',
      'evaluate.histogram_features',
      'evaluate.mean_distance.fit_model',
      'evaluate.mean_distance.predict',
      'evaluate.prepare_evaluation',
    ]);
    expect([...p.inputs()].sort()).toEqual(['evaluate.histograms', 'params:evaluate', 'params:evaluate.feature_zscore', 'params:evaluate.mean_distance']);
    expect([...p.outputs()].sort()).toEqual(['evaluate.metrics', 'evaluate.predictions', 'evaluate.roc_plot']);
  });

  it('rejects bad strategy lists and unknown base strategies', () => {
    expect(() => evaluationStrategies({ evaluate: { strategies: [] } })).toThrow("parameter 'evaluate.strategies' must be a non-empty list of strategy names, got []");
    expect(() => evaluationStrategies({ evaluate: { strategies: ['svm'] } })).toThrow(
      "evaluation strategy 'svm': unknown strategy 'svm' (strategies: mean_distance, pca, nmf, random_forest, feature_zscore)",
    );
    expect(strategyOf('md_ks', { strategy: 'mean_distance', metric: 'ks' })).toEqual({ base: 'mean_distance', params: { metric: 'ks' } });
  });

  it("resolves rebin 'auto': 1D keeps its bins up to max_bins, 2D maps rebin to at most 4000 bins", () => {
    const oneD = createHistogramSet({ title: 'h', ny: 1, nx: 100, x: { min: 0, max: 1, label: '' }, y: { min: 0, max: 1, label: '' } }, 1);
    const twoD = createHistogramSet({ title: 'm', ny: 200, nx: 300, x: { min: 0, max: 1, label: '' }, y: { min: 0, max: 1, label: '' } }, 1);
    expect(resolveRebin({ rebin: 'auto' }, oneD)).toEqual({ rebin: [1, 1] });
    expect(resolveRebin({ rebin: 'auto', max_bins: 25 }, oneD)).toEqual({ rebin: [1, 4] });
    expect(resolveRebin({}, twoD)).toEqual({ rebin: [4, 4] });
    expect(resolveRebin({ rebin: [2, 2], max_bins: 5 }, twoD)).toEqual({ rebin: [2, 2] });
  });
});
