import type { LayoutInput, LayoutResult } from '../../lib/graph';
import type { Engine } from '../store';

/** Messages to and from layout.worker.ts, a tagged union. */
export type LayoutRequest = { type: 'layout'; id: number; input: LayoutInput; engine: Engine };
export type LayoutResponse = { type: 'result'; id: number; result: LayoutResult; ms: number } | { type: 'error'; id: number; message: string };
