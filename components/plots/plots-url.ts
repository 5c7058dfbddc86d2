import type { LsRef } from '../../lib/graph';

/** The plots page's view, all of it in the URL: `?layer=1&variable=mean&x=mean&y=rmse&run=357000&lumi=12&hist=...&labels=simulator`. */
export interface PlotsView {
  layer: number | null;
  variable: string | null;
  x: string | null;
  y: string | null;
  selected: LsRef | null;
  /** The LS panel's histogram set (a catalog name; null = the layer's maps) and the label set shaded on the plots ('none' hides them). */
  hist: string | null;
  labels: string | null;
}

export const defaultPlotsView: PlotsView = { layer: null, variable: null, x: null, y: null, selected: null, hist: null, labels: null };

/** The view from a query string; bad values fall back to the defaults (the page picks them). */
export function parsePlotsView(search: string): PlotsView {
  const q = new URLSearchParams(search);
  const int = (k: string) => {
    const v = Number(q.get(k) ?? NaN);
    return Number.isInteger(v) && v >= 0 ? v : null;
  };
  const run = int('run');
  const lumi = int('lumi');
  return {
    layer: int('layer'),
    variable: q.get('variable') || null,
    x: q.get('x') || null,
    y: q.get('y') || null,
    selected: run !== null && lumi !== null ? { run, lumi } : null,
    hist: q.get('hist') || null,
    labels: q.get('labels') || null,
  };
}

export function serializePlotsView(v: PlotsView): string {
  const q = new URLSearchParams();
  if (v.layer !== null) q.set('layer', String(v.layer));
  if (v.variable) q.set('variable', v.variable);
  if (v.x) q.set('x', v.x);
  if (v.y) q.set('y', v.y);
  if (v.selected) {
    q.set('run', String(v.selected.run));
    q.set('lumi', String(v.selected.lumi));
  }
  if (v.hist) q.set('hist', v.hist);
  if (v.labels) q.set('labels', v.labels);
  const s = q.toString();
  return s ? `?${s}` : '';
}
