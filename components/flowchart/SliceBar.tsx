'use client';

import { Panel } from '@xyflow/react';
import type { Slice } from '../../lib/graph';
import { CopyButton } from '../CopyButton';
import { useViz } from '../store';

/** The picked slice: its ends, size and `dqm run` command, with Copy, Run… (the Run form, filled) and Clear. */
export function SliceBar({ slice, picking }: { slice: Slice | null; picking: string | null }) {
  const set = useViz((s) => s.set);
  const pipeline = useViz((s) => s.pipeline);
  const clear = () => set({ sliceFrom: null, sliceTo: null });
  if (!slice && !picking) return null;
  return (
    <Panel position="bottom-center">
      <div data-testid="slice-bar" className="flex max-w-[44rem] flex-col gap-1 rounded-md border px-3 py-2 text-xs shadow" style={{ background: 'var(--panel)', borderColor: 'var(--accent)' }}>
        {slice ? (
          <>
            <span>
              <b>Slice</b> {slice.from} → {slice.to} · {slice.nodes.size} nodes and datasets
            </span>
            <span className="flex items-center gap-2">
              <code data-testid="slice-command" className="select-all rounded px-1 py-0.5 font-mono" style={{ background: 'var(--bg)' }}>
                {slice.command}
              </code>
              <CopyButton text={slice.command} testId="slice-copy" />
            </span>
            <span className="flex gap-2">
              <button type="button" data-testid="slice-run" className="rounded px-2 py-0.5 font-semibold text-white" style={{ background: 'var(--accent)' }} onClick={() => set({ runDraft: { fromNodes: slice.fromNodes, toNodes: slice.toNodes, pipeline } })}>
                ▶ Run this slice…
              </button>
              <button type="button" data-testid="slice-clear" className="underline" onClick={clear}>
                clear (Esc)
              </button>
            </span>
          </>
        ) : (
          <span>
            Slice from <b>{picking}</b>: now pick its end (“Slice to here” in the panel, or Shift+click a node) ·{' '}
            <button type="button" className="underline" onClick={clear}>
              cancel
            </button>
          </span>
        )}
      </div>
    </Panel>
  );
}
