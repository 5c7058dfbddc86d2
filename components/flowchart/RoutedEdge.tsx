'use client';

import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';

export type RoutedEdgeData = { points?: Array<{ x: number; y: number }> };
export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>;

/** ELK's bend points when the layout routed the edge, a bezier between the handles otherwise. */
function RoutedEdgeView(props: EdgeProps<RoutedFlowEdge>) {
  const pts = props.data?.points;
  let path: string;
  if (pts && pts.length >= 2) {
    path = `M ${pts.map((p) => `${p.x} ${p.y}`).join(' L ')}`;
  } else {
    [path] = getBezierPath(props);
  }
  return <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} style={props.style} />;
}

export const RoutedEdge = memo(RoutedEdgeView);
