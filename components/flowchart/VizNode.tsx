'use client';

import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { VizNodeType } from '../../lib/graph';
import { NodeRunBadge } from '../runs/NodeRunBadge';
import { useNodeRunLook } from '../runs/useNodeRunLook';

export type VizNodeData = {
  label: string;
  fullName: string;
  kind: VizNodeType;
  layer: string | null;
  horizontal: boolean;
  width: number;
  height: number;
  selected: boolean;
  match: boolean;
  /** Stands for a fan-out of many nodes (double-click shows them). */
  stack: boolean;
};

export type VizFlowNode = Node<VizNodeData, 'viz'>;

const ICON: Record<VizNodeType, string> = { task: 'ƒ', data: '◆', parameters: '⚙', modularPipeline: '▣' };

function VizNodeView({ data, id }: NodeProps<VizFlowNode>) {
  // The run state colours the whole node (components/runs: useNodeRunLook, run-status.css).
  const run = useNodeRunLook(data.fullName, data.kind);
  const cls = `viz-node ${data.kind}${data.selected ? ' selected' : ''}${data.match ? ' match' : ''}${data.stack ? ' stack' : ''}${run.className ? ` ${run.className}` : ''}`;
  return (
    <div className={cls} data-kind={data.kind} data-node-id={id} data-run-state={run.status} data-freshness={run.freshness} title={data.fullName} style={{ width: data.width, height: data.height, ...run.style }}>
      <Handle type="target" position={data.horizontal ? Position.Left : Position.Top} isConnectable={false} />
      <span className="icon" aria-hidden>
        {ICON[data.kind]}
      </span>
      <span className="label">{data.label}</span>
      <NodeRunBadge name={data.fullName} kind={data.kind} />
      <Handle type="source" position={data.horizontal ? Position.Right : Position.Bottom} isConnectable={false} />
    </div>
  );
}

export const VizNode = memo(VizNodeView);

/** Width and height from the label: no DOM measuring, so layout can start before rendering. */
// 13 px system sans (DejaVu Sans on Linux): up to ~8.3 px a character (underscores, lower-case
// runs are wide), bold ~9;
// generous, since a label wider than its box is cut at the end and names share prefixes.
export function nodeSize(label: string, kind: VizNodeType): { width: number; height: number } {
  const mp = kind === 'modularPipeline';
  const width = Math.round(Math.max(kind === 'parameters' ? 90 : 110, label.length * (mp ? 9 : 8.3) + (mp ? 54 : 46)));
  return { width, height: mp ? 46 : 36 };
}
