'use client';

import { useViz } from '../store';

/** A stack node (a wide fan-out drawn as one): how many, which, and the button that draws them all. */
export function StackDetails({ id }: { id: string }) {
  const graph = useViz((s) => s.graph);
  const source = id.slice('stack:'.length);
  const members = (graph?.edges ?? []).filter((e) => e.source === source).map((e) => graph!.nodes.find((n) => n.id === e.target)).filter((n) => !!n);
  const name = graph?.nodes.find((n) => n.id === source)?.name ?? source;
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="stack-details">
      <div className="flex items-start justify-between">
        <h2 className="m-0 font-mono text-sm font-semibold" data-testid="metadata-title">
          {members.length.toLocaleString('en')} branches of {name}
        </h2>
        <button type="button" aria-label="Close" className="px-1 text-lg leading-none" onClick={() => useViz.getState().set({ selected: null })}>
          ×
        </button>
      </div>
      <p style={{ color: 'var(--muted)' }}>Drawn as one node so the graph stays readable. Double-click it, or:</p>
      <button type="button" data-testid="unstack" className="self-start rounded border px-2 py-1" style={{ borderColor: 'var(--border)' }} onClick={() => useViz.getState().set({ unstacked: [...useViz.getState().unstacked, source], selected: null })}>
        Draw all {members.length.toLocaleString('en')}
      </button>
      <ul className="max-h-96 overflow-auto font-mono text-xs">
        {members.slice(0, 200).map((n) => (
          <li key={n.id}>{n.name}</li>
        ))}
        {members.length > 200 && <li>… {members.length - 200} more</li>}
      </ul>
    </div>
  );
}
