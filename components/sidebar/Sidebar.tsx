'use client';

import { useReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { type VizNodeType, modularPipelineIds } from '../../lib/graph';
import { useViz } from '../store';
import { defaultExpanded } from '../flowchart/useVisibleGraph';
import { RunsPanel } from '../runs/RunsPanel';
import { PageLink } from '../PageLink';

const TYPE_LABELS: Array<[VizNodeType, string]> = [
  ['task', 'Nodes'],
  ['data', 'Datasets'],
  ['parameters', 'Parameters'],
];

const box = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' } as const;

export function Sidebar() {
  const graph = useViz((s) => s.graph);
  const pipeline = useViz((s) => s.pipeline);
  const search = useViz((s) => s.search);
  const tags = useViz((s) => s.tags);
  const hiddenTypes = useViz((s) => s.hiddenTypes);
  const expanded = useViz((s) => s.expanded);
  const hiddenLayers = useViz((s) => s.hiddenLayers);
  const set = useViz((s) => s.set);
  const { getNode, setCenter } = useReactFlow();

  const open = useMemo(() => new Set(expanded ?? defaultExpanded(graph)), [expanded, graph]);
  const mps = useMemo(() => (graph ? modularPipelineIds(graph).sort() : []), [graph]);
  const results = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q || !graph) return [];
    return graph.nodes.filter((n) => n.name.toLowerCase().includes(q)).slice(0, 40);
  }, [graph, search]);

  const focus = (id: string) => {
    set({ selected: id, ls: 0 });
    // Centred once the metadata panel it opens has narrowed the graph (two frames: React's commit,
    // then React Flow's resize observer): centred at once, it ended near the right edge, half
    // under the panel, and still moving when a pointer reached it.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const n = getNode(id);
        if (n) void setCenter(n.position.x + (n.measured?.width ?? n.width ?? 0) / 2, n.position.y + (n.measured?.height ?? n.height ?? 0) / 2, { zoom: 1, duration: 300 });
      }),
    );
  };

  return (
    <aside className="flex h-full w-72 flex-none flex-col gap-4 overflow-y-auto border-r p-3 text-sm" style={box} data-testid="sidebar">
      <header>
        <div className="flex items-baseline justify-between">
          <h1 className="text-base font-semibold">DQM Playground</h1>
          <PageLink page="plots" testId="plots-link" className="text-xs underline" style={{ color: 'var(--accent)' }} title="Time series, LS maps, correlations, strategy comparison">
            DQM plots →
          </PageLink>
        </div>
        <p className="text-xs" style={{ color: 'var(--muted)' }}>
          {graph ? `${graph.nodes.filter((n) => n.type !== 'modularPipeline').length} elements · ${graph.layers.length} layers` : 'loading…'}
        </p>
      </header>

      <label className="flex flex-col gap-1">
        <span className="text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
          Pipeline
        </span>
        <select
          data-testid="pipeline-select"
          className="rounded border px-2 py-1"
          style={box}
          value={pipeline ?? graph?.selected_pipeline ?? ''}
          onChange={(e) => set({ pipeline: e.target.value, selected: null, expanded: null, tags: [], focus: null, sliceFrom: null, sliceTo: null })}
        >
          {(graph?.pipelines ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>

      <div className="flex flex-col gap-1">
        <input data-testid="search" type="search" placeholder="Search nodes and datasets" className="rounded border px-2 py-1" style={box} value={search} onChange={(e) => set({ search: e.target.value })} />
        {results.length > 0 && (
          <ul className="max-h-48 overflow-y-auto rounded border" style={{ borderColor: 'var(--border)' }}>
            {results.map((n) => (
              <li key={n.id}>
                <button type="button" className="w-full truncate px-2 py-0.5 text-left text-xs hover:opacity-70" onClick={() => focus(n.id)} title={n.name}>
                  {n.name} <span style={{ color: 'var(--muted)' }}>({n.type === 'modularPipeline' ? 'pipeline' : n.type})</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>

      <section>
        <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
          Element types
        </h2>
        {TYPE_LABELS.map(([t, label]) => (
          <label key={t} className="flex items-center gap-2">
            <input type="checkbox" data-testid={`type-${t}`} checked={!hiddenTypes.includes(t)} onChange={() => useViz.getState().toggleInList('hiddenTypes', t)} />
            {label}
          </label>
        ))}
      </section>

      {graph && graph.tags.length > 0 && (
        <section>
          <h2 className="mb-1 flex justify-between text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
            Tags
            {tags.length > 0 && (
              <button type="button" className="normal-case underline" onClick={() => set({ tags: [] })}>
                clear
              </button>
            )}
          </h2>
          {graph.tags.map((t) => (
            <label key={t.id} className="flex items-center gap-2">
              <input type="checkbox" data-testid={`tag-${t.id}`} checked={tags.includes(t.id)} onChange={() => useViz.getState().toggleInList('tags', t.id)} />
              {t.name}
            </label>
          ))}
        </section>
      )}

      {mps.length > 0 && (
        <section>
          <h2 className="mb-1 flex justify-between text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
            Modular pipelines
            <span className="flex gap-2 normal-case">
              <button type="button" data-testid="expand-all" className="underline" onClick={() => set({ expanded: mps })}>
                open all
              </button>
              <button type="button" data-testid="collapse-all" className="underline" onClick={() => set({ expanded: [] })}>
                close all
              </button>
            </span>
          </h2>
          <ul>
            {mps.map((id) => (
              <li key={id} style={{ paddingLeft: `${(id.split('.').length - 1) * 12}px` }}>
                <button type="button" data-testid={`mp-toggle-${id}`} aria-expanded={open.has(id)} className="flex w-full items-center gap-1 text-left" onClick={() => useViz.getState().toggleExpanded(id, defaultExpanded(graph))}>
                  <span className="w-3 text-xs">{open.has(id) ? '▾' : '▸'}</span>
                  <span className="truncate">{graph?.modular_pipelines[id]?.name ?? id}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {graph && graph.layers.length > 0 && (
        <section>
          <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
            Layers
          </h2>
          {graph.layers.map((l) => (
            <label key={l} className="flex items-center gap-2">
              <input type="checkbox" data-testid={`layer-${l}`} checked={!hiddenLayers.includes(l)} onChange={() => useViz.getState().toggleInList('hiddenLayers', l)} />
              {l}
            </label>
          ))}
        </section>
      )}

      <RunsPanel />
      <p className="mt-auto text-xs" style={{ color: 'var(--muted)' }} data-testid="shortcuts">
        Keys: / search · Esc close · arrows walk the graph · Shift+click two nodes to slice · double-click opens a pipeline
      </p>
    </aside>
  );
}
