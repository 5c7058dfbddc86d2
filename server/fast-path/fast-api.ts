import type http from 'node:http';
import type { VizServiceApi } from '../../lib/services';
import { acceptsGzip, GzippedBytes, gzipEtag, matchesEtag, SerialisedBodies, type CachedBody } from './cached-json';
import { loopStats } from './loop-stats';

type Next = () => void;
type Answer = { kind: 'json'; value: object } | { kind: 'binary'; bytes: ArrayBufferView };
type Route = (service: VizServiceApi, parts: string[], query: URLSearchParams) => Promise<Answer> | null;

const json = (p: Promise<object>): Promise<Answer> => p.then((value) => ({ kind: 'json', value }));
/** `?ls=` as the route handlers read it: absent, or a non-negative integer; anything else is theirs to refuse. */
function lsOf(query: URLSearchParams, required: boolean): number | undefined | null {
  const text = query.get('ls');
  if (text === null || text === '') return required ? 0 : undefined;
  const ls = Number(text);
  return Number.isInteger(ls) && ls >= 0 ? ls : null;
}
const pipelineOf = (query: URLSearchParams) => query.get('pipeline') ?? undefined;

/** The hot, read-only GET routes; their paths and answers are those of app/api (same service calls). */
const ROUTES: Array<{ pattern: RegExp; answer: Route }> = [
  { pattern: /^\/api\/main$/, answer: (s) => json(s.main()) },
  // Asked by every page as it opens: answered here, the first view of a fresh server needs nothing from Next.
  { pattern: /^\/api\/info$/, answer: (s) => json(Promise.resolve(s.info())) },
  { pattern: /^\/api\/pipelines\/([^/]+)$/, answer: (s, [id]) => json(s.pipeline(decodeURIComponent(id!))) },
  {
    pattern: /^\/api\/nodes\/([^/]+)$/,
    answer: (s, [id], q) => {
      const ls = lsOf(q, false);
      return ls === null ? null : json(s.node(decodeURIComponent(id!), { pipeline: pipelineOf(q), ls }));
    },
  },
  {
    pattern: /^\/api\/nodes\/([^/]+)\/map$/,
    answer: (s, [id], q) => {
      const ls = lsOf(q, true);
      return ls == null ? null : s.lsMap(decodeURIComponent(id!), { pipeline: pipelineOf(q), ls }).then((bytes): Answer => ({ kind: 'binary', bytes }));
    },
  },
];

/**
 * Answers the dashboard's hot GET routes (the graph, node details with previews, LS maps)
 * in the server itself, before Next: Next's routing costs 10–15 ms a request on this machine,
 * more than the answer. JSON bodies are serialised once per project state (SerialisedBodies)
 * with an ETag; a matching If-None-Match gets 304 and no body. Anything else — other routes,
 * other methods, a bad query, an error — goes on to Next's route handlers (`next`), which keep
 * the one error-to-response path. Runs after the security guard (token, Host, origin).
 */
export function makeFastApi(service: () => Promise<VizServiceApi> | undefined): (req: http.IncomingMessage, res: http.ServerResponse, next: Next) => void {
  const bodies = new SerialisedBodies();
  const maps = new GzippedBytes();
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    if (pathname === '/api/server-stats') return void sendJson(req, res, loopStats(url.includes('reset=1')), 'no-store');
    const pending = service();
    if (!pending || !pathname.startsWith('/api/')) return next();
    for (const route of ROUTES) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      const answering: Promise<Answer> = pending.then((s) => route.answer(s, m.slice(1), query) ?? Promise.reject(new Error('not ours')));
      // The answer is ready (serialised too) before anything is written: a failure up to there goes to Next, none after.
      answering
        .then((a): Promise<() => void> | (() => void) => (a.kind === 'json' ? bodies.of(a.value).then((cached) => () => sendCached(req, res, cached)) : () => sendBinary(req, res, a.bytes, maps)))
        .then((send) => send(), () => next());
      return;
    }
    next();
  };
}

function sendCached(req: http.IncomingMessage, res: http.ServerResponse, cached: CachedBody): void {
  const zipped = cached.gzip && acceptsGzip(req.headers['accept-encoding']) ? cached.gzip : undefined;
  const etag = zipped ? gzipEtag(cached.etag) : cached.etag;
  // no-cache: the browser keeps the body and asks again each time with If-None-Match.
  const headers: http.OutgoingHttpHeaders = { etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
  if (matchesEtag(req.headers['if-none-match'], cached.etag, gzipEtag(cached.etag))) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = zipped ?? cached.body;
  res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': body.length, ...(zipped ? { 'content-encoding': 'gzip' } : {}) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendJson(req: http.IncomingMessage, res: http.ServerResponse, value: unknown, cacheControl: string): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': cacheControl });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendBinary(req: http.IncomingMessage, res: http.ServerResponse, bytes: ArrayBufferView, maps: GzippedBytes): void {
  // A view into the decoded set, written as is (no copy); for clients that take gzip, its gzip made once per map (GzippedBytes).
  const zipped = acceptsGzip(req.headers['accept-encoding']) ? maps.of(bytes) : undefined;
  const body = zipped ?? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength, 'cache-control': 'no-store', vary: 'accept-encoding', ...(zipped ? { 'content-encoding': 'gzip' } : {}) });
  res.end(req.method === 'HEAD' ? undefined : body);
}
