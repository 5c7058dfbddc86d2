import type { ComparedValue, RunComparison, RunDetails } from '../services';

/** Two recorded runs side by side: parameters, run fields, nodes, datasets and metrics, each over the union of both. */
export function compareRuns(a: RunDetails, b: RunDetails): RunComparison {
  const pa = flatten(a.run.params);
  const pb = flatten(b.run.params);
  const params = union(Object.keys(pa), Object.keys(pb))
    .sort()
    .map((key) => ({ key, a: key in pa ? pa[key] : null, b: key in pb ? pb[key] : null, changed: JSON.stringify(pa[key]) !== JSON.stringify(pb[key]) }));
  const field = (key: string, va: string | null, vb: string | null) => ({ key, a: va, b: vb, changed: va !== vb });
  const selection = (d: RunDetails) => (Object.keys(d.run.selection).length ? JSON.stringify(d.run.selection) : 'whole pipeline');
  const fields = [
    field('pipeline', a.run.pipeline, b.run.pipeline),
    field('env', a.run.env, b.run.env),
    field('git commit', a.run.gitCommit, b.run.gitCommit),
    field('selection', selection(a), selection(b)),
    field('runner', a.run.runner, b.run.runner),
    field('status', a.run.status, b.run.status),
    field('started by', `${a.run.startedBy}${a.run.user ? ` ${a.run.user}` : ''}`, `${b.run.startedBy}${b.run.user ? ` ${b.run.user}` : ''}`),
    field('started at', a.run.startedAt, b.run.startedAt),
    field('duration ms', a.run.durationMs === null ? null : String(Math.round(a.run.durationMs)), b.run.durationMs === null ? null : String(Math.round(b.run.durationMs))),
  ];
  return {
    a: a.run,
    b: b.run,
    params,
    fields,
    nodes: side(a.nodes, b.nodes, (n) => n.node, (n) => ({ status: n.status, durationMs: n.durationMs })),
    datasets: side(a.datasets, b.datasets, (d) => d.dataset, (d) => ({ rows: d.rows, sizeBytes: d.sizeBytes })),
    metrics: side(a.metrics, b.metrics, (m) => `${m.node}/${m.name}`, (m) => m.value).map((m) => {
      const at = m.key.lastIndexOf('/');
      return { ...m, node: m.key.slice(0, at), name: m.key.slice(at + 1) };
    }),
  };
}

/** Rows keyed by `key` from both lists, in a's order then b's extras. */
function side<T, V>(a: readonly T[], b: readonly T[], key: (x: T) => string, value: (x: T) => V): Array<ComparedValue<V>> {
  const ma = new Map(a.map((x) => [key(x), value(x)]));
  const mb = new Map(b.map((x) => [key(x), value(x)]));
  return union([...ma.keys()], [...mb.keys()]).map((k) => ({ key: k, a: ma.get(k) ?? null, b: mb.get(k) ?? null }));
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** `{a: {b: 1}}` -> `{'a.b': 1}`; arrays are values. */
function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}
