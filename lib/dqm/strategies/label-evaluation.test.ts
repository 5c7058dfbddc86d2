import { describe, expect, it } from 'vitest';
import { table } from '../../data';
import { LumiMask } from '../tasks';
import { evaluateLabelSets, rocFigureByLabel } from './label-evaluation';

// Two runs; run 1: LS 1-4, run 2: LS 1-4. `pixel` calls run 1 LS 3-4 bad; `golden` also run 2 LS 4.
const predictions = table({
  run: Int32Array.of(1, 1, 1, 1, 2, 2, 2, 2),
  lumi: Int32Array.of(1, 2, 3, 4, 1, 2, 3, 4),
  score: Float64Array.of(0.1, 0.5, 0.9, 0.4, 0.2, 0.3, 0.6, 0.8),
  flag: Int32Array.of(0, 0, 1, 0, 0, 0, 1, 1),
});
const pixel = LumiMask.fromGoldenJson({ 1: [[1, 2]], 2: [[1, 4]] });
const golden = LumiMask.fromGoldenJson({ 1: [[1, 2]], 2: [[1, 3]] });

function rowOf(t: ReturnType<typeof evaluateLabelSets>, label: string, run: string) {
  const c = t.columns;
  const i = Array.from({ length: t.rowCount }, (_, k) => k).find((k) => c.label![k] === label && c.run![k] === run);
  expect(i, `${label}/${run}`).toBeDefined();
  return Object.fromEntries(Object.keys(c).map((k) => [k, c[k]![i!]]));
}

describe('evaluateLabelSets', () => {
  const metrics = evaluateLabelSets({ md: predictions }, { pixel, golden });

  it('pools all apply LS and splits by run, per label set', () => {
    expect(metrics.rowCount).toBe(2 * 3);
    // pixel: bad scores {0.9, 0.4}, good {0.1, 0.5, 0.2, 0.3, 0.6, 0.8}: pairs won 6 + 3 of 12
    expect(rowOf(metrics, 'pixel', 'all')).toMatchObject({ strategy: 'md', auc: 9 / 12, n_apply: 8, n_bad: 2, efficiency: 0.5, fpr: 2 / 6 });
    // golden adds run 2 LS 4 (0.8) as bad: bad {0.9, 0.4, 0.8} vs good {0.1, 0.5, 0.2, 0.3, 0.6}: 5 + 3 + 5 of 15
    expect(rowOf(metrics, 'golden', 'all')).toMatchObject({ auc: 13 / 15, n_bad: 3, efficiency: 2 / 3, fpr: 1 / 5 });
    expect(rowOf(metrics, 'golden', '2')).toMatchObject({ auc: 1, n_apply: 4, n_bad: 1, efficiency: 1, fpr: 1 / 3 });
  });

  it('gives NaN AUC and efficiency where a run has no bad LS', () => {
    const r = rowOf(metrics, 'pixel', '2');
    expect(r.n_bad).toBe(0);
    expect(Number.isNaN(r.auc)).toBe(true);
    expect(Number.isNaN(r.efficiency)).toBe(true);
    expect(r.fpr).toBe(1 / 2);
  });

  it('refuses an evaluation without label sets and predictions without a score', () => {
    expect(() => evaluateLabelSets({ md: predictions }, {})).toThrow('evaluation needs at least one label set (a named lumi mask of good LS)');
    const noScore = table({ run: Int32Array.of(1), lumi: Int32Array.of(1), flag: Int32Array.of(0) });
    expect(() => evaluateLabelSets({ md: noScore }, { pixel })).toThrow("predictions of 'md' have no column 'score' (columns: run, lumi, flag)");
  });
});

describe('rocFigureByLabel', () => {
  it('draws one curve per strategy × label set on a log FPR axis, FPR 0 at the axis floor', () => {
    const fig = rocFigureByLabel({ md: predictions }, { pixel, golden });
    const curves = fig.data.filter((d) => d.mode === 'lines');
    expect(curves.map((d) => d.name)).toEqual(['md / pixel (AUC 0.7500)', 'md / golden (AUC 0.8667)']);
    const xaxis = fig.layout.xaxis as { type: string; range: number[] };
    expect(xaxis.type).toBe('log');
    // floor: half the smallest non-zero FPR of the curve with the most good LS (pixel: 6 good)
    expect(xaxis.range[0]).toBeCloseTo(Math.log10(0.5 / 6), 12);
    const pixelX = curves[0]!.x as number[];
    expect(pixelX[0]).toBeCloseTo(0.5 / 6, 12);
    expect(pixelX.at(-1)).toBe(1);
    const wp = fig.data.find((d) => d.name === 'md / pixel working point')!;
    expect(wp.x).toEqual([2 / 6]);
    expect(wp.y).toEqual([0.5]);
  });
});
