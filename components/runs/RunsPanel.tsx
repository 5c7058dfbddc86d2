'use client';

import { RunButton } from './RunButton';
import { RunsView } from './RunsView';
import { formatDuration, RUN_STATUS_COLOUR } from './run-statuses';
import { useRunEvents } from './useRunEvents';
import { useRuns } from './runs-store';
import { useServesProject } from './useServesProject';

/**
 * Everything about runs in one block for the sidebar: the Run button and form, the shown
 * run's state, the history. It follows the shown run, so the graph's NodeRunBadges update.
 */
export function RunsPanel() {
  const servesProject = useServesProject();
  return servesProject ? <RunsPanelBody /> : null;
}

/** Mounted only when a project is served, so a saved graph file never polls /api/runs. */
function RunsPanelBody() {
  const shownRunId = useRuns((s) => s.shownRunId);
  const shownStatus = useRuns((s) => s.shownStatus);
  const statuses = useRuns((s) => s.statuses);
  const error = useRuns((s) => s.error);
  const set = useRuns((s) => s.set);
  useRunEvents(shownRunId);

  const values = Object.values(statuses);
  const done = values.filter((v) => v.status === 'done').length;
  const failed = Object.entries(statuses).find(([, v]) => v.status === 'failed');
  const total = values.filter((v) => v.status !== 'skipped').length;
  const elapsed = values.reduce((a, v) => a + (v.durationMs ?? 0), 0);

  return (
    <section data-testid="runs-panel" className="flex flex-col gap-2">
      <h2 className="text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
        Runs
      </h2>
      <RunButton />
      {shownRunId && (
        <div data-testid="run-summary" data-status={shownStatus ?? ''} className="flex flex-col gap-0.5 rounded border px-2 py-1 text-xs" style={{ borderColor: 'var(--border)' }}>
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
          {failed && (
            <span style={{ color: RUN_STATUS_COLOUR.failed }}>
              {failed[0]}: {failed[1].error?.message}
            </span>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="text-xs" style={{ color: RUN_STATUS_COLOUR.failed }}>
          {error}
        </p>
      )}
      <RunsView />
    </section>
  );
}
