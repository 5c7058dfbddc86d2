'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type { DatasetStats, NodeDetails } from '../../lib/graph';
import { fetchNode, describeError } from '../api';
import { useViz } from '../store';
import { defaultExpanded } from '../flowchart/useVisibleGraph';
import { Preview } from './Preview';
import { NodeRunDetails } from '../runs/NodeRunDetails';
import { NodeDurations } from '../runs/NodeDurations';
import { DatasetRunDetails } from '../runs/DatasetRunDetails';
import { useDatasetVersion } from '../runs/runs-store';
import { CopyButton } from '../CopyButton';
import { usePanelWidth } from './usePanelWidth';
import { StackDetails } from './StackDetails';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
        {label}
      </dt>
      <dd className="m-0 break-words text-sm">{children}</dd>
    </div>
  );
}

/** Ids or names of graph nodes, shown by name (Kedro-Viz exports use hashes as ids); a click selects the node. */
function List({ items }: { items: string[] }) {
  const graph = useViz((s) => s.graph);
  const nodeOf = (i: string) => graph?.nodes.find((n) => n.id === i) ?? graph?.nodes.find((n) => n.name === i);
  const select = (i: string) => useViz.getState().set({ selected: nodeOf(i)?.id ?? i, ls: 0 });
  if (!items.length) return <span style={{ color: 'var(--muted)' }}>none</span>;
  return (
    <ul className="m-0 list-none p-0" data-testid="node-list">
      {items.map((i) => (
        <li key={i}>
          <button type="button" className="text-left font-mono text-xs underline decoration-dotted" onClick={() => select(i)}>
            {nodeOf(i)?.name ?? i}
          </button>
        </li>
      ))}
    </ul>
  );
}

function bytes(n: number): string {
  const u = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}

function statsText(s: DatasetStats): string {
  const parts: string[] = [];
  if (s.rows !== undefined) parts.push(`${s.rows.toLocaleString()} rows`);
  if (s.columns !== undefined) parts.push(`${s.columns} columns`);
  if (s.ls_count !== undefined) parts.push(`${s.ls_count.toLocaleString()} LS`);
  if (s.shape) parts.push(`${s.shape[0]}×${s.shape[1]} bins`);
  if (s.file_size !== undefined) parts.push(bytes(s.file_size));
  return parts.join(' · ') || '—';
}

function Command({ text, testId }: { text: string; testId?: string }) {
  return (
    <span className="flex items-start gap-1">
      <code className="block min-w-0 flex-1 select-all break-all rounded px-2 py-1 font-mono text-xs" style={{ background: 'var(--bg)', border: '1px solid var(--border)' }}>
        {text}
      </code>
      <CopyButton text={text} testId={testId} />
    </span>
  );
}

/** Slice from / to this node (the slice bar over the graph shows the result). */
function SliceButtons({ id }: { id: string }) {
  const from = useViz((s) => s.sliceFrom);
  const set = useViz((s) => s.set);
  const cls = 'rounded border px-2 py-0.5 text-xs';
  return (
    <span className="flex gap-2">
      <button type="button" data-testid="slice-from" className={cls} style={{ borderColor: 'var(--border)' }} onClick={() => set({ sliceFrom: id, sliceTo: null })}>
        Slice from here
      </button>
      <button type="button" data-testid="slice-to" className={cls} style={{ borderColor: 'var(--border)' }} disabled={!from || from === id} onClick={() => set({ sliceTo: id })}>
        Slice to here
      </button>
    </span>
  );
}

/** Details of the selected node, from /api/nodes/{id}; the LS slider refetches just the map. */
export function MetadataPanel({ id }: { id: string }) {
  const { width, handle } = usePanelWidth();
  return (
    <aside data-testid="metadata-panel" className="relative flex h-full flex-none flex-col gap-3 overflow-y-auto border-l p-3" style={{ width, background: 'var(--panel)', borderColor: 'var(--border)' }}>
      {handle}
      {id.startsWith('stack:') ? <StackDetails id={id} /> : <NodePanel id={id} />}
    </aside>
  );
}

