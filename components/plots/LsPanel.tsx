'use client';

import { useMemo, useState } from 'react';
import type { LsDetail } from '../../lib/graph';
import { mapFigure, type Theme } from './figures';
import { histogramFigure } from './histogram-figure';
import { PlotlyChart } from './PlotlyChart';

function fmt(v: number | null): string {
  if (v === null) return '—';
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toPrecision(4);
}

/** A 1D ME's LS over its reference with the ratio below (one wide figure) and a log-y toggle. */
function HistogramLs({ detail, cmsLabel, theme }: { detail: LsDetail; cmsLabel: string; theme: Theme }) {
  const [logY, setLogY] = useState(false);
  const fig = useMemo(
    () =>
      histogramFigure({
        x: detail.x,
        counts: detail.map[0] ?? [],
        reference: detail.reference?.[0] ?? null,
        entries: detail.entries,
        yLabel: detail.y.label || 'entries',
        lsName: `Run ${detail.run}, LS ${detail.lumi}`,
        referenceName: `Reference (${detail.referenceNote ?? 'none'})`,
        logY,
        cmsLabel,
        right: `${detail.title} · LS ${detail.lumi}`,
        theme,
      }),
    [detail, logY, cmsLabel, theme],
  );
  return (
    <div className="col-span-3 flex flex-col gap-1">
      <PlotlyChart data={fig.data} layout={fig.layout} testId="ls-histogram" className="h-80 w-full" />
      <label className="flex items-center gap-1 text-xs">
        <input type="checkbox" data-testid="ls-log-y" checked={logY} onChange={(e) => setLogY(e.target.checked)} />
        log y
        {!detail.reference && <span style={{ color: 'var(--muted)' }}> · no reference yet</span>}
      </label>
    </div>
  );
}

/** The selected LS: its map beside the reference and the residual (a 1D ME: its histogram over the reference and their ratio), with every strategy's score. */
export function LsPanel({ detail, loading, cmsLabel, theme, onStep }: { detail: LsDetail; loading: boolean; cmsLabel: string; theme: Theme; onStep: (dir: -1 | 1) => void }) {
  const figs = useMemo(
    () => (detail.dims === 1 ? [] : (['map', 'reference', 'residual'] as const).map((w) => (detail[w] ? { w, fig: mapFigure(detail, w, { cmsLabel, theme }) } : null))),
    [detail, cmsLabel, theme],
  );
  const btn = 'rounded border px-2 py-0.5 text-xs disabled:opacity-40';
  return (
    <section data-testid="ls-panel" data-run={detail.run} data-lumi={detail.lumi} data-dims={detail.dims} data-dataset={detail.dataset} className="rounded border p-3" style={{ borderColor: 'var(--border)', background: 'var(--panel)', opacity: loading ? 0.7 : 1 }}>
      <div className="mb-2 flex flex-wrap items-center gap-3 text-sm">
        <h2 data-testid="ls-title" className="font-semibold">
          Run {detail.run}, LS {detail.lumi} · layer {detail.layer}
        </h2>
        <span style={{ color: 'var(--muted)' }}>
          {detail.index + 1}/{detail.count} · {Math.round(detail.entries).toLocaleString('en')} entries
        </span>
        <button type="button" className={btn} style={{ borderColor: 'var(--border)' }} disabled={!detail.prev} onClick={() => onStep(-1)} title="Previous LS (←)">
          ← prev
        </button>
        <button type="button" className={btn} style={{ borderColor: 'var(--border)' }} disabled={!detail.next} onClick={() => onStep(1)} title="Next LS (→)">
          next →
        </button>
        <span className="text-xs" style={{ color: 'var(--muted)' }}>
          ← → keys step through LS{detail.referenceNote ? ` · reference: ${detail.referenceNote}` : ''}
        </span>
      </div>
      <div className="grid grid-cols-[1fr_1fr_1fr_14rem] gap-2">
        {detail.dims === 1 && <HistogramLs detail={detail} cmsLabel={cmsLabel} theme={theme} />}
        {figs.map((f, i) =>
          f ? (
            <PlotlyChart key={f.w} data={f.fig.data} layout={f.fig.layout} testId={`ls-${f.w}`} className="h-64 w-full" />
          ) : (
            <p key={i} className="self-center text-center text-xs" style={{ color: 'var(--muted)' }}>
              No reference yet: run `dqm run` to compute layer_{detail.layer}.mean_image
            </p>
          ),
        )}
        <div className="overflow-auto text-xs">
          <table data-testid="ls-scores" className="w-full">
            <thead>
              <tr>
                <th className="text-left">Strategy</th>
                <th className="text-right">Score</th>
                <th className="text-right">Flag</th>
              </tr>
            </thead>
            <tbody>
              {detail.scores.map((s) => (
                <tr key={s.strategy}>
                  <td>{s.strategy.replace(/^strategy_/, '')}</td>
                  <td className="text-right font-mono">{fmt(s.score)}</td>
                  <td className="text-right" style={{ color: s.flag ? '#dc2626' : 'var(--muted)' }}>
                    {s.flag === null ? 'not scored' : s.flag ? 'bad' : 'good'}
                  </td>
                </tr>
              ))}
              {!detail.scores.length && (
                <tr>
                  <td colSpan={3} style={{ color: 'var(--muted)' }}>
                    No strategy predictions: run `dqm run --pipeline strategies`
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <table className="mt-2 w-full" data-testid="ls-features">
            <tbody>
              {Object.entries(detail.features).map(([k, v]) => (
                <tr key={k}>
                  <td style={{ color: 'var(--muted)' }}>{k}</td>
                  <td className="text-right font-mono">{fmt(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
