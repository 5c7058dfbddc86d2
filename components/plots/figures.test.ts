import { describe, expect, it } from 'vitest';
import type { SeriesResponse } from '../../lib/graph';
import { centres, matrixLabel, robustMax, runOffsets, timeSeriesFigure } from './figures';
import { parsePlotsView, serializePlotsView } from './plots-url';

const series: SeriesResponse = {
  layer: 1,
  variable: { id: 'mean', kind: 'feature', label: 'Mean occupancy (clusters / bin)' },
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
    const v = { layer: 2, variable: 'strategy_pca', x: 'mean', y: 'rmse', selected: { run: 357000, lumi: 12 } };
    expect(serializePlotsView(v)).toBe('?layer=2&variable=strategy_pca&x=mean&y=rmse&run=357000&lumi=12');
    expect(parsePlotsView(serializePlotsView(v))).toEqual(v);
    expect(parsePlotsView('?layer=abc&run=1')).toEqual({ layer: null, variable: null, x: null, y: null, selected: null });
  });
});
