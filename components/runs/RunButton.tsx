'use client';

import { useMemo, useState, type FormEvent } from 'react';
import { useViz } from '../store';
import { cancelRun, listRuns, startRun } from './runs-api';
import { useRuns } from './runs-store';
import { describeError } from '../api';
import { DEFAULT_PIPELINE } from '../../lib/graph';
import { isStatic } from '../base-url';
import { useRunDraft } from './useRunDraft';

const field = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' } as const;
const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** The Run button and its options (pipeline, env, params, tags, nodes); Cancel while a run runs. */
export function RunButton() {
  const graph = useViz((s) => s.graph);
  const currentPipeline = useViz((s) => s.pipeline);
  const shownRunId = useRuns((s) => s.shownRunId);
  const shownStatus = useRuns((s) => s.shownStatus);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ pipeline: '', env: '', params: '', tags: '', nodes: '', fromNodes: '', toNodes: '' });
  const taskNames = useMemo(() => (graph ? graph.nodes.filter((n) => n.type === 'task').map((n) => n.name).sort() : []), [graph]);
  const running = shownRunId !== null && shownStatus === 'running';
  // A slice's "Run…" (or the first-use button) opens this form pre-filled.
  useRunDraft((draft) => {
    setForm((f) => ({ ...f, pipeline: draft.pipeline ?? '', nodes: '', fromNodes: draft.fromNodes.join(','), toNodes: draft.toNodes.join(',') }));
    setOpen(true);
  });

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pipeline = form.pipeline || currentPipeline || DEFAULT_PIPELINE;
      const { run } = await startRun({
        pipeline,
        env: form.env || undefined,
        params: form.params || undefined,
        tags: list(form.tags),
        nodes: list(form.nodes),
        fromNodes: list(form.fromNodes),
        toNodes: list(form.toNodes),
      });
      useRuns.getState().set({ shownRunId: run.id, shownStatus: 'running' });
      // Show the pipeline that runs, so every node of the run is on the graph.
      if (pipeline !== (currentPipeline ?? DEFAULT_PIPELINE)) useViz.getState().set({ pipeline: pipeline === DEFAULT_PIPELINE ? null : pipeline });
      setOpen(false);
      void listRuns().then((r) => useRuns.getState().set({ runs: r.runs }), () => undefined);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!shownRunId) return;
    setBusy(true);
    try {
      await cancelRun(shownRunId);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const input = (key: keyof typeof form, label: string, placeholder: string, listId?: string) => (
    <label className="flex flex-col gap-0.5">
      <span className="text-xs" style={{ color: 'var(--muted)' }}>
        {label}
      </span>
      <input data-testid={`run-${key}`} className="rounded border px-2 py-1" style={field} value={form[key]} placeholder={placeholder} list={listId} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </label>
  );

  if (isStatic()) return null;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex gap-2">
        <button type="button" data-testid="run-open" className="flex-1 rounded px-3 py-1.5 font-semibold text-white disabled:opacity-50" style={{ background: 'var(--accent)' }} disabled={busy} onClick={() => setOpen(!open)}>
          ▶ Run…
        </button>
        {running && (
          <button type="button" data-testid="run-cancel" className="rounded border px-3 py-1.5 disabled:opacity-50" style={field} disabled={busy} onClick={cancel}>
            ■ Cancel
          </button>
        )}
      </div>
      {open && (
        <form data-testid="run-form" className="flex flex-col gap-2 rounded border p-2" style={field} onSubmit={submit}>
          <label className="flex flex-col gap-0.5">
            <span className="text-xs" style={{ color: 'var(--muted)' }}>
              Pipeline
            </span>
            <select data-testid="run-pipeline" className="rounded border px-2 py-1" style={field} value={form.pipeline || currentPipeline || DEFAULT_PIPELINE} onChange={(e) => setForm({ ...form, pipeline: e.target.value })}>
              {(graph?.pipelines ?? [{ id: DEFAULT_PIPELINE, name: DEFAULT_PIPELINE }]).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          {input('env', 'Environment', 'local')}
          {input('params', 'Parameters', 'key=value,other.key=1')}
          {input('tags', 'Tags', graph?.tags.map((t) => t.name).slice(0, 3).join(',') || 'tag1,tag2')}
          {input('nodes', 'Only nodes', 'node_a,node_b', 'run-task-names')}
          {input('fromNodes', 'From nodes', 'node_a', 'run-task-names')}
          {input('toNodes', 'To nodes', 'node_b', 'run-task-names')}
          <datalist id="run-task-names">
            {taskNames.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <button type="submit" data-testid="run-submit" className="rounded px-3 py-1.5 font-semibold text-white disabled:opacity-50" style={{ background: 'var(--accent)' }} disabled={busy}>
            {busy ? 'Starting…' : 'Start run'}
          </button>
        </form>
      )}
      {error && (
        <p role="alert" data-testid="run-error" className="rounded border px-2 py-1 text-xs" style={{ borderColor: '#dc2626', color: '#dc2626' }}>
          {error}
        </p>
      )}
    </div>
  );
}
