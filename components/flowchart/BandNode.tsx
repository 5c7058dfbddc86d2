'use client';

import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';

export type BandData = { name: string; index: number; horizontal: boolean };
export type BandFlowNode = Node<BandData, 'band'>;

/** A layer band (raw, intermediate, ...) behind the nodes, labelled at its start. */
function BandView({ data }: NodeProps<BandFlowNode>) {
  return (
    <div className="viz-band" data-band={data.name} style={{ background: data.index % 2 ? 'var(--band-b)' : 'var(--band-a)', borderTop: data.horizontal ? 'none' : undefined, borderLeft: data.horizontal ? '1px dashed var(--border)' : undefined }}>
      <span className="band-label">{data.name}</span>
    </div>
  );
}

export const BandNode = memo(BandView);
