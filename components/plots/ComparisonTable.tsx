'use client';

import { useState } from 'react';
import type { ComparisonRow } from '../../lib/graph';

const pct = (v: number | null) => (v === null || Number.isNaN(v) ? '—' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null) => (v === null ? '—' : String(v));

/**
 * Strategies side by side for one layer (or all) and one label set: a row per anomaly type
 * (`any` first, bold) with the labelled-bad LS, AUC, efficiency and FPR at the working point,
 * the LS scored and flagged, and a link to the predictions in the graph.
 */
export function ComparisonTable({ rows }: { rows: ComparisonRow[] }) {
  const layers = [...new Set(rows.map((r) => r.layer))];
  const labelSets = [...new Set(rows.flatMap((r) => (r.labelSet === null ? [] : [r.labelSet])))];
  const [layer, setLayer] = useState('all');
  const [labelSet, setLabelSet] = useState<string | null>(null);
  if (!rows.length) return null;
  const set = labelSet && labelSets.includes(labelSet) ? labelSet : (labelSets[0] ?? null);
  const shown = rows.filter((r) => r.layer === layer && (r.labelSet === set || r.labelSet === null));
  const cell = 'border-b px-2 py-1';
  const border = { borderColor: 'var(--border)' };
  const select = 'rounded border px-1 py-0.5 text-xs';
  const box = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' };
  return (
    <section className="rounded border p-3" style={{ ...border, background: 'var(--panel)' }}>
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <h2 className="text-sm font-semibold">Strategy comparison</h2>
        <label className="flex items-center gap-1 text-xs">
          Layer
          <select data-testid="comparison-layer" className={select} style={box} value={layer} onChange={(e) => setLayer(e.target.value)}>
            {layers.map((l) => (
              <option key={l} value={l}>
                {l === 'all' ? 'all layers' : `layer ${l}`}
              </option>
            ))}
          </select>
        </label>
        {labelSets.length > 0 && (
          <label className="flex items-center gap-1 text-xs">
            Labels
            <select data-testid="comparison-labels" className={select} style={box} value={set ?? ''} onChange={(e) => setLabelSet(e.target.value)}>
              {labelSets.map((l) => (
                <option key={l} value={l}>
                  {l === 'simulator' ? 'simulator labels' : `label set ${l}`}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <table data-testid="comparison-table" className="min-w-full text-xs">
        <thead>
          <tr>
            {['Strategy', 'Anomaly type', 'Bad LS', 'Good LS', 'AUC', 'Efficiency', 'FPR', 'LS scored', 'Flagged', 'Predictions'].map((h) => (
              <th key={h} className={`${cell} text-left font-semibold`} style={border}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r, i) => {
            const first = i === 0 || shown[i - 1]!.strategy !== r.strategy;
            return (
              <tr key={`${r.strategy}:${r.anomalyType}`} data-strategy={r.strategy} data-type={r.anomalyType} style={r.anomalyType === 'any' ? { fontWeight: 600 } : undefined}>
                <td className={cell} style={border}>
                  {first ? r.strategy.replace(/^strategy_/, '') : ''}
                </td>
                <td className={cell} style={border}>
                  {r.anomalyType}
                </td>
                <td className={`${cell} font-mono`} style={border}>
                  {num(r.nBad)}
                </td>
                <td className={`${cell} font-mono`} style={border}>
                  {num(r.nGood)}
                </td>
                <td className={`${cell} font-mono`} style={border} data-testid="auc">
                  {r.auc === null || Number.isNaN(r.auc) ? '—' : r.auc.toFixed(3)}
                </td>
                <td className={`${cell} font-mono`} style={border}>
                  {pct(r.efficiency)}
                </td>
                <td className={`${cell} font-mono`} style={border}>
                  {pct(r.fpr)}
                </td>
                <td className={`${cell} font-mono`} style={border}>
                  {first ? r.scored : ''}
                </td>
                <td className={`${cell} font-mono`} style={border}>
                  {first ? r.flagged : ''}
                </td>
                <td className={cell} style={border}>
                  {first && (
                    <a className="underline" style={{ color: 'var(--accent)' }} href={`/?pipeline=${encodeURIComponent(r.pipeline)}&node=${encodeURIComponent(r.dataset)}`} data-testid={`graph-link-${r.strategy}`}>
                      {r.dataset}
                    </a>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
