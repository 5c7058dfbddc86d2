'use client';

import { useEffect, useRef, useState } from 'react';
import { useViz } from '../store';
import { describeError } from '../api';
import { RunButton } from './RunButton';
import { RunsView } from './RunsView';
import { formatDuration, NODE_STATUS_LABEL, RUN_STATUS_COLOUR, runLine } from './run-statuses';
import { rerun } from './runs-api';
import { useFreshness } from './useFreshness';
import { useRunEvents } from './useRunEvents';
import { useRuns } from './runs-store';
import { useServesProject } from './useServesProject';
import type { NodeRunStatus } from '../../lib/services';

/**
 * Everything about runs in one block for the sidebar: the Run button and form, the shown
 * run's state, the history. It follows the shown run, so the graph's nodes update.
 */
export function RunsPanel() {
  const servesProject = useServesProject();
  return servesProject ? <RunsPanelBody /> : null;
}

const LEGEND: NodeRunStatus[] = ['running', 'done', 'failed', 'not_run', 'skipped'];

/** Mounted only when a project is served, so a saved graph file never polls /api/runs. */
function RunsPanelBody() {
  const shownRunId = useRuns((s) => s.shownRunId);
  const shownStatus = useRuns((s) => s.shownStatus);
  const statuses = useRuns((s) => s.statuses);
  const error = useRuns((s) => s.error);
  const runs = useRuns((s) => s.runs);
  const set = useRuns((s) => s.set);
  const [busy, setBusy] = useState(false);
  useRunEvents(shownRunId);
  useFreshness();
  useAttachToRunning();

  const values = Object.values(statuses);
  const done = values.filter((v) => v.status === 'done').length;
  const failed = Object.entries(statuses).find(([, v]) => v.status === 'failed');
  const total = values.filter((v) => v.status !== 'skipped').length;
  const elapsed = values.reduce((a, v) => a + (v.durationMs ?? 0), 0);
  const shown = runs.find((r) => r.id === shownRunId);

  const again = async () => {
    if (!shownRunId) return;
    setBusy(true);
    try {
      const { run } = await rerun(shownRunId, 'failed');
      set({ shownRunId: run.id, shownStatus: 'running', error: null });
    } catch (e) {
      set({ error: describeError(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section data-testid="runs-panel" className="flex flex-col gap-2">
      <h2 className="flex justify-between text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
        Runs
        <a href="/runs" data-testid="runs-page-link" className="normal-case underline" style={{ color: 'var(--accent)' }} title="History, timelines, logs, compare, run × layer">
          all runs →
        </a>
      </h2>
      <RunButton />
      {shownRunId && (
        <div data-testid="run-summary" data-status={shownStatus ?? ''} className="flex flex-col gap-1 rounded border px-2 py-1 text-xs" style={{ borderColor: 'var(--border)' }}>
          <span className="flex items-center gap-1.5">
            <span className="font-semibold" style={{ color: shownStatus ? RUN_STATUS_COLOUR[shownStatus] : undefined }}>
              {shownStatus ?? '…'}
            </span>
            <span>
              {done}/{total} nodes done · {formatDuration(elapsed)}
            </span>
            <button type="button" className="ml-auto underline" onClick={() => set({ shownRunId: null })} title="Stop showing this run on the graph">
              hide
            </button>
          </span>
          {shown && <span style={{ color: 'var(--muted)' }}>{runLine(shown)}</span>}
          {failed && (
            <button
              type="button"
              data-testid="run-failed-node"
              className="text-left underline decoration-dotted"
              style={{ color: RUN_STATUS_COLOUR.failed }}
              title="Show the node: its error, stack and output"
              onClick={() => useViz.getState().set({ selected: failed[0] })}
            >
              {failed[0]}: {failed[1].error?.message}
            </button>
          )}
          <span className="flex flex-wrap gap-2">
            <a data-testid="run-details-link" className="underline" style={{ color: 'var(--accent)' }} href={`/runs?run=${encodeURIComponent(shownRunId)}`}>
              timeline & logs
            </a>
            {failed && shownStatus !== 'running' && (
              <button type="button" data-testid="run-rerun-failed" className="underline disabled:opacity-50" style={{ color: 'var(--accent)' }} disabled={busy} onClick={again} title="Same pipeline, params, env and selection, from the failed node">
                ↻ re-run from {failed[0]}
              </button>
            )}
          </span>
          <span className="flex flex-wrap gap-x-2 gap-y-0.5" data-testid="run-legend">
            {LEGEND.map((s) => (
              <span key={s} className="flex items-center gap-1" style={{ color: 'var(--muted)' }} title={NODE_STATUS_LABEL[s]}>
                <span aria-hidden className={`inline-block h-2.5 w-3.5 rounded-sm border viz-legend run-${s}`} style={{ borderColor: RUN_STATUS_COLOUR[s] }} />
                {s.replace('_', ' ')}
              </span>
            ))}
          </span>
        </div>
      )}
      {error && (
        <p role="alert" data-testid="runs-error" className="text-xs" style={{ color: RUN_STATUS_COLOUR.failed }}>
          {error}
        </p>
      )}
      <RunsView />
    </section>
  );
}

/**
 * A page opened while a run is in progress (a tunnel re-opened, `dqm viz` restarted) shows
 * that run on the graph, once; after that the user decides what is shown.
 */
function useAttachToRunning(): void {
  const attached = useRef(false);
  const runs = useRuns((s) => s.runs);
  useEffect(() => {
    if (attached.current || !runs.length) return;
    attached.current = true;
    const running = runs.find((r) => r.status === 'running');
    if (running && !useRuns.getState().shownRunId) useRuns.getState().set({ shownRunId: running.id, shownStatus: 'running' });
  }, [runs]);
}
