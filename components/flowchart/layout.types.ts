import type { LayoutInput, LayoutResult } from '../../lib/graph';
import type { DirectionChoice, Engine } from '../store';

/** What the page asks the layout for: the graph, a direction (or 'auto'), and the screen it is for. */
export type ScreenLayoutInput = Omit<LayoutInput, 'direction' | 'wrap'> & { direction: DirectionChoice; screen: { width: number; height: number } };

/** Messages to and from layout.worker.ts, a tagged union. */
export type LayoutRequest = { type: 'layout'; id: number; input: ScreenLayoutInput; engine: Engine };
export type LayoutResponse = { type: 'result'; id: number; result: LayoutResult; ms: number } | { type: 'error'; id: number; message: string };
