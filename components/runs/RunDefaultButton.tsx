'use client';

import { useEffect, useState } from 'react';
import { DEFAULT_PIPELINE } from '../../lib/graph';
import { describeError } from '../api';
import { getRun, startRun } from './runs-api';
import { useRuns } from './runs-store';

/**
 * First use: "Run the default pipeline" where nothing is produced yet. Starts the run, shows it
 * on the graph (the Runs panel follows it), and calls `onDone` when it ends (the plots page reloads).
 */
export function RunDefaultButton({ onDone }: { onDone?: () => void }) {
  const [state, setState] = useState<{ runId: string | null; error: string | null; busy: boolean }>({ runId: null, error: null, busy: false });
  useEffect(() => {
    if (!state.runId || !onDone) return;
    const timer = setInterval(() => {
      void getRun(state.runId!).then((d) => {
        if (d.run.status !== 'running') {
          clearInterval(timer);
          onDone();
        }
      }, () => undefined);
    }, 1500);
    return () => clearInterval(timer);
  }, [state.runId, onDone]);
  const start = async () => {
    setState({ runId: null, error: null, busy: true });
    try {
      const { run } = await startRun({ pipeline: DEFAULT_PIPELINE });
      useRuns.getState().set({ shownRunId: run.id, shownStatus: 'running' });
      setState({ runId: run.id, error: null, busy: false });
    } catch (e) {
      setState({ runId: null, error: describeError(e), busy: false });
    }
  };
  return (
    <span className="inline-flex flex-col gap-1">
      <button type="button" data-testid="run-default" className="rounded px-3 py-1.5 font-semibold text-white disabled:opacity-50" style={{ background: 'var(--accent)' }} disabled={state.busy || !!state.runId} onClick={start}>
        {state.runId ? 'Running the default pipeline…' : '▶ Run the default pipeline'}
      </button>
      {state.error && (
        <span role="alert" className="text-xs" style={{ color: '#dc2626' }}>
          {state.error}
        </span>
      )}
    </span>
  );
}
