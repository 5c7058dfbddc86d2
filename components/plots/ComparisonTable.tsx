'use client';

import type { ComparisonRow } from '../../lib/graph';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);

/** Strategies side by side: flagged LS, AUC and efficiency at the working point, a link to the predictions in the graph. */
export function ComparisonTable({ rows }: { rows: ComparisonRow[] }) {
  if (!rows.length) return null;
  const cell = 'border-b px-2 py-1';
  const border = { borderColor: 'var(--border)' };
  return (
    <section className="rounded border p-3" style={{ ...border, background: 'var(--panel)' }}>
      <h2 className="mb-2 text-sm font-semibold">Strategy comparison</h2>
      <table data-testid="comparison-table" className="min-w-full text-xs">
        <thead>
          <tr>
            {['Strategy', 'Layer', 'LS scored', 'Flagged', 'AUC', 'Efficiency', 'FPR', 'Predictions'].map((h) => (
              <th key={h} className={`${cell} text-left font-semibold`} style={border}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.strategy}:${r.layer}`} style={r.layer === 'all' ? { fontWeight: 600 } : undefined}>
              <td className={cell} style={border}>
                {r.layer === 'all' ? r.strategy.replace(/^strategy_/, '') : ''}
              </td>
              <td className={cell} style={border}>
                {r.layer}
              </td>
              <td className={`${cell} font-mono`} style={border}>
                {r.scored}
              </td>
              <td className={`${cell} font-mono`} style={border}>
                {r.flagged}
              </td>
              <td className={`${cell} font-mono`} style={border}>
                {r.auc === null ? '—' : r.auc.toFixed(3)}
              </td>
              <td className={`${cell} font-mono`} style={border}>
                {pct(r.efficiency)}
              </td>
              <td className={`${cell} font-mono`} style={border}>
                {pct(r.fpr)}
              </td>
              <td className={cell} style={border}>
                {r.layer === 'all' && (
                  <a className="underline" style={{ color: 'var(--accent)' }} href={`/?pipeline=${encodeURIComponent(r.pipeline)}&node=${encodeURIComponent(r.dataset)}`} data-testid={`graph-link-${r.strategy}`}>
                    {r.dataset}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
