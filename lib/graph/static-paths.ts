/**
 * Where `dqm viz build` writes each API answer, and where the static page reads it: one pure
 * mapping, shared by the builder and the browser, so the two never disagree.
 */

/** A file-name-safe key for an id (`params:a.b` -> `params~3Aa.b`); never `.`, `..` or a path. */
export function fileKey(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_.-]/g, (c) => `~${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return safe.startsWith('.') ? `~2E${safe.slice(1)}` : safe || '~';
}

/** The static file for an API path and query, or null when the static site has no such answer (SSE). */
export function staticFile(pathname: string, query: URLSearchParams = new URLSearchParams()): string | null {
  const parts = pathname.replace(/^\/+/, '').split('/').map((p) => decodeURIComponent(p));
  if (parts[0] !== 'api') return null;
  const [, what, a, b] = parts;
  const pipeline = fileKey(query.get('pipeline') || '__selected__');
  switch (what) {
    case 'main':
    case 'info':
      return `api/${what}.json`;
    case 'pipelines':
      return a ? `api/pipelines/${fileKey(a)}.json` : null;
    case 'nodes':
      if (!a) return null;
      // A dataset's maps are the same in every pipeline: written once.
      if (b === 'map') return `api/maps/${fileKey(a)}.ls${Number(query.get('ls') ?? 0) || 0}.f32`;
      return `api/nodes/${pipeline}/${fileKey(a)}.json`;
    case 'runs':
      if (!a) return 'api/runs.json';
      return b === 'events' ? `api/runs/${fileKey(a)}.events.json` : b ? null : `api/runs/${fileKey(a)}.json`;
    case 'plots':
      if (a === 'summary') return 'api/plots/summary.json';
      if (a === 'series') return `api/plots/series/${fileKey(query.get('layer') ?? '')}/${fileKey(query.get('variable') ?? '')}.json`;
      if (a === 'correlation') return `api/plots/correlation/${fileKey(query.get('layer') ?? '')}/${fileKey(query.get('x') ?? '')}/${fileKey(query.get('y') ?? '')}.json`;
      if (a === 'ls') return `api/plots/ls/${fileKey(query.get('layer') ?? '')}/${fileKey(query.get('run') ?? '')}/${fileKey(query.get('lumi') ?? '')}.json`;
      return null;
    default:
      return null;
  }
}
