'use client';

import { Background, ControlButton, Controls, MarkerType, MiniMap, Position, ReactFlow, useReactFlow, type Edge, type Node, type NodeHandle, type NodeMouseHandler } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { focusSet, initialViewport, type GraphJson, type LayoutResult, neighbourhood, sliceBetween, type Slice } from '../../lib/graph';
import { useViz } from '../store';
import { BandNode, type BandFlowNode } from './BandNode';
import { exportGraph } from './exportImage';
import { GroupNode, type GroupFlowNode } from './GroupNode';
import { RoutedEdge, type RoutedFlowEdge } from './RoutedEdge';
import { SliceBar } from './SliceBar';
import { Toolbar } from './Toolbar';
import { useKeyboard } from './useKeyboard';
import { useLayout } from './useLayout';
import { useScreenSize } from './useScreenSize';
import { type DrawnGraph, useVisibleGraph } from './useVisibleGraph';
import { VizNode, nodeSize, type VizFlowNode } from './VizNode';

// Not 'group': React Flow styles its built-in group type (border, padding, background).
const nodeTypes = { viz: VizNode, band: BandNode, mpgroup: GroupNode };
const edgeTypes = { routed: RoutedEdge };
const BAND_PAD = 400;
const ARROW = { type: MarkerType.ArrowClosed, width: 16, height: 16, color: 'var(--edge)' };
/** Above this many nodes only those on screen are in the DOM (the first view shows a part at a legible zoom). */
const VISIBLE_ONLY_ABOVE = 300;
const DOUBLE_CLICK_MS = 250;

interface Shown {
  drawn: DrawnGraph;
  layout: LayoutResult;
  key: string;
}

/**
 * The first view of a layout (legible zoom, the start of the flow in sight), as a React Flow
 * viewport. The reset button goes back to exactly this view; React Flow's own fit-view would
 * fit the layer bands too (they reach BAND_PAD beyond the graph) and land elsewhere.
 */
function firstViewOf(layout: LayoutResult, screen: { width: number; height: number }) {
  const ext = extentOf(layout);
  const vp = initialViewport(ext, screen.width, screen.height);
  return { x: vp.x - ext.x * vp.zoom, y: vp.y - ext.y * vp.zoom, zoom: vp.zoom };
}

