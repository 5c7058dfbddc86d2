'use client';

import { useEffect, useState } from 'react';
import './run-status.css';
import type { RunRecord } from '../../lib/services';
import { describeError } from '../api';
import { LayerMatrixView } from './LayerMatrixView';
import { RunCompareView } from './RunCompareView';
import { RunDetailView } from './RunDetailView';
import { RUN_STATUS_COLOUR } from './run-statuses';
import { RunEntryText } from './RunEntryText';
import { listRuns } from './runs-api';
import type { RunsPageView } from './runs-page-url';
import { useRunsPageView } from './useRunsPageView';

const box = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' } as const;

/**
 * The runs page (`/runs`): the history on the left (params, env and selection of each run;
 * tick two to compare), and on the right one run (timeline, nodes, logs, tracebacks,
 * re-run), two runs side by side, or the run x layer view.
 */
export function RunsApp() {
  const [view, go] = useRunsPageView();
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);

  useEffect(() => {
    let stop = false;
    const load = () => listRuns().then((r) => !stop && setRuns(r.runs), (e: unknown) => !stop && setError(describeError(e)));
    void load();
    const timer = setInterval(load, 3000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const tab = (kind: RunsPageView['kind'], label: string, to: RunsPageView) => (
    <button type="button" data-testid={`runs-tab-${kind}`} aria-pressed={view.kind === kind} className="rounded border px-2 py-1 text-xs" style={{ ...box, ...(view.kind === kind ? { borderColor: 'var(--accent)', color: 'var(--accent)' } : {}) }} onClick={() => go(to)}>
      {label}
    </button>
  );

  return (
    <div className="flex h-screen w-screen overflow-hidden text-sm" style={{ background: 'var(--bg)', color: 'var(--text)' }}>
      <aside className="flex w-80 flex-none flex-col gap-3 overflow-y-auto border-r p-3" style={box}>
        <header className="flex items-baseline justify-between">
          <h1 className="text-base font-semibold">Runs</h1>
          <span className="flex gap-2 text-xs">
            <a href="/" className="underline" style={{ color: 'var(--accent)' }}>
              ← graph
            </a>
            <a href="/plots" className="underline" style={{ color: 'var(--accent)' }}>
              plots
            </a>
          </span>
        </header>
        <nav className="flex flex-wrap gap-1">
          {tab('layers', 'Run × layer', { kind: 'layers', pipeline: null })}
          <button
            type="button"
            data-testid="runs-compare-picked"
            className="rounded border px-2 py-1 text-xs disabled:opacity-50"
            style={box}
            disabled={picked.length !== 2}
            title="Tick two runs below"
            onClick={() => go({ kind: 'compare', a: picked[0]!, b: picked[1]! })}
          >
            Compare {picked.length}/2
          </button>
        </nav>
        {error && (
          <p role="alert" className="text-xs" style={{ color: RUN_STATUS_COLOUR.failed }}>
            {error}
          </p>
        )}
        <ol data-testid="runs-history" className="flex flex-col gap-1">
          {runs.map((r) => (
            <li key={r.id} className="flex items-start gap-1.5 rounded border px-1.5 py-1 text-xs" style={{ ...box, ...(view.kind === 'run' && view.runId === r.id ? { borderColor: 'var(--accent)' } : {}) }}>
              <input type="checkbox" data-testid="runs-compare-check" data-run-id={r.id} className="mt-0.5" checked={picked.includes(r.id)} onChange={() => toggle(r.id)} aria-label={`compare ${r.id}`} />
              <button type="button" data-testid="runs-history-entry" data-run-id={r.id} data-status={r.status} className="flex min-w-0 flex-1 flex-col text-left" onClick={() => go({ kind: 'run', runId: r.id, node: null })}>
                <RunEntryText run={r} />
              </button>
            </li>
          ))}
          {!runs.length && <li style={{ color: 'var(--muted)' }}>No runs yet.</li>}
        </ol>
      </aside>
      <main className="min-w-0 flex-1 overflow-auto p-4">
        {view.kind === 'run' && <RunDetailView key={view.runId} runId={view.runId} node={view.node} onNode={(node) => go({ ...view, node })} onRun={(runId) => go({ kind: 'run', runId, node: null })} />}
        {view.kind === 'compare' && view.a && view.b && <RunCompareView key={`${view.a},${view.b}`} a={view.a} b={view.b} onRun={(runId) => go({ kind: 'run', runId, node: null })} />}
        {view.kind === 'compare' && !(view.a && view.b) && <p>Tick two runs in the history to compare them.</p>}
        {view.kind === 'layers' && <LayerMatrixView pipeline={view.pipeline} onRun={(runId) => go({ kind: 'run', runId, node: null })} />}
        {view.kind === 'none' && (
          <p style={{ color: 'var(--muted)' }}>Pick a run in the history, tick two to compare them, or open the run × layer view.</p>
        )}
      </main>
    </div>
  );
}
