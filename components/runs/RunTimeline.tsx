'use client';

import type { NodeRunRecord, RunRecord } from '../../lib/services';
import { formatDuration, RUN_STATUS_COLOUR } from './run-statuses';

/**
 * A run's Gantt chart: one row per node, a bar from its start to its end on the run's time
 * axis, coloured by status (a running node grows until now); nodes that never started are
 * listed below without a bar. Click a row to open the node.
 */
export function RunTimeline({ run, nodes, now, selected, onNode }: { run: RunRecord; nodes: NodeRunRecord[]; now: number; selected: string | null; onNode: (node: string) => void }) {
  const t0 = Date.parse(run.startedAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const total = Math.max(end - t0, 1);
  const started = nodes.filter((n) => n.startedAt).sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!));
  const rest = nodes.filter((n) => !n.startedAt);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <section data-testid="run-timeline" className="flex flex-col gap-0.5 text-xs">
      <div className="grid grid-cols-[16rem_1fr_5rem] items-end gap-2" style={{ color: 'var(--muted)' }}>
        <span>node</span>
        <span className="relative h-4">
          {ticks.map((t) => (
            <span key={t} className="absolute -translate-x-1/2 whitespace-nowrap" style={{ left: `${t * 100}%`, transform: t === 1 ? 'translateX(-100%)' : t === 0 ? 'none' : undefined }}>
              {formatDuration(t * total)}
            </span>
          ))}
        </span>
        <span className="text-right">duration</span>
      </div>
      {started.map((n) => {
        const s = Date.parse(n.startedAt!) - t0;
        const d = n.durationMs ?? (n.status === 'running' ? now - Date.parse(n.startedAt!) : 0);
        return (
          <button
            type="button"
            key={n.node}
            data-testid="timeline-row"
            data-node={n.node}
            data-status={n.status}
            className="grid grid-cols-[16rem_1fr_5rem] items-center gap-2 rounded px-0.5 text-left hover:opacity-80"
            style={selected === n.node ? { outline: '2px solid var(--accent)' } : undefined}
            onClick={() => onNode(n.node)}
          >
            <span className="truncate font-mono" title={n.node}>
              {n.node}
            </span>
            <span className="relative h-4 rounded-sm" style={{ background: 'var(--border)' }}>
              {ticks.slice(1, -1).map((t) => (
                <span key={t} aria-hidden className="absolute top-0 h-full w-px opacity-40" style={{ left: `${t * 100}%`, background: 'var(--muted)' }} />
              ))}
              <span
                data-testid="timeline-bar"
                className={`absolute top-0.5 h-3 rounded-sm${n.status === 'running' ? ' animate-pulse' : ''}`}
                style={{ left: `${(100 * s) / total}%`, width: `max(3px, ${(100 * d) / total}%)`, background: RUN_STATUS_COLOUR[n.status] }}
                title={`${n.node}: ${n.status}, started at +${formatDuration(s)}, ${formatDuration(d)}`}
              />
            </span>
            <span className="text-right tabular-nums">{formatDuration(d)}</span>
          </button>
        );
      })}
      {rest.length > 0 && (
        <p className="mt-1" style={{ color: 'var(--muted)' }}>
          {rest.map((n, i) => (
            <span key={n.node}>
              {i > 0 && ', '}
              <button type="button" className="font-mono underline decoration-dotted" onClick={() => onNode(n.node)} style={{ color: RUN_STATUS_COLOUR[n.status] }}>
                {n.node}
              </button>{' '}
              ({n.status.replace('_', ' ')})
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
