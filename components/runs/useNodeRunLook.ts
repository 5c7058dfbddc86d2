'use client';

import type { CSSProperties } from 'react';
import type { VizNodeType } from '../../lib/graph';
import type { FreshnessState, NodeRunStatus } from '../../lib/services';
import { namespaceStatus } from './run-statuses';
import { useRuns } from './runs-store';

/** How a graph node shows its run state: a class for its whole body, and the progress of a running node. */
export interface NodeRunLook {
  status: NodeRunStatus | undefined;
  freshness: FreshnessState | undefined;
  className: string;
  style: CSSProperties | undefined;
}

/**
 * The run status of a task (or of a collapsed modular pipeline: the worst of its nodes) in
 * the shown run, and whether a dataset is missing or stale, as CSS classes on the node's
 * body (components/runs/run-status.css): the whole node is coloured, so the state reads at
 * any zoom. A running node's progress fills it from the left (`--run-progress`).
 */
export function useNodeRunLook(name: string, kind: VizNodeType): NodeRunLook {
  // Primitive selections: a node re-renders only when its own look changes.
  const status = useRuns((s) => (kind === 'task' ? s.statuses[name]?.status : kind === 'modularPipeline' ? namespaceStatus(s.statuses, name)?.status : undefined));
  const progress = useRuns((s) => {
    const p = kind === 'task' ? s.statuses[name]?.progress : undefined;
    return p && p.total > 0 ? Math.round((100 * p.done) / p.total) : undefined;
  });
  const freshness = useRuns((s) => (kind === 'data' ? s.freshness?.[name]?.state : undefined));
  const classes = [status ? `run-${status}` : '', freshness && freshness !== 'fresh' ? `fresh-${freshness}` : ''].filter(Boolean);
  return {
    status,
    freshness,
    className: classes.join(' '),
    style: status === 'running' && progress !== undefined ? ({ '--run-progress': `${progress}%` } as CSSProperties) : undefined,
  };
}
