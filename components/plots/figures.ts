import type { CorrelationResponse, LsDetail, LsRef, MapAxis, SeriesResponse } from '../../lib/graph';

/**
 * Plotly figures of the plots page, as pure functions of the API's JSON (no React): CMS-style
 * labels ("CMS Simulation", "Lumisection", run and layer), flagged LS marked, the selected LS shown.
 */
export interface Figure {
  data: unknown[];
  layout: Record<string, unknown>;
}

export interface Theme {
  dark: boolean;
}

const RUN_COLOURS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];
const FLAG = '#dc2626';

export function base(theme: Theme): Record<string, unknown> {
  const fg = theme.dark ? '#e5e7eb' : '#0f172a';
  const grid = theme.dark ? '#1f2937' : '#e2e8f0';
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: fg, size: 12 },
    xaxis: { gridcolor: grid, zeroline: false, ticks: 'inside', mirror: 'ticks', showline: true, linecolor: fg },
    yaxis: { gridcolor: grid, zeroline: false, ticks: 'inside', mirror: 'ticks', showline: true, linecolor: fg },
  };
}

/** "CMS Simulation" top-left inside the frame and "Run … · layer N" top-right, as CMS plots do. */
export function cmsAnnotations(cmsLabel: string, right: string): unknown[] {
  return [
    { xref: 'paper', yref: 'paper', x: 0, y: 1.0, xanchor: 'left', yanchor: 'bottom', showarrow: false, text: `<b>CMS</b> <i>${cmsLabel}</i>`, font: { size: 14 } },
    { xref: 'paper', yref: 'paper', x: 1, y: 1.0, xanchor: 'right', yanchor: 'bottom', showarrow: false, text: right, font: { size: 12 } },
  ];
}

export function runText(runs: number[]): string {
  if (!runs.length) return '';
  return runs.length === 1 ? `Run ${runs[0]}` : `Runs ${runs[0]}–${runs[runs.length - 1]}`;
}

/**
 * Runs laid end to end on one lumisection axis: run k is shifted by the LS of the runs before
 * it, with a dashed boundary and its run number, so runs never overlap.
 */
export function runOffsets(series: SeriesResponse): Map<number, number> {
  const out = new Map<number, number>();
  let offset = 0;
  for (const r of series.runs) {
    out.set(r.run, offset);
    offset += Math.max(0, ...r.lumi);
  }
  return out;
}

/** SVG points below this count (each point clickable and crisp); WebGL above (fast with 10^5 LS). */
const SVG_POINTS = 5000;

/** Band colours per anomaly type (a lumi mask's bad LS are `bad`). */
const BAND_COLOURS = ['#f97316', '#a855f7', '#ef4444', '#14b8a6', '#eab308', '#ec4899'];
export const THRESHOLD_COLOUR = '#dc2626';

/**
 * Shapes for the labelled-bad LS of one label set (a shaded band per run of consecutive LS,
 * coloured by anomaly type, one legend entry per type) and a score's working point (a line).
 */
export function labelShapes(series: SeriesResponse, labelSet: string | null, offsets: Map<number, number>): unknown[] {
  const shapes: unknown[] = [];
  const types = [...new Set(series.bands.filter((b) => b.labelSet === labelSet).map((b) => b.type))].sort();
  const legend = new Set<string>();
  for (const b of series.bands) {
    if (b.labelSet !== labelSet || !offsets.has(b.run)) continue;
    const off = offsets.get(b.run)!;
    const colour = BAND_COLOURS[types.indexOf(b.type) % BAND_COLOURS.length];
    shapes.push({
      type: 'rect', xref: 'x', yref: 'paper', x0: b.from - 0.5 + off, x1: b.to + 0.5 + off, y0: 0, y1: 1, layer: 'below',
      fillcolor: colour, opacity: 0.22, line: { width: 0 },
      name: `${labelSet === 'simulator' ? 'labelled' : labelSet}: ${b.type}`, showlegend: !legend.has(b.type), legendgroup: `band:${b.type}`,
    });
    legend.add(b.type);
  }
  if (series.threshold !== null && series.variable.kind === 'score') {
    shapes.push({ type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: series.threshold, y1: series.threshold, line: { dash: 'dash', width: 1.5, color: THRESHOLD_COLOUR }, name: 'Working point', showlegend: true });
  }
  return shapes;
}

