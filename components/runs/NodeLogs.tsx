'use client';

import { useEffect, useState } from 'react';
import type { LogLine } from '../../lib/services';
import { describeError } from '../api';
import { getLogs } from './runs-api';

const STREAM_COLOUR: Record<LogLine['stream'], string> = {
  stdout: 'var(--text)',
  stderr: '#dc2626',
  warning: '#d97706',
  progress: '#2563eb',
  dqm: '#7c3aed',
};

/**
 * What a node wrote in a run (console, stdout, stderr, warnings, progress), with time and
 * stream, from `GET /api/runs/{id}/logs?node=`; re-read every second while the node runs.
 */
export function NodeLogs({ runId, node, live }: { runId: string; node?: string; live: boolean }) {
  const [lines, setLines] = useState<LogLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    const load = () =>
      getLogs(runId, node).then(
        (r) => !stop && setLines(r.lines),
        (e: unknown) => !stop && setError(describeError(e)),
      );
    void load();
    const timer = live ? setInterval(load, 1000) : undefined;
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [runId, node, live]);

  return (
    <div className="flex flex-col gap-1">
      <h4 className="font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
        Output{lines ? ` · ${lines.length} line${lines.length === 1 ? '' : 's'}` : ''}
      </h4>
      {error && <p role="alert">{error}</p>}
      {lines && !lines.length && <p style={{ color: 'var(--muted)' }}>{live ? 'Nothing written yet.' : 'The node wrote nothing.'}</p>}
      {lines && lines.length > 0 && (
        <pre data-testid="node-logs" className="m-0 max-h-72 overflow-auto rounded border p-1 font-mono text-[11px] leading-4" style={{ borderColor: 'var(--border)', background: 'var(--bg)' }}>
          {lines.map((l) => (
            <div key={l.seq} data-stream={l.stream} className="flex gap-2">
              <span style={{ color: 'var(--muted)' }}>{l.time.slice(11, 23)}</span>
              {!node && <span className="font-semibold">{l.node}</span>}
              <span className="w-14 flex-none" style={{ color: STREAM_COLOUR[l.stream] }}>
                {l.stream}
              </span>
              <span className="whitespace-pre-wrap break-all">{l.text}</span>
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}