/** The laid-out extent, boxes included (they stick out of the nodes' extent by their padding). */
function extentOf(layout: LayoutResult) {
  let x0 = 0;
  let y0 = 0;
  let x1 = layout.width;
  let y1 = layout.height;
  for (const g of layout.groups) {
    x0 = Math.min(x0, g.x);
    y0 = Math.min(y0, g.y);
    x1 = Math.max(x1, g.x + g.width);
    y1 = Math.max(y1, g.y + g.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

interface Marks {
  selected: string | null;
  hits: Set<string> | null;
  hl: Set<string> | null;
  faded: Set<string> | null;
  slice: Slice | null;
  focus: string | null;
}

function buildNodes(graph: GraphJson, shown: Shown, marks: Marks): Node[] {
  const { drawn, layout } = shown;
  const horizontal = layout.direction === 'LR';
  const bands: BandFlowNode[] = layout.bands.map((b, index) => ({
    id: `band:${b.name}`,
    type: 'band',
    position: horizontal ? { x: b.start, y: -BAND_PAD } : { x: -BAND_PAD, y: b.start },
    data: { name: b.name, index, horizontal },
    width: horizontal ? b.end - b.start : layout.width + 2 * BAND_PAD,
    height: horizontal ? layout.height + 2 * BAND_PAD : b.end - b.start,
    selectable: false,
    draggable: false,
    focusable: false,
    zIndex: -2,
  }));
  const groups: GroupFlowNode[] = layout.groups.map((g) => {
    const parent = layout.groups.filter((o) => o.depth < g.depth && g.id.startsWith(`${o.id}.`)).map((o) => o.id);
    const name = graph.modular_pipelines[g.id]?.name ?? g.id;
    const short = parent.length && name.startsWith(`${parent.at(-1)}.`) ? name.slice(parent.at(-1)!.length + 1) : name;
    return {
      id: `group:${g.id}`,
      type: 'mpgroup',
      position: { x: g.x, y: g.y },
      data: { id: g.id, label: short, fullName: name, depth: g.depth, focused: marks.focus === g.id },
      width: g.width,
      height: g.height,
      selectable: false,
      draggable: false,
      focusable: false,
      zIndex: -1,
      className: marks.faded && !marks.faded.has(g.id) && marks.focus !== g.id && !g.id.startsWith(`${marks.focus}.`) ? 'faded' : undefined,
    };
  });
  const nodes: VizFlowNode[] = drawn.view.nodes.map((n) => {
    const label = drawn.labels[n.id]!;
    const size = nodeSize(label, n.type);
    const cls = [
      marks.hl?.has(n.id) ? 'hl' : '',
      marks.hits?.has(n.id) ? 'search-hit' : '',
      marks.faded?.has(n.id) ? 'faded' : '',
      marks.slice?.nodes.has(n.id) ? 'in-slice' : '',
      marks.slice && (marks.slice.from === n.id || marks.slice.to === n.id) ? 'slice-end' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return {
      id: n.id,
      type: 'viz',
      position: layout.positions[n.id] ?? { x: 0, y: 0 },
      data: { label, fullName: n.name, kind: n.type, layer: n.layer ?? null, horizontal, ...size, selected: n.id === marks.selected, match: !!marks.hits?.has(n.id), stack: n.id.startsWith('stack:') },
      width: size.width,
      height: size.height,
      // Known sizes and handle positions let React Flow draw edges at once, without measuring
      // thousands of DOM nodes first (the difference between ~1 s and several at 2,500 nodes).
      handles: handlesFor(size.width, size.height, horizontal),
      className: cls || undefined,
      draggable: false,
      connectable: false,
    };
  });
  return [...bands, ...groups, ...nodes];
}

const H = 4;
function handlesFor(w: number, h: number, horizontal: boolean): NodeHandle[] {
  return horizontal
    ? [
        { type: 'target', position: Position.Left, x: -H / 2, y: h / 2 - H / 2, width: H, height: H },
        { type: 'source', position: Position.Right, x: w - H / 2, y: h / 2 - H / 2, width: H, height: H },
      ]
    : [
        { type: 'target', position: Position.Top, x: w / 2 - H / 2, y: -H / 2, width: H, height: H },
        { type: 'source', position: Position.Bottom, x: w / 2 - H / 2, y: h - H / 2, width: H, height: H },
      ];
}

const miniNodeColor = (n: Node) => (n.type === 'band' || n.type === 'mpgroup' ? 'transparent' : miniColor((n.data as { kind: string }).kind));
const onPaneClick = () => useViz.getState().set({ selected: null });

/** Which drawn nodes belong to the focused pipeline or the slice; every other one fades. */
function fadedSet(graph: GraphJson, drawn: DrawnGraph, focus: string | null, slice: Slice | null): Set<string> | null {
  if (!focus && !slice) return null;
  const keep = focus ? focusSet(graph, focus) : slice!.nodes;
  const inside = (id: string) => keep.has(id) || (focus !== null && (id.startsWith(`${focus}.`) || (drawn.view.groups[id] ?? []).includes(focus)));
  // A collapsed pipeline or a stack stays lit when something inside it is.
  const members = (id: string) => (id.startsWith('stack:') ? drawn.view.stacks[id] ?? [] : graph.nodes.filter((n) => n.modular_pipelines?.includes(id)).map((n) => n.id));
  return new Set(drawn.view.nodes.filter((n) => !inside(n.id) && !(n.type === 'modularPipeline' || n.id.startsWith('stack:') ? members(n.id).some((m) => keep.has(m)) : false)).map((n) => n.id));
}

export function Flowchart() {
  const { ref: screenRef, size: screen } = useScreenSize();
  const { drawn, input } = useVisibleGraph(screen);
  const engine = useViz((s) => s.engine);
  const layout = useLayout(input, engine);
  const selected = useViz((s) => s.selected);
  const hovered = useViz((s) => s.hovered);
  const search = useViz((s) => s.search);
  const theme = useViz((s) => s.theme);
  const graph = useViz((s) => s.graph);
  const loading = useViz((s) => s.loading);
  const graphError = useViz((s) => s.graphError);
  const focus = useViz((s) => s.focus);
  const sliceFrom = useViz((s) => s.sliceFrom);
  const sliceTo = useViz((s) => s.sliceTo);
  const { setViewport, setCenter, getViewport } = useReactFlow();
  // Where the node a user opened or closed sat on screen: the next layout keeps it there.
  const anchor = useRef<{ id: string; x: number; y: number } | null>(null);
  const clickTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Keep drawing the last laid-out view while a new layout is computed.
  const shown = useRef<Shown | null>(null);
  if (layout?.status === 'ready' && drawn && shown.current?.key !== layout.key) shown.current = { drawn, layout: layout.result, key: layout.key };
  const current = shown.current;

  const hits = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q || !current) return null;
    return new Set(current.drawn.view.nodes.filter((n) => n.name.toLowerCase().includes(q)).map((n) => n.id));
  }, [search, current]);
  const hl = useMemo(() => (hovered && current ? neighbourhood(current.drawn.view.edges, hovered) : null), [hovered, current]);
  const slice = useMemo(() => (graph && sliceFrom && sliceTo ? sliceBetween(graph, sliceFrom, sliceTo) : null), [graph, sliceFrom, sliceTo]);
  const faded = useMemo(() => (graph && current ? fadedSet(graph, current.drawn, focus, slice) : null), [graph, current, focus, slice]);

  const nodes = useMemo(() => (current && graph ? buildNodes(graph, current, { selected, hits, hl, faded, slice, focus }) : []), [graph, current, selected, hits, hl, faded, slice, focus]);
  const edges = useMemo<Edge[]>(() => {
    if (!current) return [];
    return current.drawn.view.edges.map((e): RoutedFlowEdge => {
      const cls = [hl && hl.has(e.source) && hl.has(e.target) && (e.source === hovered || e.target === hovered) ? 'hl' : '', slice && slice.nodes.has(e.source) && slice.nodes.has(e.target) ? 'in-slice' : '', faded && (faded.has(e.source) || faded.has(e.target)) ? 'faded' : ''].filter(Boolean).join(' ');
      return { id: e.id, source: e.source, target: e.target, type: 'routed', data: { points: current.layout.edgePoints?.[e.id] }, markerEnd: ARROW, interactionWidth: 0, className: cls || undefined, focusable: false, selectable: false };
    });
  }, [current, hl, hovered, slice, faded]);

  // The first view of each new layout: legible zoom, the start of the flow in sight (before paint).
  const layoutKey = current?.key;
  const viewFor = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!layoutKey || !current || !screen || viewFor.current === layoutKey) return;
    viewFor.current = layoutKey;
    const a = anchor.current;
    anchor.current = null;
    const at = a && (current.layout.positions[a.id] ?? current.layout.groups.find((g) => g.id === a.id));
    if (a && at) {
      const zoom = getViewport().zoom;
      void setViewport({ x: a.x - at.x * zoom, y: a.y - at.y * zoom, zoom }, { duration: 0 });
      return;
    }
    void setViewport(firstViewOf(current.layout, screen), { duration: 0 });
  }, [layoutKey, current, screen, setViewport, getViewport]);
  const resetView = useCallback(() => {
    const c = shown.current;
    if (c && screen) void setViewport(firstViewOf(c.layout, screen), { duration: 200 });
  }, [screen, setViewport]);
  // For bench:ui: when the first laid-out view is on screen (after the frame that draws it).
  useEffect(() => {
    if (!layoutKey) return;
    const raf = requestAnimationFrame(() => performance.mark('dqm:drawn'));
    return () => cancelAnimationFrame(raf);
  }, [layoutKey]);
  const keepOnScreen = useCallback(
    (id: string, groupOf?: string) => {
      const p = shown.current?.layout.positions[id] ?? shown.current?.layout.groups.find((g) => g.id === id);
      if (!p) return;
      const v = getViewport();
      anchor.current = { id: groupOf ?? id, x: v.x + p.x * v.zoom, y: v.y + p.y * v.zoom };
    },
    [getViewport],
  );

  const centreOn = useCallback(
    (id: string) => {
      const c = shown.current;
      const p = c?.layout.positions[id];
      if (!c || !p) return;
      const label = c.drawn.labels[id] ?? id;
      const kind = c.drawn.view.nodes.find((n) => n.id === id)?.type ?? 'task';
      const s = nodeSize(label, kind);
      void setCenter(p.x + s.width / 2, p.y + s.height / 2, { zoom: Math.max(getViewport().zoom, 0.9), duration: 200 });
    },
    [setCenter, getViewport],
  );
  useKeyboard(current ? { edges: current.drawn.view.edges, layout: current.layout } : null, centreOn);

  const onNodeClick: NodeMouseHandler = useCallback((e, n) => {
    if (n.type !== 'viz') return;
    const s = useViz.getState();
    if (e.shiftKey && (n.data as { kind?: string }).kind !== 'modularPipeline') {
      if (!s.sliceFrom || s.sliceTo) s.set({ sliceFrom: n.id, sliceTo: null });
      else s.set({ sliceTo: n.id });
      return;
    }
    // A modular pipeline or a stack also answers a double-click (open it): its panel waits for
    // the double-click time, so the panel never slides over it between the two clicks.
    clearTimeout(clickTimer.current);
    const kind = (n.data as { kind?: string }).kind;
    if (kind === 'modularPipeline' || n.id.startsWith('stack:')) clickTimer.current = setTimeout(() => useViz.getState().set({ selected: n.id, ls: 0 }), DOUBLE_CLICK_MS);
    else s.set({ selected: n.id, ls: 0 });
  }, []);
  const onNodeDoubleClick: NodeMouseHandler = useCallback(
    (_e, n) => {
      clearTimeout(clickTimer.current);
      if (n.id.startsWith('stack:')) {
        keepOnScreen(n.id, n.id.slice('stack:'.length));
        useViz.getState().toggleInList('unstacked', n.id.slice('stack:'.length));
      } else if ((n.data as { kind?: string }).kind === 'modularPipeline') {
        keepOnScreen(n.id);
        useViz.getState().toggleExpanded(n.id);
      }
    },
    [keepOnScreen],
  );
  // data-moving on the chart while the view pans or zooms (an animated centring included): a
  // pointer that reaches a node mid-move is left behind by it. Set on the DOM: no re-render.
  const onMoveStart = useCallback(() => screenRef.current?.setAttribute('data-moving', 'true'), [screenRef]);
  const onMoveEnd = useCallback(() => screenRef.current?.setAttribute('data-moving', 'false'), [screenRef]);
  const onEnter: NodeMouseHandler = useCallback((_e, n) => n.type === 'viz' && useViz.getState().set({ hovered: n.id }), []);
  const onLeave: NodeMouseHandler = useCallback(() => useViz.getState().set({ hovered: null }), []);
  const onExport = useCallback(
    (f: 'png' | 'svg') => {
      const c = shown.current;
      if (!c) return;
      void exportGraph(f, extentOf(c.layout), theme === 'dark' ? '#0b1220' : '#f8fafc');
    },
    [theme],
  );

  const status = graphError ? 'error' : layout?.status === 'error' ? 'error' : !current || loading || layout?.status === 'loading' ? 'loading' : 'ready';
  const cls = `${hovered ? 'hovering' : ''} ${hits && !hovered ? 'searching' : ''}`.trim();
  const many = (current?.drawn.view.nodes.length ?? 0) > VISIBLE_ONLY_ABOVE;
  return (
    <div
      ref={screenRef}
      className="h-full w-full"
      data-testid="flowchart"
      data-moving="false"
      data-layout={status}
      data-nodes={current?.drawn.view.nodes.length ?? 0}
      data-edges={current?.drawn.view.edges.length ?? 0}
      data-engine={current?.layout.engine ?? ''}
      data-direction={current?.layout.direction ?? ''}
      data-groups={current?.layout.groups.length ?? 0}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodeClick={onNodeClick}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeMouseEnter={onEnter}
        onNodeMouseLeave={onLeave}
        onPaneClick={onPaneClick}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        className={cls}
        colorMode={theme}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        zoomOnDoubleClick={false}
        minZoom={0.02}
        maxZoom={3}
        onlyRenderVisibleElements={many}
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ type: 'routed' }}
      >
        <Background gap={24} size={1} />
        <MiniMap pannable zoomable nodeColor={miniNodeColor} />
        <Controls showInteractive={false} showFitView={false}>
          <ControlButton onClick={resetView} title="Reset the view (as first shown)" aria-label="reset view" data-testid="reset-view">
            ⛶
          </ControlButton>
        </Controls>
        <Toolbar onExport={onExport} chosen={current?.layout.direction === 'LR' ? 'left-right' : 'top-down'} />
        <SliceBar slice={slice} picking={sliceFrom && !sliceTo ? sliceFrom : null} />
      </ReactFlow>
      {status !== 'ready' && (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center">
          <div data-testid="graph-status" className="pointer-events-auto max-w-xl rounded-md px-4 py-3 text-sm shadow" style={{ background: 'var(--panel)', border: '1px solid var(--border)' }}>
            {graphError
              ? `Could not load the graph: ${graphError}`
              : layout?.status === 'error'
                ? `Could not lay out the graph: ${layout.message}`
                : graph
                  ? `Laying out ${input?.nodes.length ?? 0} nodes…`
                  : 'Loading the pipeline…'}
          </div>
        </div>
      )}
    </div>
  );
}

function miniColor(kind: string): string {
  return kind === 'task' ? '#64748b' : kind === 'data' ? '#0284c7' : kind === 'parameters' ? '#d97706' : '#7c3aed';
}
