import { ELK_MAX_NODES, elkLayout, layoutForScreen, type LayoutResult } from '../../lib/graph';
import type { Engine } from '../store';
import type { ScreenLayoutInput } from './layout.types';

/** The layout itself, the same in the worker and in the fallback without workers. */
export async function computeLayout(input: ScreenLayoutInput, engine: Engine): Promise<LayoutResult> {
  const { screen, ...graph } = input;
  if (engine === 'elk' && graph.nodes.length <= ELK_MAX_NODES) return elkLayout({ ...graph, direction: graph.direction === 'auto' ? 'TB' : graph.direction });
  return layoutForScreen(graph, screen.width, screen.height);
}
