import { layeredLayout } from './layout';
import type { Direction, LayoutInput, LayoutResult } from './layout-types';

/** Labels stay legible: the first view never zooms out below this (it pans to the start instead). */
export const MIN_FIT_ZOOM = 0.72;
export const MAX_FIT_ZOOM = 1.1;
const PAD = 40;
/** Above the graph: the toolbar's row of buttons (components/flowchart/Toolbar) sits over the view's top. */
const TOP = 64;

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** The zoom at which the whole layout fits a `w` × `h` screen. */
export function fitZoom(layout: Pick<LayoutResult, 'width' | 'height'>, w: number, h: number): number {
  return Math.min((w - 2 * PAD) / Math.max(layout.width, 1), (h - PAD - TOP) / Math.max(layout.height, 1));
}

/**
 * The first view: everything when it fits at a legible zoom (centred across, its top near the
 * view's top: a short graph centred top to bottom left half the screen empty above it), else
 * MIN_FIT_ZOOM at the start of the flow (top-left), so a user reads labels first and pans, never
 * squints at a thumbnail.
 */
export function initialViewport(layout: Pick<LayoutResult, 'width' | 'height'>, w: number, h: number): Viewport {
  const fit = fitZoom(layout, w, h);
  const zoom = Math.max(MIN_FIT_ZOOM, Math.min(MAX_FIT_ZOOM, fit));
  const cx = (w - layout.width * zoom) / 2;
  return { zoom, x: layout.width * zoom <= w - 2 * PAD ? cx : PAD, y: TOP };
}

/** Longest row for wrapping: what the screen shows across at MIN_FIT_ZOOM. */
export function wrapWidth(direction: Direction, w: number, h: number): number {
  const across = direction === 'TB' ? w : h;
  return Math.max(600, Math.round((across - 2 * PAD) / MIN_FIT_ZOOM / 100) * 100);
}

/**
 * Layout with the direction chosen for the graph's shape when `direction` is 'auto': both are
 * laid out (the layered engine takes milliseconds) and the one that shows more at a legible
 * zoom wins; top-down unless left-right fits clearly better.
 */
export function layoutForScreen(input: Omit<LayoutInput, 'direction' | 'wrap'> & { direction: Direction | 'auto' }, w: number, h: number): LayoutResult {
  const run = (direction: Direction) => layeredLayout({ ...input, direction, wrap: wrapWidth(direction, w, h) });
  if (input.direction !== 'auto') return run(input.direction);
  const tb = run('TB');
  // Top-down while it fits legibly (parallel pipelines read as columns); else left-right when
  // that shows clearly more (a larger fit zoom: more of the graph on the first screen).
  if (input.nodes.length > 800 || fitZoom(tb, w, h) >= MIN_FIT_ZOOM) return tb;
  const lr = run('LR');
  return fitZoom(lr, w, h) > fitZoom(tb, w, h) * 1.15 ? lr : tb;
}
