'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import type { Preview } from '../../lib/graph';
import { describeError, fetchLsMap } from '../api';
import { PlotlyChart } from '../plots/PlotlyChart';
import { useViz } from '../store';
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

/**
 * A lumisection's map with an LS slider. Each step draws a map that is usually already here
 * (neighbours are fetched ahead as raw float32, 4 bytes a bin, no JSON), so a step costs one
 * Plotly redraw; `data-step-ms` tells how long the last one took.
 */
export function HeatmapPreview({ preview, dark, node, size }: { preview: HeatmapData; dark: boolean; node: PreviewNode; size: PreviewSize }) {
  const wanted = useViz((s) => s.ls);
  const ls = Math.min(Math.max(0, wanted), preview.lsCount - 1);
  const { x, y } = preview;
  const ny = preview.z.length;
  const nx = preview.z[0]?.length ?? 0;
  const [z, setZ] = useState<{ ls: number; rows: number[][] }>({ ls: preview.ls, rows: preview.z });
  const [error, setError] = useState<string | null>(null);
  const stepStart = useRef<number | null>(null);
  const [stepMs, setStepMs] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    const show = (m: Float32Array) => {
      const rows: number[][] = [];
      for (let r = 0; r < ny; r++) rows.push(Array.from(m.subarray(r * nx, (r + 1) * nx)));
      if (live) setZ({ ls, rows });
    };
    if (ls !== z.ls) {
      const m = getMap(node, ls);
      if (m instanceof Float32Array) show(m);
      else m.then(show, (e: unknown) => live && setError(describeError(e)));
    }
    for (let d = 1; d <= PREFETCH; d++) for (const n of [ls + d, ls - d]) if (n >= 0 && n < preview.lsCount) void Promise.resolve(getMap(node, n)).catch(() => undefined);
    return () => {
      live = false;
    };
    // z.ls is read to skip the map already drawn; a new one must not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ls, node.id, node.pipeline, nx, ny, preview.lsCount]);

  const data = useMemo(() => {
    const dx = (x.max - x.min) / Math.max(nx, 1);
    const dy = (y.max - y.min) / Math.max(ny, 1);
    return [{ type: 'heatmap', z: z.rows, x0: x.min + dx / 2, dx, y0: y.min + dy / 2, dy, colorscale: 'Viridis', colorbar: { thickness: 10, title: { text: preview.zLabel, side: 'right' } } }];
  }, [x, y, z.rows, nx, ny, preview.zLabel]);
  const run = preview.lsRuns[z.ls] ?? preview.run;
  const lumi = preview.lsLumis[z.ls] ?? preview.lumi;
  const entries = preview.lsEntries[z.ls] ?? preview.entries;
  const layout = useMemo(
    () => ({ title: { text: `${preview.title} · run ${run} LS ${lumi}`, font: { size: 12 } }, xaxis: { title: { text: x.label } }, yaxis: { title: { text: y.label } }, ...themeLayout(dark) }),
    [preview.title, run, lumi, x.label, y.label, dark],
  );
  const onRendered = () => {
    if (stepStart.current !== null) setStepMs(Math.round(performance.now() - stepStart.current));
    stepStart.current = null;
  };
  return (
    <div data-testid="preview-heatmap" data-ls={z.ls} data-step-ms={stepMs ?? undefined} className="flex flex-col gap-2">
      <PlotlyChart testId="heatmap-plot" className={size === 'full' ? 'h-[calc(100vh-10rem)] w-full' : 'h-72 w-full'} data={data} layout={layout} onRendered={onRendered} />
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
      <LsSlider ls={ls} shownLs={z.ls} lsCount={preview.lsCount} run={run} lumi={lumi} entries={entries} onStep={() => (stepStart.current = performance.now())} />
    </div>
  );
}
