import { base, cmsAnnotations, type Figure, type Theme } from './figures';

/** What a 1D histogram figure draws: one LS's counts over the reference, and their ratio below. */
export interface HistogramFigureInput {
  x: { min: number; max: number; label: string; unit?: string };
  counts: ArrayLike<number>;
  /** The reference at unit entries; drawn scaled to this LS's entries (shapes compared, not luminosity). */
  reference: ArrayLike<number> | null;
  entries: number;
  yLabel: string;
  /** Legend names, e.g. `Run 357000, LS 25` and `Reference (mean of 150 develop LS)`. */
  lsName: string;
  referenceName: string;
  logY: boolean;
  cmsLabel?: string;
  /** Top-right text (run, LS). */
  right: string;
  theme: Theme;
}

const LS_COLOUR = '#0f172a';
const LS_COLOUR_DARK = '#f8fafc';
const REF_COLOUR = '#60a5fa';

/** Bin centres of n equal bins over [min, max]. */
function centres(min: number, max: number, n: number): number[] {
  const w = (max - min) / n;
  return Array.from({ length: n }, (_, i) => min + (i + 0.5) * w);
}

/**
 * CMS-style data/reference comparison: the reference as a filled step histogram scaled to the
 * LS's entries, the LS as points with Poisson errors (√n), and below the ratio LS / reference
 * with its errors (bins where the reference is empty have no ratio). Log y on the top panel only.
 */
export function histogramFigure(h: HistogramFigureInput): Figure {
  const n = h.counts.length;
  const xs = centres(h.x.min, h.x.max, n);
  const counts = Array.from(h.counts);
  const errors = counts.map((c) => Math.sqrt(Math.max(c, 0)));
  const fg = h.theme.dark ? LS_COLOUR_DARK : LS_COLOUR;
  const data: unknown[] = [];
  let ratio: Array<number | null> = [];
  if (h.reference) {
    const ref = Array.from(h.reference, (r) => r * h.entries);
    data.push({ type: 'scatter', mode: 'lines', name: h.referenceName, x: xs, y: ref, line: { shape: 'hvh', color: REF_COLOUR, width: 1 }, fill: 'tozeroy', fillcolor: 'rgba(96,165,250,0.35)', hovertemplate: '%{x:.4g}: %{y:.4g} (reference)<extra></extra>' });
    ratio = counts.map((c, i) => (ref[i]! > 0 ? c / ref[i]! : null));
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'LS / reference',
      showlegend: false,
      x: xs,
      y: ratio,
      yaxis: 'y2',
      marker: { size: 4, color: fg },
      error_y: { type: 'data', array: counts.map((_, i) => (ref[i]! > 0 ? errors[i]! / ref[i]! : 0)), thickness: 1, width: 0, color: fg },
      hovertemplate: '%{x:.4g}: ratio %{y:.3f}<extra></extra>',
    });
  }
  data.push({ type: 'scatter', mode: 'markers', name: h.lsName, x: xs, y: counts, marker: { size: 4, color: fg }, error_y: { type: 'data', array: errors, thickness: 1, width: 0, color: fg }, hovertemplate: '%{x:.4g}: %{y:.4g}<extra></extra>' });
  const b = base(h.theme);
  const unit = h.x.unit ? ` (${h.x.unit})` : '';
  const finite = ratio.filter((r): r is number => r !== null && Number.isFinite(r));
  // 0-2 shows a normal LS; an anomalous one widens it, up to 5 (beyond, the points sit on the edge)
  const top = Math.min(5, Math.max(2, ...finite.map((r) => r * 1.1)));
  return {
    data,
    layout: {
      ...b,
      margin: { l: 60, r: 15, t: 30, b: 45 },
      hovermode: 'closest',
      showlegend: true,
      legend: { x: 1, xanchor: 'right', y: 1, bgcolor: 'rgba(0,0,0,0)', font: { size: 10 } },
      xaxis: { ...(b.xaxis as object), anchor: h.reference ? 'y2' : 'y', title: { text: `${h.x.label || 'x'}${unit}` }, range: [h.x.min, h.x.max] },
      yaxis: { ...(b.yaxis as object), domain: h.reference ? [0.3, 1] : [0, 1], type: h.logY ? 'log' : 'linear', title: { text: h.yLabel }, exponentformat: 'power' },
      ...(h.reference ? { yaxis2: { ...(b.yaxis as object), domain: [0, 0.24], anchor: 'x', range: [0, top], title: { text: 'LS / ref.' }, nticks: 4 } } : {}),
      shapes: h.reference ? [{ type: 'line', xref: 'x', yref: 'y2', x0: h.x.min, x1: h.x.max, y0: 1, y1: 1, line: { dash: 'dot', width: 1, color: '#94a3b8' } }] : [],
      annotations: h.cmsLabel ? cmsAnnotations(h.cmsLabel, h.right) : [{ xref: 'paper', yref: 'paper', x: 1, y: 1, xanchor: 'right', yanchor: 'bottom', showarrow: false, text: h.right, font: { size: 12 } }],
    },
  };
}
