'use client';

import { useMemo } from 'react';
import { defaultExpanded, nodeLabel, visibleGraph, type VisibleGraph } from '../../lib/graph';
import { useViz } from '../store';
import type { ScreenLayoutInput } from './layout.types';
import { nodeSize } from './VizNode';

export { defaultExpanded } from '../../lib/graph';

export interface DrawnGraph {
  view: VisibleGraph;
  /** What each node's box says. */
  labels: Record<string, string>;
}

/** The visible graph for the current view, its labels, and the layout input for it (for a `screen` of that size). */
export function useVisibleGraph(screen: { width: number; height: number } | null): { drawn: DrawnGraph | null; input: ScreenLayoutInput | null } {
  const graph = useViz((s) => s.graph);
  const expanded = useViz((s) => s.expanded);
  const hiddenTypes = useViz((s) => s.hiddenTypes);
  const hiddenLayers = useViz((s) => s.hiddenLayers);
  const unstacked = useViz((s) => s.unstacked);
  const tags = useViz((s) => s.tags);
  const pretty = useViz((s) => s.pretty);
  const direction = useViz((s) => s.direction);
  const drawn = useMemo<DrawnGraph | null>(() => {
    if (!graph) return null;
    const view = visibleGraph(graph, {
      expanded: new Set(expanded ?? defaultExpanded(graph)),
      hiddenTypes: new Set(hiddenTypes),
      tags: new Set(tags),
      hiddenLayers: new Set(hiddenLayers),
      unstacked: new Set(unstacked),
    });
    const labels: Record<string, string> = {};
    for (const n of view.nodes) labels[n.id] = n.id.startsWith('stack:') ? n.name : nodeLabel(n.name, view.groups[n.id] ?? [], pretty);
    return { view, labels };
  }, [graph, expanded, hiddenTypes, hiddenLayers, unstacked, tags, pretty]);
  const input = useMemo<ScreenLayoutInput | null>(() => {
    if (!graph || !drawn || !screen) return null;
    const layerIndex = new Map(graph.layers.map((l, i) => [l, i]));
    return {
      nodes: drawn.view.nodes.map((n) => ({ id: n.id, ...nodeSize(drawn.labels[n.id]!, n.type), layer: n.layer ? (layerIndex.get(n.layer) ?? null) : null, group: drawn.view.groups[n.id] ?? [] })),
      edges: drawn.view.edges.map((e) => ({ source: e.source, target: e.target })),
      direction,
      layers: graph.layers,
      screen,
    };
  }, [graph, drawn, direction, screen]);
  return { drawn, input };
}
