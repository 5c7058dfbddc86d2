'use client';

import type { VizNodeType } from '../../lib/graph';
import { formatDuration, namespaceStatus, RUN_STATUS_COLOUR, type NodeRunView } from './run-statuses';
import { useRuns } from './runs-store';

/**
 * The run status of one graph node, drawn inside the node: a coloured dot, the duration when
 * done, `done/total unit` while running, the error on hover when failed. Nothing when no run
 * is shown or the node is not part of it. Also sets `data-run-status` for tests and styling.
 */
export function NodeRunBadge({ name, kind }: { name: string; kind: VizNodeType }) {
  const view = useRuns((s): NodeRunView | undefined => (kind === 'task' ? s.statuses[name] : kind === 'modularPipeline' ? namespaceStatus(s.statuses, name) : undefined));
  if (!view) return null;
  const text =
    view.status === 'done' ? formatDuration(view.durationMs) : view.status === 'running' && view.progress ? `${view.progress.done}/${view.progress.total} ${view.progress.unit}` : view.status === 'failed' ? 'failed' : '';
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
