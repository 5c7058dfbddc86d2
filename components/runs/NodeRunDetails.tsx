'use client';

import { formatDuration, RUN_STATUS_COLOUR } from './run-statuses';
import { useRuns } from './runs-store';

/** For the metadata panel of a task: its status in the shown run, the error and the resume command. */
export function NodeRunDetails({ name }: { name: string }) {
  const view = useRuns((s) => s.statuses[name]);
  const runId = useRuns((s) => s.shownRunId);
  if (!view || !runId) return null;
  return (
    <section data-testid="node-run-details" className="flex flex-col gap-1 text-xs">
      <h3 className="font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
        In the shown run
      </h3>
      <p className="font-mono" style={{ color: 'var(--muted)' }}>
        {runId}
      </p>
      <p>
        <span style={{ color: RUN_STATUS_COLOUR[view.status] }}>{view.status}</span>
        {view.durationMs !== undefined && ` in ${formatDuration(view.durationMs)}`}
        {view.progress && ` · ${view.progress.done}/${view.progress.total} ${view.progress.unit}`}
      </p>
      {view.error && (
        <pre data-testid="node-run-error" className="whitespace-pre-wrap rounded border p-2" style={{ borderColor: '#dc2626', color: '#dc2626' }}>
          {view.error.code}: {view.error.message}
        </pre>
      )}
      {view.resumeCommand && (
        <p>
          Resume with <code data-testid="node-run-resume" className="select-all rounded px-1" style={{ background: 'var(--border)' }}>{view.resumeCommand}</code>
        </p>
      )}
    </section>
  );
}
