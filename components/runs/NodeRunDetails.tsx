'use client';

import { formatDuration, RUN_STATUS_COLOUR } from './run-statuses';
import { useRuns } from './runs-store';
import { NodeLogs } from './NodeLogs';
import { TracebackView } from './TracebackView';

/** For the metadata panel of a task: its status in the shown run, the error, its stack, the resume command and its output. */
export function NodeRunDetails({ name }: { name: string }) {
  const view = useRuns((s) => s.statuses[name]);
  const runId = useRuns((s) => s.shownRunId);
  if (!view || !runId) return null;
  return (
    <section data-testid="node-run-details" className="flex flex-col gap-1 text-xs">
      <h3 className="flex justify-between font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
        In the shown run
        <a className="font-mono normal-case underline" href={`/runs?run=${encodeURIComponent(runId)}&node=${encodeURIComponent(name)}`} style={{ color: 'var(--accent)' }}>
          {runId}
        </a>
      </h3>
      <p>
        <span style={{ color: RUN_STATUS_COLOUR[view.status] }}>{view.status.replace('_', ' ')}</span>
        {view.durationMs !== undefined && ` in ${formatDuration(view.durationMs)}`}
        {view.progress && ` · ${view.progress.done}/${view.progress.total} ${view.progress.unit}`}
      </p>
      {view.error && (
        <pre data-testid="node-run-error" className="whitespace-pre-wrap rounded border p-2" style={{ borderColor: '#dc2626', color: '#dc2626' }}>
          {view.error.code}: {view.error.message}
        </pre>
      )}
      {view.traceback && <TracebackView text={view.traceback} />}
      {view.resumeCommand && (
        <p className="break-all">
          Resume with <code data-testid="node-run-resume" className="select-all rounded px-1" style={{ background: 'var(--border)' }}>{view.resumeCommand}</code>
        </p>
      )}
      <NodeLogs runId={runId} node={name} live={view.status === 'running' || view.status === 'pending'} />
    </section>
  );
}
