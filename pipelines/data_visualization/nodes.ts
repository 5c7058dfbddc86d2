import { HistogramError } from 'dqm-playground-ds/dqm';
import { isHistogramSet, type HistogramSet, isTable, type Table } from 'dqm-playground-ds/data';
import { type PlotlyFigure, heatmapToPng } from 'dqm-playground-ds/io';

export interface DataVisualizationParams {
  /** Label next to "CMS" (default "Preliminary"; use "Simulation" for simulated data). */
  cms_label?: string;
  /** Also render the mean image as a PNG (`layer_N.mean_image_png`). */
  png?: boolean;
}

/** The aggregated variables plotted, with their axis titles. */
const VARIABLES: Array<[string, string]> = [
  ['entries', 'Entries [clusters]'],
  ['mean', 'Mean [clusters / bin]'],
  ['std', 'Std [clusters / bin]'],
  ['center_phi', 'Centre φ [bin]'],
  ['center_z', 'Centre z [bin]'],
  ['rmse', 'RMSE to mean image [clusters / bin]'],
  ['mean_diff', '|mean diff| to mean image [clusters / bin]'],
];

/** One figure: every aggregated variable against the lumisection, in stacked panels. */
export function plotTimeSeries(aggregated: Table, meanImage: HistogramSet, params?: DataVisualizationParams): PlotlyFigure {
  const t = expectAggregated(aggregated);
  const info = describeSet(meanImage, t);
  const { x, hover, xTitle } = lumiAxis(t);
  const n = VARIABLES.length;
  const gap = 0.012;
  const height = (1 - gap * (n - 1)) / n;
  const data = VARIABLES.map(([name, title], i) => ({
    type: 'scattergl', mode: 'lines+markers', name: title, x, y: Array.from(t.columns[name] as ArrayLike<number>),
    text: hover, hovertemplate: `%{text}<br>${name} = %{y}<extra></extra>`,
    marker: { size: 3 }, line: { width: 1 }, xaxis: 'x', yaxis: i === 0 ? 'y' : `y${i + 1}`,
  }));
  const layout: Record<string, unknown> = {
    height: 170 * n, showlegend: false, margin: { t: 60, l: 80, r: 20, b: 50 },
    xaxis: { title: { text: xTitle }, anchor: `y${n}` },
    annotations: cmsLabels(info, params),
  };
  VARIABLES.forEach(([, title], i) => {
    const top = 1 - i * (height + gap);
    layout[i === 0 ? 'yaxis' : `yaxis${i + 1}`] = { title: { text: title, font: { size: 10 } }, domain: [top - height, top], anchor: 'x' };
  });
  return { data, layout };
}

/** Pairwise correlations of the aggregated variables: one scatter-matrix (splom) figure. */
export function plotCorrelations(aggregated: Table, meanImage: HistogramSet, params?: DataVisualizationParams): PlotlyFigure {
  const t = expectAggregated(aggregated);
  const info = describeSet(meanImage, t);
  const { hover } = lumiAxis(t);
  const lumi = Array.from(t.columns.lumi as ArrayLike<number>);
  const data = [{
    type: 'splom',
    dimensions: VARIABLES.map(([name, title]) => ({ label: title.replace(/ \[.*\]$/, ''), values: Array.from(t.columns[name] as ArrayLike<number>) })),
    text: hover, showupperhalf: false, diagonal: { visible: false },
    marker: { size: 3, color: lumi, colorscale: 'Viridis', showscale: true, colorbar: { title: { text: 'Lumisection' } } },
  }];
  return {
    data,
    layout: { height: 900, width: 900, margin: { t: 60 }, dragmode: 'select', hovermode: 'closest', annotations: cmsLabels(info, params) },
  };
}

