'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type { RunComparison } from '../../lib/services';
import { describeError } from '../api';
import { formatBytes, formatDuration, RUN_STATUS_COLOUR } from './run-statuses';
import { compareRuns } from './runs-api';

const CHANGED = { background: 'rgba(217, 119, 6, 0.16)' } as const;

function Table({ title, testId, head, children }: { title: string; testId: string; head: string[]; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-1">
      <h3 className="text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
        {title}
      </h3>
      <table data-testid={testId} className="run-table w-full border-collapse text-xs">
        <thead>
          <tr style={{ color: 'var(--muted)' }}>
            {head.map((h, i) => (
              <th key={i} className={`border-b px-2 py-1 font-semibold ${i ? 'text-right' : 'text-left'}`} style={{ borderColor: 'var(--border)' }}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </section>
  );
}

const cell = 'border-b px-2 py-0.5 text-right tabular-nums';
const keyCell = 'border-b px-2 py-0.5 text-left font-mono';
const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** `+12 %` from a to b; empty when either is missing. */
function delta(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined) return '';
  if (a === 0) return b === 0 ? '0 %' : '';
  const p = (100 * (b - a)) / Math.abs(a);
  return `${p >= 0 ? '+' : ''}${p.toFixed(Math.abs(p) < 10 ? 1 : 0)} %`;
}

/** Two runs side by side: what they were run with, how long each node took, what they produced and scored. */
export function RunCompareView({ a, b, onRun }: { a: string; b: string; onRun: (id: string) => void }) {
  const [c, setC] = useState<RunComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    compareRuns(a, b).then(setC, (e: unknown) => setError(describeError(e)));
  }, [a, b]);
  if (error) return <p role="alert">{error}</p>;
  if (!c) return <p>Comparing {a} and {b}…</p>;
  const runHead = (r: RunComparison['a'], label: string) => (
    <button type="button" className="flex flex-col rounded border px-3 py-2 text-left text-xs" style={{ borderColor: 'var(--border)' }} onClick={() => onRun(r.id)}>
      <span className="font-semibold">
        {label} · {r.pipeline} <span style={{ color: RUN_STATUS_COLOUR[r.status] }}>{r.status}</span>
      </span>
      <span className="font-mono" style={{ color: 'var(--muted)' }}>
        {r.id}
      </span>
    </button>
  );
  return (
    <article data-testid="run-compare" className="flex max-w-6xl flex-col gap-4">
      <header className="flex gap-3">
        {runHead(c.a, 'A')}
        {runHead(c.b, 'B')}
      </header>
      <Table title="Run" testId="compare-fields" head={['', 'A', 'B']}>
        {c.fields.map((f) => (
          <tr key={f.key} data-changed={f.changed} style={f.changed ? CHANGED : undefined}>
            <td className={keyCell}>{f.key}</td>
            <td className={`${cell} font-mono`}>{f.key === 'git commit' ? show(f.a).slice(0, 12) : show(f.a)}</td>
            <td className={`${cell} font-mono`}>{f.key === 'git commit' ? show(f.b).slice(0, 12) : show(f.b)}</td>
          </tr>
        ))}
      </Table>
      <Table title={`Parameters (--params) · ${c.params.filter((p) => p.changed).length} differ`} testId="compare-params" head={['parameter', 'A', 'B']}>
        {c.params.map((p) => (
          <tr key={p.key} data-changed={p.changed} style={p.changed ? CHANGED : undefined}>
            <td className={keyCell}>{p.key}</td>
            <td className={cell}>{show(p.a)}</td>
            <td className={cell}>{show(p.b)}</td>
          </tr>
        ))}
        {!c.params.length && (
          <tr>
            <td colSpan={3} className="px-2 py-1" style={{ color: 'var(--muted)' }}>
              Both ran with the configured parameters.
            </td>
          </tr>
        )}
      </Table>
      <Table title="Node durations" testId="compare-nodes" head={['node', 'A', 'B', 'B vs A']}>
        {c.nodes.map((n) => (
          <tr key={n.key}>
            <td className={keyCell}>{n.key}</td>
            <td className={cell} style={{ color: n.a ? RUN_STATUS_COLOUR[n.a.status] : undefined }}>{n.a ? `${n.a.status === 'done' ? '' : `${n.a.status} `}${formatDuration(n.a.durationMs)}` : '—'}</td>
            <td className={cell} style={{ color: n.b ? RUN_STATUS_COLOUR[n.b.status] : undefined }}>{n.b ? `${n.b.status === 'done' ? '' : `${n.b.status} `}${formatDuration(n.b.durationMs)}` : '—'}</td>
            <td className={cell}>{delta(n.a?.durationMs, n.b?.durationMs)}</td>
          </tr>
        ))}
      </Table>
      <Table title="Datasets" testId="compare-datasets" head={['dataset', 'A rows', 'B rows', 'A size', 'B size']}>
        {c.datasets.map((d) => (
          <tr key={d.key} style={d.a?.rows !== d.b?.rows || d.a?.sizeBytes !== d.b?.sizeBytes ? CHANGED : undefined}>
            <td className={keyCell}>{d.key}</td>
            <td className={cell}>{d.a?.rows?.toLocaleString('en') ?? '—'}</td>
            <td className={cell}>{d.b?.rows?.toLocaleString('en') ?? '—'}</td>
            <td className={cell}>{d.a ? formatBytes(d.a.sizeBytes) : '—'}</td>
            <td className={cell}>{d.b ? formatBytes(d.b.sizeBytes) : '—'}</td>
          </tr>
        ))}
      </Table>
      <Table title="Metrics (strategy scores, flagged LS)" testId="compare-metrics" head={['node', 'metric', 'A', 'B', 'B vs A']}>
        {c.metrics.map((m) => (
          <tr key={m.key} style={m.a !== m.b ? CHANGED : undefined}>
            <td className={keyCell}>{m.node}</td>
            <td className="border-b px-2 py-0.5 text-left">{m.name}</td>
            <td className={cell}>{m.a?.toLocaleString('en', { maximumFractionDigits: 4 }) ?? '—'}</td>
            <td className={cell}>{m.b?.toLocaleString('en', { maximumFractionDigits: 4 }) ?? '—'}</td>
            <td className={cell}>{delta(m.a, m.b)}</td>
          </tr>
        ))}
        {!c.metrics.length && (
          <tr>
            <td colSpan={5} className="px-2 py-1" style={{ color: 'var(--muted)' }}>
              No node of these runs reported a metric (strategies do: AUC, flagged LS).
            </td>
          </tr>
        )}
      </Table>
    </article>
  );
}
