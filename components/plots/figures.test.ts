import { describe, expect, it } from 'vitest';
import type { SeriesResponse } from '../../lib/graph';
import { centres, matrixLabel, robustMax, runOffsets, timeSeriesFigure } from './figures';
import { histogramFigure } from './histogram-figure';
import { parsePlotsView, serializePlotsView } from './plots-url';

const series: SeriesResponse = {
  layer: 1,
  variable: { id: 'mean', kind: 'feature', label: 'Mean occupancy (clusters / bin)' },
  threshold: null,
  bands: [],
  runs: [
    { run: 100, lumi: [1, 2, 3], value: [1, 2, 3], flaggedBy: [[], ['strategy_pca'], []] },
    { run: 101, lumi: [1, 2], value: [4, null], flaggedBy: [[], []] },
  ],
};
const theme = { dark: false };
type Trace = { name: string; x: number[]; customdata: unknown[]; type: string };
type Layout = { xaxis: { title: { text: string } }; yaxis: { title: { text: string } }; annotations: Array<{ text: string }>; shapes: unknown[] };

describe('plots figures', () => {
  it('lays runs end to end on the lumisection axis, one trace per run, flagged LS ringed', () => {
    expect([...runOffsets(series)]).toEqual([
      [100, 0],
      [101, 3],
    ]);
    const fig = timeSeriesFigure(series, { cmsLabel: 'Simulation', selected: { run: 101, lumi: 2 }, theme });
    const traces = fig.data as Trace[];
    expect(traces.map((t) => t.name)).toEqual(['Run 100', 'Run 101', 'Flagged']);
    expect(traces[1]!.x).toEqual([4, 5]);
    expect(traces[1]!.customdata).toEqual([
      [101, 1],
      [101, 2],
    ]);
    expect(traces[2]!.customdata).toEqual([[100, 2]]);
    expect(traces[0]!.type).toBe('scatter');
    const layout = fig.layout as unknown as Layout;
    expect(layout.xaxis.title.text).toBe('Lumisection (runs in sequence)');
    expect(layout.yaxis.title.text).toBe('Mean occupancy (clusters / bin)');
    expect(layout.annotations.map((a) => a.text)).toEqual(['<b>CMS</b> <i>Simulation</i>', 'Runs 100–101 · BPix layer 1', 'Run 101']);
    // the run boundary and the selected LS
    expect(layout.shapes).toHaveLength(2);
  });

  it('keeps a hot pixel from setting the colour range; bin centres; matrix labels', () => {
    const z = [Array.from({ length: 1000 }, (_, i) => (i === 7 ? 1e6 : 1 + (i % 10)))];
    expect(robustMax(z)).toBe(10);
    expect(robustMax([[0, 0]])).toBe(0);
    expect(centres({ min: 0, max: 10, label: '' }, 5)).toEqual([1, 3, 5, 7, 9]);
    expect(matrixLabel('strategy_pca')).toBe('score: pca');
  });

  it('round-trips the view through the URL; bad values fall back to defaults', () => {
    const v = { layer: 2, variable: 'strategy_pca', x: 'mean', y: 'rmse', selected: { run: 357000, lumi: 12 }, hist: 'raw_cluster_charge_layer_2', labels: 'golden' };
    expect(serializePlotsView(v)).toBe('?layer=2&variable=strategy_pca&x=mean&y=rmse&run=357000&lumi=12&hist=raw_cluster_charge_layer_2&labels=golden');
    expect(parsePlotsView(serializePlotsView(v))).toEqual(v);
    expect(parsePlotsView('?layer=abc&run=1')).toEqual({ layer: null, variable: null, x: null, y: null, selected: null, hist: null, labels: null });
  });

  it('shades the chosen label set\'s bad LS (one legend entry per type) and draws a score\'s working point', () => {
    const score: SeriesResponse = {
      ...series,
      variable: { id: 'strategy_pca', kind: 'score', label: 'pca' },
      threshold: 2.5,
      bands: [
        { run: 100, from: 2, to: 3, labelSet: 'simulator', type: 'hot_spot' },
        { run: 101, from: 1, to: 1, labelSet: 'simulator', type: 'hot_spot' },
        { run: 101, from: 2, to: 2, labelSet: 'golden', type: 'bad' },
      ],
    };
    type Shape = { type: string; x0: number; x1: number; y0: number; name?: string; showlegend?: boolean };
    const shapes = (timeSeriesFigure(score, { cmsLabel: 'Simulation', selected: null, theme, labelSet: 'simulator' }).layout.shapes as Shape[]).filter((s) => s.name);
    expect(shapes.map((s) => [s.type, s.x0, s.x1, s.name, s.showlegend])).toEqual([
      ['rect', 1.5, 3.5, 'labelled: hot_spot', true],
      // run 101 starts after run 100's 3 LS
      ['rect', 3.5, 4.5, 'labelled: hot_spot', false],
      ['line', 0, 1, 'Working point', true],
    ]);
    expect(shapes[2]!.y0).toBe(2.5);
    const golden = (timeSeriesFigure(score, { cmsLabel: 'Simulation', selected: null, theme, labelSet: 'golden' }).layout.shapes as Shape[]).filter((s) => s.type === 'rect');
    expect(golden.map((s) => [s.x0, s.x1, s.name])).toEqual([[4.5, 5.5, 'golden: bad']]);
    // a feature has no working point
    expect((timeSeriesFigure({ ...score, variable: series.variable }, { cmsLabel: 'x', selected: null, theme, labelSet: null }).layout.shapes as Shape[]).some((s) => s.name === 'Working point')).toBe(false);
  });

  it('draws a 1D LS over its reference scaled to the LS entries, the ratio below, log y on request', () => {
    const counts = [0, 10, 40, 10];
    const fig = histogramFigure({ x: { min: 0, max: 4, label: 'Charge', unit: 'e' }, counts, reference: [0, 0.25, 0.5, 0.25], entries: 60, yLabel: 'clusters', lsName: 'LS 3', referenceName: 'Reference', logY: true, right: '', theme });
    type T = { name: string; x: number[]; y: Array<number | null>; yaxis?: string };
    const [ref, ratio, ls] = fig.data as T[];
    expect(ref!.y).toEqual([0, 15, 30, 15]);
    expect(ratio!.yaxis).toBe('y2');
    expect(ratio!.y).toEqual([null, 10 / 15, 40 / 30, 10 / 15]);
    expect(ls!.x).toEqual([0.5, 1.5, 2.5, 3.5]);
    const layout = fig.layout as { yaxis: { type: string }; yaxis2: { domain: number[] }; xaxis: { title: { text: string } } };
    expect([layout.yaxis.type, layout.yaxis2.domain, layout.xaxis.title.text]).toEqual(['log', [0, 0.24], 'Charge (e)']);
  });
});
