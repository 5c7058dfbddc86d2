'use client';

import { useEffect, useMemo, useState } from 'react';
import type { Preview } from '../../lib/graph';
import { describeError } from '../api';
import { histogramFigure } from '../plots/histogram-figure';
import { PlotlyChart } from '../plots/PlotlyChart';
import { useViz } from '../store';
import { LsSlider } from './LsSlider';
import { getMap, PREFETCH } from './HeatmapPreview';
import type { PreviewNode, PreviewSize } from './preview-kit';

type HistogramData = Extract<Preview, { kind: 'histogram1d' }>;

/**
 * A 1D ME's lumisection over its reference (the mean of the task's develop LS) with the ratio
 * below, a log-y toggle and an LS slider labelled with the run and LS number. Steps fetch the
 * LS's bins as raw float32 (shared cache and prefetch with the map preview).
 */
export function Histogram1DPreview({ preview, dark, node, size }: { preview: HistogramData; dark: boolean; node: PreviewNode; size: PreviewSize }) {
  const wanted = useViz((s) => s.ls);
  const ls = Math.min(Math.max(0, wanted), preview.lsCount - 1);
  const [shown, setShown] = useState<{ ls: number; counts: ArrayLike<number> }>({ ls: preview.ls, counts: preview.counts });
  const [logY, setLogY] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    if (ls !== shown.ls) {
      const m = getMap(node, ls);
      if (m instanceof Float32Array) setShown({ ls, counts: m });
      else m.then((c) => live && setShown({ ls, counts: c }), (e: unknown) => live && setError(describeError(e)));
    }
    for (let d = 1; d <= PREFETCH; d++) for (const n of [ls + d, ls - d]) if (n >= 0 && n < preview.lsCount) void Promise.resolve(getMap(node, n)).catch(() => undefined);
    return () => {
      live = false;
    };
    // shown.ls is read to skip the LS already drawn; a new one must not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ls, node.id, node.pipeline, preview.lsCount]);

  const run = preview.lsRuns[shown.ls] ?? 0;
  const lumi = preview.lsLumis[shown.ls] ?? 0;
  const entries = preview.lsEntries[shown.ls] ?? 0;
  const fig = useMemo(
    () =>
      histogramFigure({
        x: preview.x,
        counts: shown.counts,
        reference: preview.reference,
        entries,
        yLabel: preview.yLabel,
        lsName: `Run ${run}, LS ${lumi}`,
        referenceName: `Reference (${preview.referenceNote})`,
        logY,
        right: `${preview.title} · run ${run} LS ${lumi}`,
        theme: { dark },
      }),
    [preview, shown.counts, entries, run, lumi, logY, dark],
  );
  return (
    <div data-testid="preview-histogram1d" data-ls={shown.ls} data-lumi={lumi} data-run={run} className="flex flex-col gap-2">
      <PlotlyChart testId="histogram1d-plot" className={size === 'full' ? 'h-[calc(100vh-10rem)] w-full' : 'h-80 w-full'} data={fig.data} layout={fig.layout} />
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
      <div className="flex items-center gap-3 text-xs">
        <label className="flex items-center gap-1">
          <input data-testid="log-y" type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} />
          log y
        </label>
        <span style={{ color: 'var(--muted)' }}>Reference: {preview.referenceNote}</span>
      </div>
      <LsSlider ls={ls} shownLs={shown.ls} lsCount={preview.lsCount} run={run} lumi={lumi} entries={entries} />
    </div>
  );
}
