'use client';

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Preview } from '../../lib/graph';
import { describeError, fetchLsMap } from '../api';
import { PlotlyChart } from '../plots/PlotlyChart';
import { useViz } from '../store';
import { drawMap } from './heatmap-canvas';
import { LsSlider } from './LsSlider';
import { themeLayout, type PreviewNode, type PreviewSize } from './preview-kit';

type HeatmapData = Extract<Preview, { kind: 'heatmap' }>;

/** Maps already here, by `pipeline|id|ls` (a few MB at most: 240 kB a map). */
const maps = new Map<string, Float32Array | Promise<Float32Array>>();
const MAPS_MAX = 48;
/** LS fetched ahead on each side of the shown one, so a step finds its map here. */
export const PREFETCH = 3;

export function getMap(node: PreviewNode, ls: number): Float32Array | Promise<Float32Array> {
  const key = `${node.pipeline ?? ''}|${node.id}|${ls}`;
  const hit = maps.get(key);
  if (hit) return hit;
  const p = fetchLsMap(node.id, node.pipeline, ls).then((m) => (maps.set(key, m), m));
  p.catch(() => maps.delete(key));
  maps.set(key, p);
  while (maps.size > MAPS_MAX) maps.delete(maps.keys().next().value!);
  return p;
}

/** Quiet time after the last step before Plotly redraws the figure (colour bar, hover, title). */
export const SETTLE_MS = 100;

type Shown = { ls: number; map: Float32Array | null };

/**
 * A lumisection's map with an LS slider. A step draws the map (usually already here: neighbours
 * are fetched ahead as raw float32, no JSON) into a canvas laid over Plotly's plot area, in
 * Plotly's own colours, and rewrites the title; Plotly redraws the whole figure (colour bar ticks,
 * hover values) only once the steps settle, then the canvas is hidden. `data-step-ms` is the last
 * step's time to the map drawn, `data-settled-ms` its time to Plotly's whole figure (SETTLE_MS of
 * quiet included); the plot's `data-plotted-ls` is the LS Plotly's figure shows.
 */
export function HeatmapPreview({ preview, dark, node, size }: { preview: HeatmapData; dark: boolean; node: PreviewNode; size: PreviewSize }) {
  const wanted = useViz((s) => s.ls);
  const ls = Math.min(Math.max(0, wanted), preview.lsCount - 1);
  const { x, y } = preview;
  const ny = preview.z.length;
  const nx = preview.z[0]?.length ?? 0;
  const [shown, setShown] = useState<Shown>({ ls: preview.ls, map: null });
  const [plotted, setPlotted] = useState<Shown>(shown);
  const [error, setError] = useState<string | null>(null);
  const stepStart = useRef<number | null>(null);
  const lastStep = useRef<number | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    let live = true;
    const show = (m: Float32Array) => live && setShown({ ls, map: m });
    if (ls !== shown.ls) {
      const m = getMap(node, ls);
      if (m instanceof Float32Array) show(m);
      else m.then(show, (e: unknown) => live && setError(describeError(e)));
    }
    for (let d = 1; d <= PREFETCH; d++) for (const n of [ls + d, ls - d]) if (n >= 0 && n < preview.lsCount) void Promise.resolve(getMap(node, n)).catch(() => undefined);
    return () => {
      live = false;
    };
    // shown.ls is read to skip the map already drawn; a new one must not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ls, node.id, node.pipeline, nx, ny, preview.lsCount]);

  const run = preview.lsRuns[shown.ls] ?? preview.run;
  const lumi = preview.lsLumis[shown.ls] ?? preview.lumi;
  const entries = preview.lsEntries[shown.ls] ?? preview.entries;
  const title = `${preview.title} · run ${run} LS ${lumi}`;

  // The step itself: the map into the canvas, the title text in place (Plotly rewrites both later).
  useLayoutEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const t = chart.current?.querySelector('.gtitle');
    if (t) t.textContent = title;
    // Back on the LS Plotly shows (a step and back before it settled): its own image is right.
    const onPlotly = shown.ls === plotted.ls;
    if (!onPlotly && shown.map) drawMap(c, shown.map, nx, ny);
    c.style.visibility = onPlotly ? 'hidden' : 'visible';
    if (stepStart.current !== null) box.current?.setAttribute('data-step-ms', String(Math.round(performance.now() - stepStart.current)));
    stepStart.current = null;
    if (onPlotly) return;
    const settle = setTimeout(() => setPlotted(shown), SETTLE_MS);
    return () => clearTimeout(settle);
    // plotted is only read to skip a map Plotly already shows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown, nx, ny, title]);

  const rows = useMemo(() => {
    const m = plotted.map;
    if (!m) return preview.z;
    const out: number[][] = [];
    for (let r = 0; r < ny; r++) out.push(Array.from(m.subarray(r * nx, (r + 1) * nx)));
    return out;
  }, [plotted.map, preview.z, nx, ny]);
  const data = useMemo(() => {
    const dx = (x.max - x.min) / Math.max(nx, 1);
    const dy = (y.max - y.min) / Math.max(ny, 1);
    return [{ type: 'heatmap', z: rows, x0: x.min + dx / 2, dx, y0: y.min + dy / 2, dy, colorscale: 'Viridis', colorbar: { thickness: 10, title: { text: preview.zLabel, side: 'right' } } }];
  }, [x, y, rows, nx, ny, preview.zLabel]);
  const plottedTitle = `${preview.title} · run ${preview.lsRuns[plotted.ls] ?? preview.run} LS ${preview.lsLumis[plotted.ls] ?? preview.lumi}`;
  const layout = useMemo(
    () => ({ title: { text: plottedTitle, font: { size: 12 } }, xaxis: { title: { text: x.label } }, yaxis: { title: { text: y.label } }, ...themeLayout(dark) }),
    [plottedTitle, x.label, y.label, dark],
  );
  const onRendered = (el: HTMLDivElement) => {
    chart.current = el;
    const c = canvas.current;
    if (!c) return;
    // Lay the canvas exactly over the plot area Plotly drew (it moves on resize).
    const area = (el as unknown as { _fullLayout?: { _size?: { l: number; t: number; w: number; h: number } } })._fullLayout?._size;
    if (area) Object.assign(c.style, { left: `${area.l}px`, top: `${area.t}px`, width: `${area.w}px`, height: `${area.h}px` });
    el.setAttribute('data-plotted-ls', String(plotted.ls));
    if (plotted.ls !== shown.ls) return;
    c.style.visibility = 'hidden';
    if (lastStep.current !== null) box.current?.setAttribute('data-settled-ms', String(Math.round(performance.now() - lastStep.current)));
    lastStep.current = null;
  };
  return (
    <div ref={box} data-testid="preview-heatmap" data-ls={shown.ls} className="flex flex-col gap-2">
      <div className="relative">
        <PlotlyChart testId="heatmap-plot" className={size === 'full' ? 'h-[calc(100vh-10rem)] w-full' : 'h-72 w-full'} data={data} layout={layout} onRendered={onRendered} />
        <canvas ref={canvas} data-testid="heatmap-canvas" className="pointer-events-none absolute" style={{ visibility: 'hidden', imageRendering: 'pixelated' }} />
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
      <LsSlider ls={ls} shownLs={shown.ls} lsCount={preview.lsCount} run={run} lumi={lumi} entries={entries} onStep={() => (stepStart.current = lastStep.current = performance.now())} />
    </div>
  );
}