/** The run's mean image as a heatmap (z across, phi up), in the histogram's axis units. */
export function plotMeanImage(meanImage: HistogramSet, params?: DataVisualizationParams): PlotlyFigure {
  const h = expectSet(meanImage);
  const info = describeSet(h);
  const dx = (h.x.max - h.x.min) / h.nx;
  const dy = (h.y.max - h.y.min) / h.ny;
  const z: number[][] = [];
  // 4 significant digits: the figure stays small (60,000 bins) and the colours do not change.
  for (let y = 0; y < h.ny; y++) z.push(Array.from(h.values.subarray(y * h.nx, (y + 1) * h.nx), (v) => Number(v.toPrecision(4))));
  const unit = h.normalisation && h.normalisation !== 'none' ? 'fraction / bin' : 'clusters / bin / LS';
  return {
    data: [{ type: 'heatmap', z, x0: h.x.min + dx / 2, dx, y0: h.y.min + dy / 2, dy, colorscale: 'Viridis', colorbar: { title: { text: unit } } }],
    layout: {
      height: 600, margin: { t: 60 },
      xaxis: { title: { text: h.x.label } }, yaxis: { title: { text: h.y.label } },
      annotations: cmsLabels(info, params, 'mean image'),
    },
  };
}

/** The mean image as PNG bytes (viridis, 2 px per bin, phi up), for reports without Plotly. */
export function renderMeanImagePng(meanImage: HistogramSet): Buffer {
  const h = expectSet(meanImage);
  return heatmapToPng(h.values, h.ny, h.nx, { scale: 2, colorscale: 'viridis' });
}

interface SetInfo {
  layer: string;
  runs: string;
}

function describeSet(meanImage: unknown, t?: Table): SetInfo {
  const h = expectSet(meanImage);
  const layer = /PXLayer_(\d+)/.exec(h.title)?.[1] ?? '?';
  const runs = t ? [...new Set(Array.from(t.columns.run as ArrayLike<number>))] : [...new Set(Array.from(h.run))];
  const shown = runs.length > 3 ? `Runs ${runs[0]}–${runs[runs.length - 1]}` : `Run${runs.length > 1 ? 's' : ''} ${runs.join(', ')}`;
  return { layer, runs: shown };
}

/** "CMS Preliminary" top left, run(s) and layer top right, as CMS figures are labelled. */
function cmsLabels(info: SetInfo, params?: DataVisualizationParams, what?: string): Array<Record<string, unknown>> {
  const label = params?.cms_label ?? 'Preliminary';
  const right = `${info.runs} · Pixel barrel layer ${info.layer}${what ? ` · ${what}` : ''}`;
  return [
    { text: `<b>CMS</b> <i>${label}</i>`, xref: 'paper', yref: 'paper', x: 0, y: 1, xanchor: 'left', yanchor: 'bottom', showarrow: false, font: { size: 16 } },
    { text: right, xref: 'paper', yref: 'paper', x: 1, y: 1, xanchor: 'right', yanchor: 'bottom', showarrow: false, font: { size: 12 } },
  ];
}

/** x = lumisection for one run; for several runs, the LS sequence number (hover names run and LS). */
function lumiAxis(t: Table): { x: number[]; hover: string[]; xTitle: string } {
  const run = t.columns.run as ArrayLike<number>;
  const lumi = t.columns.lumi as ArrayLike<number>;
  const single = new Set(Array.from(run)).size <= 1;
  const hover = Array.from({ length: t.rowCount }, (_, i) => `Run ${run[i]}, LS ${lumi[i]}`);
  return single
    ? { x: Array.from(lumi), hover, xTitle: 'Lumisection' }
    : { x: Array.from({ length: t.rowCount }, (_, i) => i), hover, xTitle: 'Lumisection (runs in sequence)' };
}

function expectAggregated(value: unknown): Table {
  if (!isTable(value)) throw new HistogramError('The plots expect aggregated_properties to be a table', { code: 'BAD_INPUT' });
  const missing = ['run', 'lumi', ...VARIABLES.map(([n]) => n)].filter((c) => !(c in value.columns));
  if (missing.length) throw new HistogramError(`aggregated_properties lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, { code: 'BAD_FEATURES' });
  return value;
}

function expectSet(value: unknown): HistogramSet {
  if (!isHistogramSet(value)) throw new HistogramError('The mean image plot expects a HistogramSet (mean_image)', { code: 'BAD_INPUT' });
  return value;
}
