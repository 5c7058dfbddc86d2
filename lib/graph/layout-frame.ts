import type { LayoutInput, LayoutResult } from './layout-types';

/**
 * Where a layout sits: both engines place nodes and boxes in their own frame (ELK adds its own
 * padding; a box reaches out of its nodes by its padding and title, above and left of 0), while
 * the view and the bands assume the drawn extent starts at 0. `framed` moves everything so the
 * nodes and boxes start right after a gutter for the layer bands' labels: left of the graph
 * top-down (a label at a band's start on the graph's first column was covered by a box that
 * crosses bands), above it left-right. The labels are drawn at 0 in that gutter (BandNode).
 */

/** Band labels (app/globals.css `.band-label`): 13 px uppercase semibold, 0.06em spacing, 10 px side padding. */
const LABEL_CHAR_PX = 9.5;
const LABEL_SIDE_PAD = 20;
const LABEL_HEIGHT = 26;
/** Between a band label and the first node or box. */
const LABEL_GAP = 10;

/**
 * A band label's width, from its length: no text measuring in the layout (it runs in a worker
 * and in Node); the per-character width is above the font's average uppercase advance, so the
 * gutter errs wide.
 */
export function bandLabelWidth(name: string): number {
  return Math.ceil(name.length * LABEL_CHAR_PX + LABEL_SIDE_PAD);
}

/** The layout moved so nodes and boxes start at the band-label gutter; width and height are the drawn extent. */
export function framed(input: LayoutInput, result: LayoutResult): LayoutResult {
  const TB = result.direction === 'TB';
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of input.nodes) {
    const p = result.positions[n.id];
    if (!p) continue;
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + n.width);
    y1 = Math.max(y1, p.y + n.height);
  }
  for (const g of result.groups) {
    x0 = Math.min(x0, g.x);
    y0 = Math.min(y0, g.y);
    x1 = Math.max(x1, g.x + g.width);
    y1 = Math.max(y1, g.y + g.height);
  }
  if (!Number.isFinite(x0)) return result;
  const labels = result.bands.length;
  const gutterX = labels && TB ? Math.max(...result.bands.map((b) => bandLabelWidth(b.name))) + LABEL_GAP : 0;
  const gutterY = labels && !TB ? LABEL_HEIGHT + LABEL_GAP : 0;
  const dx = gutterX - x0;
  const dy = gutterY - y0;
  const positions: LayoutResult['positions'] = {};
  for (const [id, p] of Object.entries(result.positions)) positions[id] = { x: p.x + dx, y: p.y + dy };
  const edgePoints = result.edgePoints
    ? Object.fromEntries(Object.entries(result.edgePoints).map(([id, pts]) => [id, pts.map((p) => ({ x: p.x + dx, y: p.y + dy }))]))
    : undefined;
  // Bands run along the rank axis (y top-down, x left-right): they move with it.
  const shift = TB ? dy : dx;
  return {
    ...result,
    positions,
    ...(edgePoints ? { edgePoints } : {}),
    groups: result.groups.map((g) => ({ ...g, x: g.x + dx, y: g.y + dy })),
    bands: result.bands.map((b) => ({ ...b, start: b.start + shift, end: b.end + shift })),
    width: x1 - x0 + gutterX,
    height: y1 - y0 + gutterY,
  };
}
