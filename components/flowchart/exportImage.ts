'use client';

import { getNodesBounds, getViewportForBounds, type Node } from '@xyflow/react';

/**
 * PNG or SVG of the whole graph (not just what is on screen), drawn from the React Flow
 * viewport with html-to-image, at most 4,000 px wide.
 */
export async function exportGraph(format: 'png' | 'svg', nodes: Node[], background: string): Promise<void> {
  const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport || !nodes.length) return;
  const { toPng, toSvg } = await import('html-to-image');
  const bounds = getNodesBounds(nodes);
  const scale = Math.min(1, 4000 / Math.max(bounds.width, 1));
  const width = Math.ceil(bounds.width * scale + 40);
  const height = Math.ceil(bounds.height * scale + 40);
  const vp = getViewportForBounds(bounds, width, height, 0.01, 2, 20);
  const opts = { backgroundColor: background, width, height, style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` } };
  const url = format === 'png' ? await toPng(viewport, opts) : await toSvg(viewport, opts);
  const a = document.createElement('a');
  a.href = url;
  a.download = `pipeline.${format}`;
  a.click();
}
