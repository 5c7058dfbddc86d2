'use client';

import { useMemo } from 'react';
import { type GraphJson, type LayoutInput, modularPipelineIds, visibleGraph, type VisibleGraph } from '../../lib/graph';
import { useViz } from '../store';
import { nodeSize } from './VizNode';

/** Graphs up to this many nodes open every modular pipeline by default; bigger ones start collapsed. */
export const EXPAND_ALL_MAX = 100;

export function defaultExpanded(graph: GraphJson | null): string[] {
  if (!graph) return [];
  const base = graph.nodes.filter((n) => n.type !== 'modularPipeline').length;
  return base <= EXPAND_ALL_MAX ? modularPipelineIds(graph) : [];
}

/** The visible graph for the current view, and the layout input for it. */
export function useVisibleGraph(): { view: VisibleGraph | null; input: LayoutInput | null } {
  const graph = useViz((s) => s.graph);
  const expanded = useViz((s) => s.expanded);
  const hiddenTypes = useViz((s) => s.hiddenTypes);
  const tags = useViz((s) => s.tags);
  const direction = useViz((s) => s.direction);
  const view = useMemo(() => {
    if (!graph) return null;
    return visibleGraph(graph, { expanded: new Set(expanded ?? defaultExpanded(graph)), hiddenTypes: new Set(hiddenTypes), tags: new Set(tags) });
  }, [graph, expanded, hiddenTypes, tags]);
  const input = useMemo<LayoutInput | null>(() => {
    if (!graph || !view) return null;
    const layerIndex = new Map(graph.layers.map((l, i) => [l, i]));
    return {
      nodes: view.nodes.map((n) => ({ id: n.id, ...nodeSize(n.name, n.type), layer: n.layer ? (layerIndex.get(n.layer) ?? null) : null })),
      edges: view.edges.map((e) => ({ source: e.source, target: e.target })),
      direction,
      layers: graph.layers,
    };
  }, [graph, view, direction]);
  return { view, input };
}
