/** The runs page's view, all of it in the URL: `?run=ID&node=N`, `?compare=A,B`, `?view=layers`. */
export type RunsPageView =
  | { kind: 'run'; runId: string; node: string | null }
  | { kind: 'compare'; a: string | null; b: string | null }
  | { kind: 'layers'; pipeline: string | null }
  | { kind: 'none' };

export function parseRunsPageView(search: string): RunsPageView {
  const q = new URLSearchParams(search);
  const compare = q.get('compare');
  if (compare !== null) {
    const [a, b] = compare.split(',').map((s) => s.trim() || null);
    return { kind: 'compare', a: a ?? null, b: b ?? null };
  }
  if (q.get('view') === 'layers') return { kind: 'layers', pipeline: q.get('pipeline') || null };
  const run = q.get('run');
  if (run) return { kind: 'run', runId: run, node: q.get('node') || null };
  return { kind: 'none' };
}

export function serializeRunsPageView(v: RunsPageView): string {
  const q = new URLSearchParams();
  if (v.kind === 'run') {
    q.set('run', v.runId);
    if (v.node) q.set('node', v.node);
  } else if (v.kind === 'compare') q.set('compare', [v.a ?? '', v.b ?? ''].join(','));
  else if (v.kind === 'layers') {
    q.set('view', 'layers');
    if (v.pipeline) q.set('pipeline', v.pipeline);
  }
  const s = q.toString().replace(/%2C/g, ',');
  return s ? `?${s}` : '';
}
