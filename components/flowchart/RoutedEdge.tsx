'use client';

import { getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';

export type RoutedEdgeData = { points?: Array<{ x: number; y: number }> };
export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>;

/**
 * ELK's bend points when the layout routed the edge, a bezier between the handles otherwise.
 * Our own <path> (not BaseEdge) with the stroke as a presentation attribute: the page's CSS
 * still styles it (hover, slice), and an exported image, which carries no stylesheet, draws it.
 */
function RoutedEdgeView(props: EdgeProps<RoutedFlowEdge>) {
  const pts = props.data?.points;
  const path = pts && pts.length >= 2 ? `M ${pts.map((p) => `${p.x} ${p.y}`).join(' L ')}` : getBezierPath(props)[0];
  return <path id={props.id} d={path} fill="none" stroke="#94a3b8" strokeWidth={1} className="react-flow__edge-path" markerEnd={props.markerEnd} style={props.style} />;
}

export const RoutedEdge = memo(RoutedEdgeView);
