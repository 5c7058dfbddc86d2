'use client';

import type { RunRecord } from '../../lib/services';
import { formatDuration, RUN_STATUS_COLOUR, runLine } from './run-statuses';

/** One run of a history list: pipeline, status, duration; when and by whom; env, params and selection. */
export function RunEntryText({ run: r }: { run: RunRecord }) {
  return (
    <>
      <span className="flex items-center gap-1.5">
        <span aria-hidden className="inline-block h-2 w-2 rounded-full" style={{ background: RUN_STATUS_COLOUR[r.status] }} />
        <span className="font-semibold">{r.pipeline}</span>
        <span style={{ color: RUN_STATUS_COLOUR[r.status] }}>{r.status}</span>
        <span className="ml-auto" style={{ color: 'var(--muted)' }}>
          {formatDuration(r.durationMs)}
        </span>
      </span>
      <span style={{ color: 'var(--muted)' }}>
        {new Date(r.startedAt).toLocaleString()} · {r.startedBy}
        {r.user ? ` (${r.user})` : ''}
        {r.rerunOf ? ' · re-run' : ''}
      </span>
      <span data-testid="run-entry-options" className="truncate font-mono text-[10px]" style={{ color: 'var(--muted)' }} title={runLine(r)}>
        {runLine(r)}
      </span>
    </>
  );
}
