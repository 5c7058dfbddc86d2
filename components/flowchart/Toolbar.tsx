'use client';

import { Panel } from '@xyflow/react';
import type { ReactNode } from 'react';
import { useViz, type DirectionChoice } from '../store';

const btn = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' } as const;
const NEXT_DIRECTION: Record<DirectionChoice, DirectionChoice> = { auto: 'TB', TB: 'LR', LR: 'auto' };
const DIRECTION_LABEL: Record<DirectionChoice, string> = { auto: '⤧ Auto', TB: '⇣ Top-down', LR: '⇢ Left-right' };

function Button({ testId, title, onClick, pressed, children }: { testId: string; title: string; onClick: () => void; pressed?: boolean; children: ReactNode }) {
  return (
    <button type="button" data-testid={testId} title={title} aria-pressed={pressed} className="rounded border px-2 py-1 text-xs" style={pressed ? { ...btn, borderColor: 'var(--accent)', color: 'var(--accent)' } : btn} onClick={onClick}>
      {children}
    </button>
  );
}

/** View controls over the graph (always in sight, never below the run history): theme, direction, engine, names, export. */
export function Toolbar({ onExport, chosen }: { onExport: (f: 'png' | 'svg') => void; chosen: string }) {
  const theme = useViz((s) => s.theme);
  const direction = useViz((s) => s.direction);
  const engine = useViz((s) => s.engine);
  const pretty = useViz((s) => s.pretty);
  const set = useViz((s) => s.set);
  return (
    <Panel position="top-right">
      <div className="flex flex-wrap justify-end gap-1" data-testid="toolbar">
        <Button testId="theme-toggle" title="Light or dark" onClick={() => set({ theme: theme === 'dark' ? 'light' : 'dark' })}>
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </Button>
        <Button testId="direction-toggle" title={`Direction (auto: chosen for the graph's shape; now ${chosen})`} onClick={() => set({ direction: NEXT_DIRECTION[direction] })}>
          {DIRECTION_LABEL[direction]}
          {direction === 'auto' ? ` (${chosen})` : ''}
        </Button>
        <Button testId="engine-toggle" title="Layered: fast, any size. ELK: routed edges, up to 400 nodes" onClick={() => set({ engine: engine === 'elk' ? 'layered' : 'elk' })}>
          Layout: {engine === 'elk' ? 'ELK' : 'layered'}
        </Button>
        <Button testId="pretty-toggle" title="Pretty names (Compute Rmse Node) or the names you type (compute_rmse_node)" pressed={pretty} onClick={() => set({ pretty: !pretty })}>
          Aa Pretty names
        </Button>
        {(['png', 'svg'] as const).map((f) => (
          <Button key={f} testId={`export-${f}`} title={`The whole graph as ${f.toUpperCase()}`} onClick={() => onExport(f)}>
            Export {f.toUpperCase()}
          </Button>
        ))}
      </div>
    </Panel>
  );
}
