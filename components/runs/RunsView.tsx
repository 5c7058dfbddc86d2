'use client';

import { useEffect } from 'react';
import { RunEntryText } from './RunEntryText';
import { listRuns } from './runs-api';
import { useRuns } from './runs-store';
import { describeError } from '../api';

/** Past and current runs, newest first; click one to show its node statuses on the graph. */
export function RunsView({ pollMs = 5000 }: { pollMs?: number }) {
  const runs = useRuns((s) => s.runs);
  const shownRunId = useRuns((s) => s.shownRunId);
  const set = useRuns((s) => s.set);

  // Polled: runs started from a terminal (`dqm run`) appear without a reload.
  useEffect(() => {
    let stop = false;
    const load = () =>
      listRuns().then(
        (r) => !stop && set({ runs: r.runs }),
        (e: unknown) => !stop && set({ error: describeError(e) }),
      );
    void load();
    const timer = setInterval(load, pollMs);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [pollMs, set]);

  if (!runs.length) {
    return (
      <p className="text-xs" style={{ color: 'var(--muted)' }}>
        No runs yet.
      </p>
    );
  }
  return (
    <ol data-testid="runs-list" className="flex flex-col gap-1">
      {runs.map((r) => (
        <li key={r.id}>
          <button
            type="button"
            data-testid="run-entry"
            data-run-id={r.id}
            data-status={r.status}
            className="flex w-full flex-col rounded border px-2 py-1 text-left text-xs"
            style={{ borderColor: r.id === shownRunId ? 'var(--accent)' : 'var(--border)', background: 'var(--panel)' }}
            onClick={() => set({ shownRunId: r.id === shownRunId ? null : r.id })}
            title={r.error ?? r.id}
          >
            <RunEntryText run={r} />
          </button>
        </li>
      ))}
    </ol>
  );
}