export function timeSeriesFigure(series: SeriesResponse, opts: { cmsLabel: string; selected: LsRef | null; theme: Theme; labelSet?: string | null }): Figure {
  const offsets = runOffsets(series);
  const multi = series.runs.length > 1;
  const type = series.runs.reduce((n, r) => n + r.lumi.length, 0) > SVG_POINTS ? 'scattergl' : 'scatter';
  const data: unknown[] = series.runs.map((r, k) => ({
    type,
    mode: 'lines+markers',
    name: `Run ${r.run}`,
    x: r.lumi.map((l) => l + offsets.get(r.run)!),
    y: r.value,
    customdata: r.lumi.map((l) => [r.run, l]),
    hovertemplate: `Run ${r.run}, LS %{customdata[1]}<br>%{y:.5g}<extra></extra>`,
    line: { width: 1, color: RUN_COLOURS[k % RUN_COLOURS.length] },
    marker: { size: 5, color: RUN_COLOURS[k % RUN_COLOURS.length] },
  }));
  const fx: number[] = [];
  const fy: Array<number | null> = [];
  const fc: unknown[] = [];
  const ft: string[] = [];
  for (const r of series.runs) {
    r.flaggedBy.forEach((by, i) => {
      if (!by.length) return;
      fx.push(r.lumi[i]! + offsets.get(r.run)!);
      fy.push(r.value[i] ?? null);
      fc.push([r.run, r.lumi[i]]);
      ft.push(by.map((s) => s.replace(/^strategy_/, '')).join(', '));
    });
  }
  if (fx.length) {
    data.push({
      type,
      mode: 'markers',
      name: 'Flagged',
      x: fx,
      y: fy,
      customdata: fc,
      text: ft,
      hovertemplate: 'Run %{customdata[0]}, LS %{customdata[1]}<br>%{y:.5g}<br>flagged by %{text}<extra></extra>',
      marker: { size: 12, color: FLAG, line: { width: 2 }, symbol: 'circle-open' },
    });
  }
  const shapes: unknown[] = labelShapes(series, opts.labelSet ?? null, offsets);
  const annotations = cmsAnnotations(opts.cmsLabel, `${runText(series.runs.map((r) => r.run))} · BPix layer ${series.layer}`);
  if (multi) {
    for (const r of series.runs.slice(1)) {
      const x = offsets.get(r.run)! + 0.5;
      shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { dash: 'dash', width: 1, color: '#94a3b8' } });
      annotations.push({ xref: 'x', yref: 'paper', x, y: 0.98, xanchor: 'left', showarrow: false, text: `Run ${r.run}`, font: { size: 10 } });
    }
  }
  if (opts.selected && offsets.has(opts.selected.run)) {
    const x = opts.selected.lumi + offsets.get(opts.selected.run)!;
    shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { width: 2, color: '#f59e0b' } });
  }
  const b = base(opts.theme);
  return {
    data,
    layout: {
      ...b,
      // room below the axis title for the legend (runs, flagged, band types, working point)
      margin: { l: 70, r: 20, t: 30, b: 75 },
      hovermode: 'closest',
      dragmode: 'zoom',
      showlegend: true,
      legend: { orientation: 'h', x: 1, xanchor: 'right', y: -0.26, yanchor: 'top' },
      xaxis: { ...(b.xaxis as object), title: { text: multi ? 'Lumisection (runs in sequence)' : 'Lumisection' } },
      yaxis: { ...(b.yaxis as object), title: { text: series.variable.label } },
      shapes,
      annotations,
      uirevision: `${series.layer}:${series.variable.id}`,
    },
  };
}

export function scatterFigure(c: CorrelationResponse, opts: { cmsLabel: string; theme: Theme }): Figure {
  const b = base(opts.theme);
  const r = c.pearson === null ? 'n/a' : c.pearson.toFixed(3);
  return {
    data: [
      {
        type: c.points.x.length > SVG_POINTS ? 'scattergl' : 'scatter',
        mode: 'markers',
        x: c.points.x,
        y: c.points.y,
        customdata: c.points.run.map((run, i) => [run, c.points.lumi[i]]),
        hovertemplate: 'Run %{customdata[0]}, LS %{customdata[1]}<br>x %{x:.5g}<br>y %{y:.5g}<extra></extra>',
        marker: { size: 6, color: c.points.lumi, colorscale: 'Viridis', colorbar: { title: { text: 'LS' }, thickness: 10 } },
      },
    ],
    layout: {
      ...b,
      margin: { l: 70, r: 20, t: 30, b: 50 },
      hovermode: 'closest',
      xaxis: { ...(b.xaxis as object), title: { text: c.x.label } },
      yaxis: { ...(b.yaxis as object), title: { text: c.y.label } },
      annotations: cmsAnnotations(opts.cmsLabel, `Pearson r = ${r} · layer ${c.layer}`),
    },
  };
}

