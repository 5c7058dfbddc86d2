import { describe, expect, it } from 'vitest';
import { table, tableToRows } from '../../data';
import { evaluatePredictions, flaggedCsvTable, flaggedGoldenJson, rocAuc, rocCurve, rocFigure, StrategyError, tableToCsv } from './index';

describe('ROC AUC (Mann–Whitney)', () => {
  it('matches a hand-computed case with ties', () => {
    // positives 0.35, 0.8, 0.4 vs negatives 0.1, 0.4: pairs won 1+0, 1+1, 1+0.5 of 6 -> 0.75
    expect(rocAuc([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 1, 1, 1])).toBe(0.75);
  });

  it('is 1 for perfect separation, 0.5 for all ties, NaN with one class', () => {
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [1, 0, 1, 0])).toBe(0.5);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
    expect(rocAuc([Number.POSITIVE_INFINITY, 1, 2], [1, 0, 0])).toBe(1);
  });

  it('traces the ROC curve with ties moving diagonally', () => {
    const c = rocCurve([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 1, 1, 1]);
    expect(c.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(c.tpr.map((x) => +x.toFixed(4))).toEqual([0, 0.3333, 0.6667, 1, 1]);
    expect(c.thresholds).toEqual([Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1]);
  });
});

describe('evaluation of predictions against labels', () => {
  // two layers, LS 1..6 of run 9; LS 2 module off on layer 1, LS 5 hot spot on layer 2
  const predictions = table({
    run: new Int32Array(12).fill(9),
    lumi: Int32Array.of(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6),
    layer: Int32Array.of(1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2),
    score: Float64Array.of(1, 9, 2, 3, 4, 1, 1, 2, 3, 2, 8, 7),
    flag: Int32Array.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1),
  });
  const labels = table({
    run: Int32Array.of(9, 9, 9),
    lumi: Int32Array.of(2, 5, 6),
    layer: Int32Array.of(1, 2, 1),
    anomaly_type: ['module_off', 'hot_spot', 'none'],
  });

  it('computes AUC, efficiency and FPR per layer and anomaly type', () => {
    const rows = tableToRows(evaluatePredictions({ s: predictions }, labels));
    const find = (layer: string, type: string) => rows.find((r) => r.layer === layer && r.anomaly_type === type);
    expect(find('all', 'any')).toEqual({ strategy: 's', layer: 'all', anomaly_type: 'any', n_anomalous: 2, n_good: 10, auc: 1, efficiency: 1, fpr: 0.1 });
    expect(find('1', 'module_off')).toMatchObject({ n_anomalous: 1, n_good: 5, auc: 1, efficiency: 1, fpr: 0 });
    expect(find('2', 'module_off')).toBeUndefined(); // no module_off on layer 2
    expect(find('2', 'hot_spot')).toMatchObject({ n_anomalous: 1, n_good: 5, auc: 1, efficiency: 1, fpr: 0.2 });
    expect(find('all', 'hot_spot')).toMatchObject({ n_anomalous: 1, n_good: 10 });
  });

  it('matches labels without a layer column on every layer', () => {
    const noLayer = table({ run: Int32Array.of(9), lumi: Int32Array.of(2), type: ['module_off'] });
    const rows = tableToRows(evaluatePredictions({ s: predictions }, noLayer));
    expect(rows.find((r) => r.layer === 'all' && r.anomaly_type === 'any')).toMatchObject({ n_anomalous: 2, n_good: 10, auc: 0.7 }); // 9 beats all 10 good, 2 beats three and ties two: 14/20
  });

  it('rejects labels without the needed columns', () => {
    expect(() => evaluatePredictions({ s: predictions }, table({ run: Int32Array.of(1) }))).toThrow(
      new StrategyError("labels need columns 'run', 'lumi' and one of 'anomaly_type', 'anomaly', 'type', 'label' (got run)"),
    );
  });

  it('draws a Plotly ROC figure with the AUC in the legend', () => {
    const fig = rocFigure({ s: predictions }, labels);
    expect(fig.data[0]!.name).toBe('s (AUC 1.000)');
    expect(fig.data[1]).toMatchObject({ mode: 'markers', x: [0.1], y: [1] });
    expect(JSON.parse(JSON.stringify(fig)).layout.xaxis.title.text).toBe('False-positive rate (good LS flagged)');
  });
});

describe('export of flagged lumisections', () => {
  const p = table({
    run: Int32Array.of(5, 5, 5, 5, 5, 6),
    lumi: Int32Array.of(1, 2, 3, 7, 2, 4),
    layer: Int32Array.of(1, 1, 1, 1, 2, 1),
    flag: Int32Array.of(1, 0, 1, 1, 1, 0),
  });
  it('writes Golden JSON (any layer flags the LS) and a run,lumisection table', () => {
    expect(flaggedGoldenJson(p)).toEqual({ '5': [[1, 3], [7, 7]] });
    expect(tableToCsv(flaggedCsvTable(p))).toBe('run,lumisection\n5,1\n5,2\n5,3\n5,7\n');
  });
  it('quotes CSV cells that need it', () => {
    expect(tableToCsv(table({ a: ['x,y', 'q"'], b: Float64Array.of(1.5, 2) }))).toBe('a,b\n"x,y",1.5\n"q""",2\n');
  });
});
