import type { LsRef } from '../../lib/graph';

/** The plots page's view, all of it in the URL: `?layer=1&variable=mean&x=mean&y=rmse&run=357000&lumi=12`. */
export interface PlotsView {
  layer: number | null;
  variable: string | null;
  x: string | null;
  y: string | null;
  selected: LsRef | null;
}

export const defaultPlotsView: PlotsView = { layer: null, variable: null, x: null, y: null, selected: null };

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
  const s = q.toString();
  return s ? `?${s}` : '';
}
