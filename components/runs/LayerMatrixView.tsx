'use client';

import { useCallback, useEffect, useState } from 'react';
import type { PartitionCell, PartitionMatrix, PartitionState, RunRecord } from '../../lib/services';
import { describeError } from '../api';
import { getPartitions, getRun, startRun } from './runs-api';

const LOOK: Record<PartitionState, { fill: string; border: string; text: string }> = {
  processed: { fill: '#bbf7d0', border: '#16a34a', text: '#14532d' },
  missing: { fill: '#e2e8f0', border: '#64748b', text: '#334155' },
  stale: { fill: '#fde68a', border: '#d97706', text: '#78350f' },
  failed: { fill: '#fecaca', border: '#dc2626', text: '#7f1d1d' },
};

const STATES: PartitionState[] = ['processed', 'missing', 'stale', 'failed'];

/**
 * The run x layer view: for each CMS run (rows) and each partitioned input (a pixel layer or a
 * monitoring element), whether it is processed, missing, stale or failed, with its LS range
 * and a link to its plots; one button per column (and one for all) runs the pipeline from the
 * column's reading node, which processes what is missing or outdated.
 */
export function LayerMatrixView({ pipeline, onRun }: { pipeline: string | null; onRun: (id: string) => void }) {
  const [m, setM] = useState<PartitionMatrix | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState<RunRecord | null>(null);
  const load = useCallback(() => getPartitions(pipeline ?? undefined).then(setM, (e: unknown) => setError(describeError(e))), [pipeline]);
  useEffect(() => void load(), [load]);
  // While a run started here is going, watch it; when it ends, read the view again.
  useEffect(() => {
    if (!active || active.status !== 'running') return;
    const timer = setInterval(() => {
      getRun(active.id).then((d) => {
        setActive(d.run);
        if (d.run.status !== 'running') void load();
      }, () => undefined);
    }, 1000);
    return () => clearInterval(timer);
  }, [active, load]);

  if (error && !m) return <p role="alert">{error}</p>;
  if (!m) return <p>Reading the project's partitions…</p>;
  const todo = (dataset: string) => m.rows.filter((r) => r.cells[dataset] && r.cells[dataset]!.state !== 'processed').length;
  const columnsToDo = m.columns.filter((c) => todo(c.dataset) > 0);
  const process = async (columns: PartitionMatrix['columns']) => {
    setError(null);
    try {
      const { run } = await startRun({ pipeline: m.pipeline, fromNodes: [...new Set(columns.flatMap((c) => c.consumers))] });
      setActive(run);
    } catch (e) {
      setError(describeError(e));
    }
  };
  const count = (s: PartitionState) => m.rows.reduce((a, r) => a + Object.values(r.cells).filter((c) => c?.state === s).length, 0);

  return (
    <article data-testid="layer-matrix" className="flex max-w-6xl flex-col gap-3">
      <header className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">Run × layer · {m.pipeline}</h2>
        {STATES.map((s) => (
          <span key={s} className="flex items-center gap-1 text-xs">
            <span aria-hidden className="inline-block h-3 w-4 rounded-sm border" style={{ background: LOOK[s].fill, borderColor: LOOK[s].border }} />
            {s} ({count(s)})
          </span>
        ))}
        <button
          type="button"
          data-testid="matrix-process-all"
          className="ml-auto rounded px-3 py-1 font-semibold text-white disabled:opacity-50"
          style={{ background: 'var(--accent)' }}
          disabled={!columnsToDo.length || active?.status === 'running'}
          onClick={() => process(columnsToDo)}
          title={columnsToDo.length ? `dqm run --from-nodes ${columnsToDo.flatMap((c) => c.consumers).join(',')}` : 'Everything is processed'}
        >
          ▶ Process what is missing or stale
        </button>
      </header>
      {active && (
        <p data-testid="matrix-run" data-status={active.status} className="text-xs">
          Run{' '}
          <button type="button" className="font-mono underline" onClick={() => onRun(active.id)}>
            {active.id}
          </button>{' '}
          {active.status}
          {active.status === 'running' ? '…' : ''}
        </p>
      )}
      {error && (
        <p role="alert" data-testid="matrix-error" className="text-xs" style={{ color: '#dc2626' }}>
          {error}
        </p>
      )}
      {!m.columns.length && <p>This pipeline reads no partitioned dataset (a folder of per-run files), so there is no run × layer view.</p>}
      {m.columns.length > 0 && (
        <table className="table-fixed border-separate border-spacing-1 text-xs" style={{ width: `${7 + 13 * m.columns.length}rem` }}>
          <colgroup>
            <col style={{ width: '7rem' }} />
            {m.columns.map((c) => (
              <col key={c.dataset} style={{ width: '13rem' }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th className="text-left">CMS run</th>
              {m.columns.map((c) => (
                <th key={c.dataset} className="text-left font-semibold" title={`${c.dataset} → ${c.outputs.join(', ')}`}>
                  <span className="block">{c.label}</span>
                  <button type="button" data-testid="matrix-process-column" data-dataset={c.dataset} className="font-normal underline disabled:no-underline disabled:opacity-40" style={{ color: 'var(--accent)' }} disabled={!todo(c.dataset) || active?.status === 'running'} onClick={() => process([c])}>
                    {todo(c.dataset) ? `process ${todo(c.dataset)}` : 'all processed'}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.rows.map((r) => (
              <tr key={r.run} data-testid="matrix-row" data-run={r.run}>
                <td className="pr-2 font-mono font-semibold">{r.run}</td>
                {m.columns.map((c) => (
                  <Cell key={c.dataset} cell={r.cells[c.dataset] ?? null} dataset={c.dataset} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

function Cell({ cell, dataset }: { cell: PartitionCell | null; dataset: string }) {
  if (!cell) return <td className="text-center" style={{ color: 'var(--muted)' }}>·</td>;
  const look = LOOK[cell.state];
  return (
    <td
      data-testid="matrix-cell"
      data-dataset={dataset}
      data-state={cell.state}
      className="rounded border px-2 py-1 align-top"
      style={{ background: look.fill, borderColor: look.border, color: look.text, borderStyle: cell.state === 'missing' ? 'dashed' : 'solid' }}
      title={[cell.partitions.join(', '), ...cell.reasons].join('\n')}
    >
      <span className="block font-semibold">{cell.state}</span>
      {cell.ls && (
        <span className="block tabular-nums">
          LS {cell.ls.first}–{cell.ls.last} ({cell.ls.count})
        </span>
      )}
      {cell.reasons[0] && cell.state !== 'processed' && <span className="block truncate">{cell.reasons[0]}</span>}
      {cell.plotsUrl && cell.state !== 'missing' && (
        <a data-testid="matrix-plots-link" className="underline" href={cell.plotsUrl}>
          plots
        </a>
      )}
    </td>
  );
}
