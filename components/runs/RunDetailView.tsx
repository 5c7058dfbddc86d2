'use client';

import { useEffect, useState } from 'react';
import type { RunDetails } from '../../lib/services';
import { describeError } from '../api';
import { NodeDurations } from './NodeDurations';
import { NodeLogs } from './NodeLogs';
import { RunTimeline } from './RunTimeline';
import { formatBytes, formatDuration, RUN_STATUS_COLOUR, runLine } from './run-statuses';
import { cancelRun, getRun, rerun } from './runs-api';
import { TracebackView } from './TracebackView';

const button = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' } as const;

/** One run: what it was (params, env, selection, commit), its timeline, its nodes' output and errors, re-run and cancel. */
export function RunDetailView({ runId, node, onNode, onRun }: { runId: string; node: string | null; onNode: (n: string | null) => void; onRun: (id: string) => void }) {
  const [details, setDetails] = useState<RunDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const running = details?.run.status === 'running';

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Re-read every second while the run runs (its process writes the store), then stop.
    const load = () =>
      getRun(runId).then(
        (d) => {
          if (stop) return;
          setDetails(d);
          setNow(Date.now());
          if (d.run.status === 'running') timer = setTimeout(load, 1000);
        },
        (e: unknown) => !stop && setError(describeError(e)),
      );
    void load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [runId]);

  if (error && !details) return <p role="alert">{error}</p>;
  if (!details) return <p>Loading run {runId}…</p>;
  const { run, nodes, datasets, metrics } = details;
  const failed = nodes.find((n) => n.status === 'failed');
  const shown = nodes.find((n) => n.node === (node ?? failed?.node)) ?? null;

  const act = async (fn: () => Promise<{ run: { id: string } }>) => {
    setBusy(true);
    setError(null);
    try {
      const { run: next } = await fn();
      if (next.id !== run.id) onRun(next.id);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article data-testid="run-detail" data-status={run.status} className="flex max-w-6xl flex-col gap-4">
      <header className="flex flex-wrap items-baseline gap-3">
        <h2 className="text-lg font-semibold">
          {run.pipeline} <span className="font-mono text-sm" style={{ color: 'var(--muted)' }}>{run.id}</span>
        </h2>
        <strong data-testid="run-detail-status" style={{ color: RUN_STATUS_COLOUR[run.status] }}>
          {run.status}
        </strong>
        <span style={{ color: 'var(--muted)' }}>
          {new Date(run.startedAt).toLocaleString()} · {formatDuration(run.durationMs ?? now - Date.parse(run.startedAt))} · {run.startedBy}
          {run.user ? ` ${run.user}` : ''} · {run.runner ?? 'sequential'} runner{run.gitCommit ? ` · git ${run.gitCommit.slice(0, 10)}` : ''}
        </span>
        {run.rerunOf && (
          <button type="button" className="underline" style={{ color: 'var(--accent)' }} onClick={() => onRun(run.rerunOf!)}>
            re-run of {run.rerunOf}
          </button>
        )}
      </header>
      <p data-testid="run-detail-options" className="font-mono text-xs">
        {runLine(run)}
      </p>
      {run.error && <p style={{ color: RUN_STATUS_COLOUR.failed }}>{run.error}</p>}
      <div className="flex flex-wrap gap-2">
        {!running && (
          <button type="button" data-testid="run-detail-rerun" className="rounded border px-3 py-1 disabled:opacity-50" style={button} disabled={busy} onClick={() => act(() => rerun(run.id, 'start'))} title="Same pipeline, params, env and selection">
            ↻ Re-run
          </button>
        )}
        {!running && failed && (
          <button type="button" data-testid="run-detail-rerun-failed" className="rounded border px-3 py-1 font-semibold text-white disabled:opacity-50" style={{ background: 'var(--accent)' }} disabled={busy} onClick={() => act(() => rerun(run.id, 'failed'))}>
            ↻ Re-run from the failed node
          </button>
        )}
        {!running && failed && (
          <span className="self-center text-xs" style={{ color: 'var(--muted)' }}>
            (--from-nodes {failed.resumeFrom?.join(',') ?? failed.node}, same params, env and selection)
          </span>
        )}
        {running && run.startedBy === 'dashboard' && (
          <button type="button" data-testid="run-detail-cancel" className="rounded border px-3 py-1 disabled:opacity-50" style={button} disabled={busy} onClick={() => act(() => cancelRun(run.id))}>
            ■ Cancel
          </button>
        )}
      </div>
      {error && (
        <p role="alert" data-testid="run-detail-error" style={{ color: RUN_STATUS_COLOUR.failed }}>
          {error}
        </p>
      )}
      <RunTimeline run={run} nodes={nodes} now={now} selected={shown?.node ?? null} onNode={onNode} />
      {shown ? (
        <section data-testid="run-node" data-node={shown.node} className="flex flex-col gap-2 rounded border p-3 text-xs" style={{ borderColor: 'var(--border)' }}>
          <h3 className="flex items-baseline gap-2 text-sm">
            <span className="font-mono font-semibold">{shown.node}</span>
            <span style={{ color: RUN_STATUS_COLOUR[shown.status] }}>{shown.status.replace('_', ' ')}</span>
            <span style={{ color: 'var(--muted)' }}>{formatDuration(shown.durationMs)}</span>
            <button type="button" className="ml-auto underline" onClick={() => onNode(null)}>
              close
            </button>
          </h3>
          {shown.error && (
            <pre data-testid="node-run-error" className="m-0 whitespace-pre-wrap" style={{ color: RUN_STATUS_COLOUR.failed }}>
              {shown.error.code}: {shown.error.message}
            </pre>
          )}
          {shown.traceback && <TracebackView text={shown.traceback} />}
          {shown.resumeCommand && <code className="select-all break-all">{shown.resumeCommand}</code>}
          <NodeLogs runId={run.id} node={shown.node} live={shown.status === 'running'} />
          <NodeDurations name={shown.node} />
        </section>
      ) : (
        <NodeLogs runId={run.id} live={running} />
      )}
      {metrics.length > 0 && (
        <section className="text-xs">
          <h3 className="mb-1 font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
            Metrics
          </h3>
          <table data-testid="run-metrics" className="run-table border-collapse">
            <tbody>
              {metrics.map((m) => (
                <tr key={`${m.node}/${m.name}`}>
                  <td className="pr-3 font-mono">{m.node}</td>
                  <td className="pr-3">{m.name}</td>
                  <td className="text-right tabular-nums">{m.value.toLocaleString('en', { maximumFractionDigits: 4 })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {datasets.length > 0 && (
        <section className="text-xs">
          <h3 className="mb-1 font-semibold uppercase tracking-wide" style={{ color: 'var(--muted)' }}>
            Datasets saved
          </h3>
          <table data-testid="run-datasets" className="run-table border-collapse">
            <tbody>
              {datasets.map((d) => (
                <tr key={d.dataset}>
                  <td className="pr-3 font-mono">{d.dataset}</td>
                  <td className="pr-3 text-right tabular-nums">{d.rows === null ? '' : `${d.rows.toLocaleString('en')} rows`}</td>
                  <td className="text-right tabular-nums">{d.sizeBytes === null ? 'memory' : formatBytes(d.sizeBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </article>
  );
}
