'use client';

import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useViz } from '../store';

export type GroupData = { id: string; label: string; fullName: string; depth: number; focused: boolean };
export type GroupFlowNode = Node<GroupData, 'mpgroup'>;

/**
 * An expanded modular pipeline: a box behind its nodes, its name on the title bar. The title
 * selects it (panel), − collapses it, ◎ focuses it (the rest of the graph fades).
 */
function GroupView({ data }: NodeProps<GroupFlowNode>) {
  const set = useViz((s) => s.set);
  return (
    <div className={`viz-group depth-${Math.min(data.depth, 3)}${data.focused ? ' focused' : ''}`} data-group-id={data.id} data-testid="group-box">
      <div className="viz-group-title" title={data.fullName}>
        <button type="button" className="viz-group-name" onClick={() => set({ selected: data.id })}>
          ▣ {data.label}
        </button>
        <button type="button" aria-label={`Focus on ${data.fullName}`} data-testid={`group-focus-${data.id}`} title="Focus: fade the rest" onClick={() => set({ focus: useViz.getState().focus === data.id ? null : data.id })}>
          ◎
        </button>
        <button type="button" aria-label={`Collapse ${data.fullName}`} data-testid={`group-collapse-${data.id}`} title="Collapse" onClick={() => useViz.getState().collapse(data.id)}>
          −
        </button>
      </div>
    </div>
  );
}

export const GroupNode = memo(GroupView);