function NodePanel({ id }: { id: string }) {
  const pipeline = useViz((s) => s.pipeline);
  const theme = useViz((s) => s.theme);
  const graph = useViz((s) => s.graph);
  const expanded = useViz((s) => s.expanded);
  const focus = useViz((s) => s.focus);
  const [details, setDetails] = useState<NodeDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped when a run rewrites this dataset, so the preview refreshes.
  const runVersion = useDatasetVersion(id);

  // The LS in the URL is read once: the heatmap then steps through maps itself (binary, prefetched).
  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    fetchNode(id, pipeline, useViz.getState().ls, ctrl.signal).then(setDetails, (e: unknown) => !ctrl.signal.aborted && setError(describeError(e)));
    return () => ctrl.abort();
  }, [id, pipeline, runVersion]);

  const close = () => useViz.getState().set({ selected: null });
  const open = new Set(expanded ?? defaultExpanded(graph));
  return (
    <>
      <div className="flex items-start justify-between gap-2">
        <h2 className="m-0 break-all font-mono text-sm font-semibold" data-testid="metadata-title">
          {details?.name ?? id}
        </h2>
        <button type="button" aria-label="Close" className="px-1 text-lg leading-none" onClick={close}>
          ×
        </button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      {!details && !error && <p className="text-sm">Loading…</p>}
      {details && (
        <dl className="m-0 flex flex-col gap-3">
          {details.kind === 'task' && (
            <>
              <Row label="Type">node (task){details.namespace ? ` in ${details.namespace}` : ''}</Row>
              <NodeRunDetails name={details.name} />
              <Row label="Inputs">
                <List items={details.inputs} />
              </Row>
              <Row label="Outputs">
                <List items={details.outputs} />
              </Row>
              {Object.keys(details.parameters).length > 0 && (
                <Row label="Parameters">
                  <pre className="m-0 max-h-40 overflow-auto text-xs">{JSON.stringify(details.parameters, null, 2)}</pre>
                </Row>
              )}
              {details.tags.length > 0 && <Row label="Tags">{details.tags.join(', ')}</Row>}
              <NodeDurations name={details.name} />
              <Row label="Run this node">
                <Command text={details.run_command} testId="copy-run-command" />
              </Row>
              <Row label="Slice">
                <SliceButtons id={id} />
              </Row>
              <Row label={details.filepath ? `Source · ${details.filepath}${details.line ? `:${details.line}` : ''}` : 'Source'}>
                {details.code ? (
                  <pre data-testid="task-code" className="m-0 max-h-96 overflow-auto rounded p-2 text-xs" style={{ background: 'var(--bg)', border: '1px solid var(--border)' }}>
                    {details.code}
                  </pre>
                ) : (
                  <span style={{ color: 'var(--muted)' }}>not found in pipelines/</span>
                )}
              </Row>
            </>
          )}
          {(details.kind === 'data' || details.kind === 'parameters') && (
            <>
              <Row label="Type">{details.kind === 'parameters' ? 'parameters' : (details.type ?? 'MemoryDataset')}</Row>
              {details.filepath && (
                <Row label="File">
                  <span className="flex items-start gap-1">
                    <span className="min-w-0 flex-1 break-all font-mono text-xs">{details.filepath}</span>
                    <CopyButton text={details.filepath} testId="copy-path" />
                  </span>
                </Row>
              )}
              {details.layer && <Row label="Layer">{details.layer}</Row>}
              {details.kind === 'data' && <DatasetRunDetails name={details.name} />}
              {details.kind === 'data' && <Row label="Stats">{statsText(details.stats)}</Row>}
              {details.run_command && (
                <Row label="Produce it">
                  <Command text={details.run_command} />
                </Row>
              )}
              {details.kind === 'data' && (
                <Row label="Slice">
                  <SliceButtons id={id} />
                </Row>
              )}
              <Row label={details.kind === 'parameters' ? 'Value' : 'Preview'}>
                <Preview preview={details.preview} dark={theme === 'dark'} node={{ id, pipeline }} />
              </Row>
            </>
          )}
          {details.kind === 'modularPipeline' && (
            <>
              <Row label="Type">modular pipeline · {details.children} children</Row>
              <Row label="Inputs">
                <List items={details.inputs} />
              </Row>
              <Row label="Outputs">
                <List items={details.outputs} />
              </Row>
              <span className="flex gap-2">
                <button type="button" data-testid="mp-panel-toggle" className="rounded border px-2 py-1 text-sm" style={{ borderColor: 'var(--border)' }} onClick={() => useViz.getState().toggleExpanded(id, defaultExpanded(graph))}>
                  {open.has(id) ? 'Collapse' : 'Expand'}
                </button>
                <button type="button" data-testid="mp-focus" className="rounded border px-2 py-1 text-sm" style={{ borderColor: focus === id ? 'var(--accent)' : 'var(--border)' }} onClick={() => useViz.getState().set({ focus: focus === id ? null : id })}>
                  {focus === id ? 'Leave focus' : '◎ Focus on it'}
                </button>
              </span>
            </>
          )}
        </dl>
      )}
    </>
  );
}
