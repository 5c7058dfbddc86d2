'use client';

import { useEffect, useState } from 'react';
import type { NodeDurationPoint } from '../../lib/services';
import { formatDuration, RUN_STATUS_COLOUR } from './run-statuses';
import { nodeDurations } from './runs-api';
import { useRuns } from './runs-store';

/** A task's duration in its last runs (oldest left), as bars: does it get slower, did it fail? */
export function NodeDurations({ name }: { name: string }) {
  const runsVersion = useRuns((s) => s.runsVersion);
  const [points, setPoints] = useState<NodeDurationPoint[] | null>(null);
  useEffect(() => {
    let stop = false;
    nodeDurations(name).then(
      (r) => !stop && setPoints(r.points),
      () => !stop && setPoints(null),
    );
    return () => {
      stop = true;
    };
  }, [name, runsVersion]);
  if (!points?.length) return null;
  const shown = [...points].reverse();
  const max = Math.max(...shown.map((p) => p.durationMs ?? 0), 1);
  const durations = shown.map((p) => p.durationMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)];
  return (
    <section data-testid="node-durations" className="flex flex-col gap-1 text-xs">
      <h3 className="font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
        Duration in the last {shown.length} run{shown.length === 1 ? '' : 's'} · median {formatDuration(median)}
      </h3>
      <div className="flex h-12 items-end gap-0.5 border-b" style={{ borderColor: 'var(--border)' }}>
        {shown.map((p) => (
          <a
            key={p.runId}
            href={`/runs?run=${encodeURIComponent(p.runId)}&node=${encodeURIComponent(name)}`}
            data-testid="node-duration-bar"
            className="block w-2.5 flex-none rounded-t-sm"
            style={{ height: `${Math.max(4, (100 * (p.durationMs ?? 0)) / max)}%`, background: RUN_STATUS_COLOUR[p.status] }}
            title={`${p.runId} · ${p.status} · ${formatDuration(p.durationMs)}`}
          />
        ))}
      </div>
    </section>
  );
}
