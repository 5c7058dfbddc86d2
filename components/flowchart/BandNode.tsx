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
      {/* Beside the graph's first column (x = 0), not at the band's far edge, so it is on screen. */}
      <span className="band-label" style={data.horizontal ? { position: 'absolute', top: BAND_LABEL_OFFSET - 72, left: 0 } : { position: 'absolute', left: BAND_LABEL_OFFSET - 10, top: 0 }}>
        {data.name}
      </span>
    </div>
  );
}

export const BandNode = memo(BandView);
