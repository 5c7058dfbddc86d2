import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { VizError } from '../lib/viz';
import { forwardedPrefix, normaliseBasePath, stripPrefix } from './base-path';
import { makeGuard, type SecurityPolicy } from './security';
import { warmRoutes } from './warm-routes';

export interface StartOptions {
  /** The app folder (with `.next/`): the repository root. */
  dir: string;
  host: string;
  port: number;
  /** Token, Host and same-origin checks, applied before Next sees the request. */
  security?: Omit<SecurityPolicy, 'port' | 'boundHost'>;
  /** Served under this path prefix too (behind a proxy); X-Forwarded-Prefix overrides it per request. */
  basePath?: string;
  /**
   * Answers some requests itself after the guard (server/fast-path: the prerendered pages, build
   * assets, the cached hot API routes), before Next is loaded if need be; `next` hands one on to
   * Next. `prefix` is the path prefix the request came under ('/' when none), already stripped from its URL.
   */
  before?: (req: http.IncomingMessage, res: http.ServerResponse, next: () => void, prefix: string) => void;
  /**
   * Next is loaded once this settles: the project loads first, undisturbed (both are CPU work
   * on one thread), and `before` answers /api/main while Next still prepares.
   */
  nextAfter?: Promise<unknown>;
}

export interface RunningServer {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

/**
 * Next.js as a custom server inside the `dqm viz` process: the route handlers run in this
 * process and read the loaded project from the process-wide slots of lib/services, so the
 * user's pipelines are never bundled by Next. The port is bound first, so a taken port fails
 * in milliseconds with a clear message; we never hop to another port (an SSH tunnel points at one).
 */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const buildId = path.join(opts.dir, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) {
    throw new VizError(`The dashboard is not built (${path.relative(process.cwd(), buildId) || buildId} is missing). Run \`npm run build\` once, then \`dqm viz\` again`, { code: 'NOT_BUILT' });
  }
  // The request listener is attached before listening: a request that arrives while Next is
  // still loading waits for it instead of hanging without an answer.
  let handle: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | undefined;
  let resolveReady!: () => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined);
  let guard: ReturnType<typeof makeGuard> | undefined;
  const basePath = normaliseBasePath(opts.basePath);
  const server = http.createServer((req, res) => {
    // Behind a proxy: Next and the guard see the path without the prefix; pages get it back.
    const prefix = forwardedPrefix(req.headers['x-forwarded-prefix']) ?? basePath;
    if (prefix !== '/' && req.url) req.url = stripPrefix(req.url, prefix);
    if (guard) {
      const decision = guard(req);
      if (decision.action === 'respond') {
        const location = decision.headers.location;
        const headers = location?.startsWith('/') && prefix !== '/' ? { ...decision.headers, location: `${prefix}${location.slice(1)}` } : decision.headers;
        res.writeHead(decision.status, headers);
        res.end(req.method === 'HEAD' ? undefined : decision.body);
        return;
      }
    }
    const toNext = () =>
      ready.then(
        () => void handle!(req, res),
        (error: unknown) => {
          res.statusCode = 500;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ error: { code: 'SERVER_NOT_READY', message: String(error) } }));
        },
      );
    if (opts.before) opts.before(req, res, () => void toNext(), prefix);
    else void toNext();
  });
  await listen(server, opts.host, opts.port);
  // The real port (--port 0 picks one) names the token cookie.
  if (opts.security) guard = makeGuard({ ...opts.security, port: (server.address() as { port: number }).port, boundHost: opts.host });
  await opts.nextAfter?.catch(() => undefined);
  try {
    // next() (not NextServer alone): its router server also serves /_next/static and public/.
    // The standalone output of the Docker image ships this entry too (next/dist/server/next.js).
    // The build's own config, as Next's standalone server.js passes it: next() then skips
    // loading next.config.js (whose loader needs webpack, absent from the standalone image).
    const required = path.join(opts.dir, '.next', 'required-server-files.json');
    if (fs.existsSync(required) && !process.env.__NEXT_PRIVATE_STANDALONE_CONFIG) {
      process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(fs.readFileSync(required, 'utf8')).config);
    }
    const nextModule = await withoutSourceMaps(() => import('next') as unknown as Promise<{ default: NextFactory | { default: NextFactory } }>);
    const createNext: NextFactory = typeof nextModule.default === 'function' ? nextModule.default : nextModule.default.default;
    const app = createNext({ dev: false, dir: opts.dir, hostname: opts.host, port: opts.port, quiet: true });
    await withoutSourceMaps(() => quietly(() => app.prepare()));
    handle = app.getRequestHandler();
    resolveReady();
    // Not awaited: `dqm viz` is ready now; the run routes load in the background (warm-routes.ts).
    const port = (server.address() as { port: number }).port;
    const selfHost = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host === '::' ? '[::1]' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    void warmRoutes(`http://${selfHost}:${port}`, opts.security?.token);
  } catch (error) {
    rejectReady(error);
    server.close();
    throw error;
  }
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  return {
    url: `http://${shownHost}:${(server.address() as { port: number }).port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * tsx turns Node's source maps on (for the project's TypeScript stack traces); Node then reads
 * and parses the .map file of every compiled Next module it loads: 15–20% of Next's start-up
 * here. Next's own frames need no mapping, so maps are off while it loads, on again after.
 */
async function withoutSourceMaps<T>(fn: () => Promise<T>): Promise<T> {
  const was = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return await fn();
  } finally {
    process.setSourceMapsEnabled(was);
  }
}

/**
 * Next's router prints `✓ Running next.config took N ms` even when quiet (its loadConfig is
 * called with silent: false); that line means nothing to a `dqm viz` user, so it is dropped.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (args.some((a) => typeof a === 'string' && /Running next\.config/.test(a))) return;
    log(...args);
  };
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

type NextFactory = (opts: { dev: boolean; dir: string; hostname: string; port: number; quiet?: boolean }) => {
  prepare(): Promise<void>;
  getRequestHandler(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
};

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new VizError(`Port ${port} is already in use on ${host}. Stop the other process or pass --port N`, { code: 'PORT_IN_USE', cause: error }));
      } else if (error.code === 'EACCES') {
        reject(new VizError(`Not allowed to listen on ${host}:${port} (ports below 1024 need root). Pass --port N with N >= 1024`, { code: 'PORT_DENIED', cause: error }));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new VizError(`Cannot listen on host '${host}': no such local address. Use --host 127.0.0.1 (default) or 0.0.0.0`, { code: 'BAD_HOST', cause: error }));
      } else {
        reject(new VizError(`Cannot listen on ${host}:${port}: ${error.message}`, { code: 'LISTEN_FAILED', cause: error }));
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
