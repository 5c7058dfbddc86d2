'use client';

import type { VizNodeType } from '../../lib/graph';
import { formatBytes, formatDuration, namespaceStatus, RUN_STATUS_COLOUR, type NodeRunView } from './run-statuses';
import { useShallow } from 'zustand/react/shallow';
import { useRuns } from './runs-store';
import './run-status.css';

const FRESHNESS_COLOUR = { missing: '#dc2626', stale: '#d97706' } as const;

/**
 * The run facts of one graph node, on its top edge: a task's duration when done,
 * `done/total unit` while running, `failed` with the error on hover; a dataset's size and rows
 * as the shown run saved it, and `missing` / `stale` with the reasons on hover. Sets
 * `data-run-status` (tasks) and `data-dataset-state` (datasets) for tests and styling.
 */
export function NodeRunBadge({ name, kind }: { name: string; kind: VizNodeType }) {
  if (kind === 'data') return <DatasetBadge name={name} />;
  return <TaskBadge name={name} kind={kind} />;
}

function TaskBadge({ name, kind }: { name: string; kind: VizNodeType }) {
  // Shallow: a collapsed modular pipeline's status is a new object at each call (an endless re-render otherwise).
  const view = useRuns(useShallow((s): NodeRunView | undefined => (kind === 'task' ? s.statuses[name] : kind === 'modularPipeline' ? namespaceStatus(s.statuses, name) : undefined)));
  if (!view) return null;
  const text =
    view.status === 'done'
      ? formatDuration(view.durationMs)
      : view.status === 'running' && view.progress
        ? `${view.progress.done}/${view.progress.total} ${view.progress.unit}`
        : view.status === 'failed'
          ? `failed${view.durationMs !== undefined ? ` · ${formatDuration(view.durationMs)}` : ''}`
          : view.status === 'not_run'
            ? 'not run'
            : '';
  return (
    <span
      data-testid="node-run-status"
      data-run-status={view.status}
      // On the node's top edge, not beside the label: node widths are laid out from the label alone.
      className="pointer-events-auto absolute -top-2 right-2 flex items-center gap-1 rounded-full border px-1.5 text-[10px] leading-[14px]"
      style={{ color: RUN_STATUS_COLOUR[view.status], background: 'var(--panel)', borderColor: RUN_STATUS_COLOUR[view.status] }}
      title={view.error ? `${view.error.message}${view.resumeCommand ? `\nResume: ${view.resumeCommand}` : ''}` : view.status}
    >
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full${view.status === 'running' ? ' animate-pulse' : ''}`} style={{ background: RUN_STATUS_COLOUR[view.status] }} />
      {text}
    </span>
  );
}

function DatasetBadge({ name }: { name: string }) {
  const saved = useRuns((s) => s.datasets[name]);
  const fresh = useRuns((s) => s.freshness?.[name]);
  const state = fresh && fresh.state !== 'fresh' ? fresh.state : undefined;
  if (!saved && !state) return null;
  const facts = saved ? [saved.sizeBytes !== null ? formatBytes(saved.sizeBytes) : '', saved.rows !== null ? `${saved.rows.toLocaleString('en')} rows` : ''].filter(Boolean).join(' · ') : '';
  const colour = state ? FRESHNESS_COLOUR[state] : 'var(--muted)';
  return (
    <span
      data-testid="dataset-run-facts"
      data-dataset-state={state ?? 'fresh'}
      className="pointer-events-auto absolute -top-2 right-3 flex items-center gap-1 rounded-full border px-1.5 text-[10px] leading-[14px]"
      style={{ color: colour, background: 'var(--panel)', borderColor: colour }}
      title={state ? `${state}: ${fresh!.reasons.join('; ')}` : `saved by the shown run${saved ? ` at ${new Date(saved.savedAt).toLocaleTimeString()}` : ''}`}
    >
      {state && <strong>{state}</strong>}
      {facts && <span>{facts}</span>}
    </span>
  );
}