/** How the matrix names a variable (strategies as `score: pca`). */
export const matrixLabel = (id: string) => id.replace(/^strategy_/, 'score: ');

export function matrixFigure(c: CorrelationResponse, opts: { theme: Theme }): Figure {
  const names = c.matrix.variables.map(matrixLabel);
  const b = base(opts.theme);
  return {
    data: [
      {
        type: 'heatmap',
        x: names,
        y: names,
        z: c.matrix.r,
        zmin: -1,
        zmax: 1,
        colorscale: 'RdBu',
        texttemplate: '%{z:.2f}',
        hovertemplate: '%{y} vs %{x}: r = %{z:.3f}<extra></extra>',
        colorbar: { title: { text: 'Pearson r' }, thickness: 10 },
      },
    ],
    layout: {
      ...b,
      margin: { l: 130, r: 20, t: 20, b: 110 },
      xaxis: { ...(b.xaxis as object), tickangle: -40, showgrid: false, ticks: '' },
      yaxis: { ...(b.yaxis as object), autorange: 'reversed', showgrid: false, ticks: '' },
    },
  };
}

/** Bin centres of an axis with n bins. */
export function centres(axis: MapAxis, n: number): number[] {
  const w = (axis.max - axis.min) / n;
  return Array.from({ length: n }, (_, i) => axis.min + (i + 0.5) * w);
}

/** One of the LS maps (the map, the reference, the residual) as a Plotly heatmap. */
export function mapFigure(d: LsDetail, which: 'map' | 'reference' | 'residual', opts: { cmsLabel: string; theme: Theme }): Figure {
  const z = d[which] ?? [];
  const ny = d.map.length;
  const nx = d.map[0]?.length ?? 0;
  const b = base(opts.theme);
  // Robust colour ranges: one hot pixel must not turn the rest of the map dark (it saturates).
  const zmax = robustMax(z);
  const title = { map: `LS ${d.lumi}`, reference: 'Mean image', residual: 'Residual' }[which];
  const unit = { map: 'clusters', reference: 'fraction of entries', residual: 'Δ fraction' }[which];
  return {
    data: [
      {
        type: 'heatmap',
        x: centres(d.x, nx),
        y: centres(d.y, ny),
        z,
        // Plotly's RdBu runs blue (low) to red (high): excesses red, deficits blue.
        colorscale: which === 'residual' ? 'RdBu' : 'Viridis',
        ...(which === 'residual' ? { zmin: -zmax || -1, zmax: zmax || 1 } : zmax > 0 ? { zmin: 0, zmax } : {}),
        colorbar: { title: { text: unit, side: 'right' }, thickness: 10, exponentformat: 'e' },
        hovertemplate: `${d.x.label || 'z'} %{x:.3g}, ${d.y.label || 'φ'} %{y:.3g}<br>%{z:.4g}<extra></extra>`,
      },
    ],
    layout: {
      ...b,
      margin: { l: 55, r: 10, t: 30, b: 45 },
      xaxis: { ...(b.xaxis as object), title: { text: d.x.label || 'z (module)' }, showgrid: false },
      yaxis: { ...(b.yaxis as object), title: { text: d.y.label || 'φ (ladder)' }, showgrid: false },
      annotations: cmsAnnotations(opts.cmsLabel, title),
    },
  };
}

/**
 * A map's colour range: the 99.5th percentile of |value| over the non-empty bins, so one hot
 * pixel does not wash the rest of the map out (values beyond it saturate).
 */
export function robustMax(z: number[][]): number {
  const abs: number[] = [];
  for (const row of z) for (const v of row) if (v !== 0) abs.push(Math.abs(v));
  if (!abs.length) return 0;
  abs.sort((a, b) => a - b);
  return abs[Math.min(abs.length - 1, Math.floor(abs.length * 0.995))]!;
}
