'use client';

/** Largest side and area of the exported bitmap: within what every browser's canvas accepts. */
const MAX_SIDE = 16_000;
const MAX_AREA = 120e6;

/**
 * PNG or SVG of the whole graph (not just what is on screen) at a readable scale: 1.5 screen
 * pixels per graph unit (labels at ~20 px), less only when the bitmap would exceed what a canvas
 * holds. `bounds` is the laid-out extent (nodes and boxes).
 */
export async function exportGraph(format: 'png' | 'svg', bounds: { x: number; y: number; width: number; height: number }, background: string): Promise<{ width: number; height: number } | null> {
  const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport || bounds.width <= 0) return null;
  const { toPng, toSvg } = await import('html-to-image');
  const pad = 24;
  let scale = Math.min(1.5, (MAX_SIDE - 2 * pad) / bounds.width, (MAX_SIDE - 2 * pad) / bounds.height);
  scale = Math.min(scale, Math.sqrt(MAX_AREA / ((bounds.width + 2 * pad) * (bounds.height + 2 * pad))));
  const width = Math.ceil(bounds.width * scale + 2 * pad);
  const height = Math.ceil(bounds.height * scale + 2 * pad);
  // Our own transform (not React Flow's viewport helper): the graph's top-left at (pad, pad).
  const transform = `translate(${pad - bounds.x * scale}px, ${pad - bounds.y * scale}px) scale(${scale})`;
  const opts = { backgroundColor: background, width, height, pixelRatio: 1, style: { width: `${width}px`, height: `${height}px`, transform } };
  const url = format === 'png' ? await toPng(viewport, opts) : await toSvg(viewport, opts);
  const a = document.createElement('a');
  a.href = url;
  a.download = `pipeline.${format}`;
  a.click();
  return { width, height };
}
