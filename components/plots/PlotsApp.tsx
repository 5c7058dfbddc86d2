'use client';

import { useCallback, useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LsRef } from '../../lib/graph';
import { ComparisonTable } from './ComparisonTable';
import { CorrelationPanel } from './CorrelationPanel';
import { timeSeriesFigure } from './figures';
import { LsPanel } from './LsPanel';
import { fetchCorrelation, fetchLs, fetchSeries, fetchSummary } from './plots-api';
import { usePlots } from './plots-store';
import { PlotlyChart, type PlotlyPoint } from './PlotlyChart';
import { dataOf, useFetch } from './useFetch';
import { useLsStepper } from './useLsStepper';
import { usePlotsUrlSync } from './usePlotsUrlSync';
import { useTheme } from './useTheme';
import { RunDefaultButton } from '../runs/RunDefaultButton';
import { isStatic } from '../base-url';
import { PageLink } from '../PageLink';

const box = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' } as const;

/** A point of our figures carries [run, lumi] as customdata. */
function lsOfPoint(p: PlotlyPoint): LsRef | null {
  const c = p.customdata as unknown;
  return Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' ? { run: c[0], lumi: c[1] } : null;
}

/** The DQM plots page: time series, the selected LS's maps, correlations and the strategy comparison. */
export function PlotsApp() {
  const ready = usePlotsUrlSync();
  const theme = useTheme();
  const view = usePlots(useShallow((s) => ({ layer: s.layer, variable: s.variable, x: s.x, y: s.y, selected: s.selected, hist: s.hist, labels: s.labels })));
  const set = usePlots((s) => s.set);
  const summaryF = useFetch(ready ? 'summary' : null, (signal) => fetchSummary(signal));
  const summary = dataOf(summaryF);

  // Defaults once the summary is in: the first layer, `mean`, and mean vs rmse.
  useEffect(() => {
    if (!summary || !summary.layers.length) return;
    const ids = summary.variables.map((v) => v.id);
    const pickVar = (v: string | null, fallback: string) => (v && ids.includes(v) ? v : ids.includes(fallback) ? fallback : ids[0]!);
    const patch = {
      layer: view.layer !== null && summary.layers.includes(view.layer) ? view.layer : summary.layers[0]!,
      variable: pickVar(view.variable, 'mean'),
      x: pickVar(view.x, 'mean'),
      y: pickVar(view.y, 'rmse'),
    };
    if (patch.layer !== view.layer || patch.variable !== view.variable || patch.x !== view.x || patch.y !== view.y) set(patch);
  }, [summary, view.layer, view.variable, view.x, view.y, set]);

  const valid = summary && view.layer !== null && summary.layers.includes(view.layer);
  const seriesF = useFetch(valid && view.variable ? `${view.layer}:${view.variable}` : null, (signal) => fetchSeries(view.layer!, view.variable!, signal));
  const corrF = useFetch(valid && view.x && view.y ? `${view.layer}:${view.x}:${view.y}` : null, (signal) => fetchCorrelation(view.layer!, view.x!, view.y!, signal));
  // The LS panel's set: the chosen one if this layer has it, else the layer's default (the first configured).
  const hists = summary && view.layer !== null ? summary.histograms.filter((h) => h.layers.includes(view.layer!)).map((h) => ({ ...h, name: h.dataset.replace('{layer}', String(view.layer)) })) : [];
  const hist = hists.some((h) => h.name === view.hist) && view.hist !== hists[0]?.name ? view.hist : null;
  const labelSet = view.labels === 'none' ? null : summary?.labelSets.includes(view.labels ?? '') ? view.labels : (summary?.labelSets[0] ?? null);
  const lsF = useFetch(valid && view.selected ? `${view.layer}:${view.selected.run}:${view.selected.lumi}:${hist ?? ''}` : null, (signal) => fetchLs(view.layer!, view.selected!.run, view.selected!.lumi, hist, signal));
  const series = dataOf(seriesF);
  const ls = dataOf(lsF);
  const cmsLabel = summary?.cmsLabel ?? 'Preliminary';

  const fig = useMemo(() => (series ? timeSeriesFigure(series, { cmsLabel, selected: view.selected, theme, labelSet }) : null), [series, cmsLabel, view.selected, theme, labelSet]);
  const select = useCallback((to: LsRef) => set({ selected: to }), [set]);
  const onPoint = useCallback((p: PlotlyPoint) => {
    const to = lsOfPoint(p);
    if (to) select(to);
  }, [select]);
  const step = useLsStepper(ls, view.selected, select);

  return (
    <div className="min-h-screen" style={{ background: 'var(--bg)' }} data-testid="plots-page">
      <header className="flex flex-wrap items-center gap-4 border-b px-4 py-2 text-sm" style={box}>
        <h1 className="text-base font-semibold">DQM Playground · plots</h1>
        <PageLink page="" testId="graph-link" className="underline" style={{ color: 'var(--accent)' }}>
          ← Pipeline graph
        </PageLink>
        {summary && summary.layers.length > 0 && (
          <>
            <label className="flex items-center gap-1">
              <span className="text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
                Layer
              </span>
              <select data-testid="plots-layer" className="rounded border px-1 py-0.5" style={box} value={view.layer ?? ''} onChange={(e) => set({ layer: Number(e.target.value), selected: null, hist: null })}>
                {summary.layers.map((l) => (
                  <option key={l} value={l}>
                    BPix layer {l}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-1">
              <span className="text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
                Variable
              </span>
              <select data-testid="plots-variable" className="rounded border px-1 py-0.5" style={box} value={view.variable ?? ''} onChange={(e) => set({ variable: e.target.value })}>
                <optgroup label="Aggregated properties">
                  {summary.variables.filter((v) => v.kind === 'feature').map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.id}
                    </option>
                  ))}
                </optgroup>
                {summary.strategies.length > 0 && (
                  <optgroup label="Strategy scores">
                    {summary.variables.filter((v) => v.kind === 'score').map((v) => (
                      <option key={v.id} value={v.id}>
                        {v.id}
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
            </label>
            {summary.labelSets.length > 0 && (
              <label className="flex items-center gap-1">
                <span className="text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
                  Bad LS
                </span>
                <select data-testid="plots-labels" className="rounded border px-1 py-0.5" style={box} value={labelSet ?? 'none'} onChange={(e) => set({ labels: e.target.value })} title="Shade the lumisections this label set calls bad">
                  {summary.labelSets.map((l) => (
                    <option key={l} value={l}>
                      {l === 'simulator' ? 'simulator labels' : `label set ${l}`}
                    </option>
                  ))}
                  <option value="none">none</option>
                </select>
              </label>
            )}
            {hists.length > 1 && (
              <label className="flex items-center gap-1">
                <span className="text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
                  LS panel
                </span>
                <select data-testid="plots-hist" className="rounded border px-1 py-0.5" style={box} value={hist ?? hists[0]!.name} onChange={(e) => set({ hist: e.target.value === hists[0]!.name ? null : e.target.value })}>
                  {hists.map((h) => (
                    <option key={h.name} value={h.name}>
                      {h.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <span className="text-xs" style={{ color: 'var(--muted)' }}>
              Click a point to see its map · drag to zoom · double-click to reset
            </span>
          </>
        )}
      </header>

      <main className="flex flex-col gap-3 p-4">
        {summaryF.status === 'error' && <p className="text-sm text-red-600" role="alert">{summaryF.message}</p>}
        {summary?.notes.map((n) => (
          <p key={n} className="text-xs" style={{ color: 'var(--muted)' }} data-testid="plots-note">
            {n}
          </p>
        ))}
        {summary && !summary.layers.length && (
          <div className="flex flex-col items-start gap-2 text-sm" data-testid="plots-empty">
            <p>Nothing to plot yet: the default pipeline has not produced the aggregated properties.</p>
            {!isStatic() && <RunDefaultButton onDone={() => window.location.reload()} />}
          </div>
        )}

        {valid && (
          <section className="rounded border p-3" style={{ borderColor: 'var(--border)', background: 'var(--panel)' }}>
            {seriesF.status === 'error' && <p className="text-xs text-red-600">{seriesF.message}</p>}
            {fig && <PlotlyChart data={fig.data} layout={fig.layout} testId="timeseries-plot" className="h-80 w-full" onPointClick={onPoint} />}
          </section>
        )}

        {lsF.status === 'error' && <p className="text-xs text-red-600" role="alert">{lsF.message}</p>}
        {ls && view.selected && <LsPanel detail={ls} loading={lsF.status === 'loading'} cmsLabel={cmsLabel} theme={theme} onStep={step} />}

        {valid && view.x && view.y && (
          <CorrelationPanel
            data={dataOf(corrF)}
            error={corrF.status === 'error' ? corrF.message : null}
            variables={summary.variables}
            x={view.x}
            y={view.y}
            cmsLabel={cmsLabel}
            theme={theme}
            onPair={(x, y) => set({ x, y })}
            onPoint={onPoint}
          />
        )}

        {summary && <ComparisonTable rows={summary.comparison} />}
      </main>
    </div>
  );
}
