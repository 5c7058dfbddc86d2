'use client';

import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';

/** How far the band starts before the graph (Flowchart's BAND_PAD). */
export const BAND_LABEL_OFFSET = 400;

export type BandData = { name: string; index: number; horizontal: boolean };
export type BandFlowNode = Node<BandData, 'band'>;

/** A layer band (raw, intermediate, ...) behind the nodes, labelled at its start. */
function BandView({ data }: NodeProps<BandFlowNode>) {
  return (
    <div className="viz-band relative" data-band={data.name} style={{ background: data.index % 2 ? 'var(--band-b)' : 'var(--band-a)', borderTop: data.horizontal ? 'none' : undefined, borderLeft: data.horizontal ? '1px dashed var(--border)' : undefined }}>
      {/* In the layout's gutter before the graph (x = 0 top-down, y = 0 left-right; lib/graph/layout-frame.ts): no node or box is there to cover it. */}
      <span className="band-label" style={data.horizontal ? { position: 'absolute', top: BAND_LABEL_OFFSET, left: 0 } : { position: 'absolute', left: BAND_LABEL_OFFSET, top: 0 }}>
        {data.name}
      </span>
    </div>
  );
}

export const BandNode = memo(BandView);
