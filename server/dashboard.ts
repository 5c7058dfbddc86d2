import type { Project } from '../lib/session';
import { registerRunManager, type RunManager } from '../lib/runs';
import { getVizService, setRunService, setVizService } from '../lib/services';
import { makeFastApi, makePrerenderedPages, makeStaticAssets, timeAnswer, watchEventLoop } from './fast-path';
import { VizService } from '../lib/viz';
import { startServer, type StartOptions } from './start';
import { watchFolders } from './watch';

export interface DashboardOptions extends Pick<StartOptions, 'dir' | 'host' | 'port' | 'security' | 'basePath'> {
  /** The project folder: its pipelines, conf and run store. */
  root: string;
  /** Config environment of the project and of the runs started from the page. */
  env: string;
  /** Loads the project; `fresh` re-imports its code (each --autoreload reload). */
  loadProject: (fresh: boolean) => Promise<Project>;
  /** Serve this saved graph (ours or a Kedro-Viz export) instead of the project: no runs. */
  loadFile?: string;
  /** Warm this pipeline's graph before the first request. */
  pipeline?: string;
  /** Reload when pipelines/ or conf/ change; `onChange` hears of each change. */
  autoreload?: { onChange: (file: string) => void };
}

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

/**
 * `dqm viz`'s server, wired: the VizService (the project's graph, or a saved graph file) and the
 * RunManager are registered for the route handlers BEFORE the port is listened on, so no request
 * can find them missing; then Next starts, and file watching with --autoreload.
 */
export async function startDashboard(opts: DashboardOptions): Promise<RunningDashboard> {
  let loads = 0;
  // The project as last (re)loaded: the run manager judges staleness against it.
  let project: Project | undefined;
  const load = async () => (project = await opts.loadProject(loads++ > 0));
  const opening = VizService.open(opts.loadFile ? { kind: 'file', path: opts.loadFile } : { kind: 'project', root: opts.root, load });
  // The project loads while Next prepares; a request in between waits for it.
  setVizService(opening);
  opening.catch(() => undefined);
  const runs: RunManager | undefined = opts.loadFile ? undefined : registerRunManager({ root: opts.root, env: opts.env, project: () => opening.then(() => project) });
  const unregister = () => {
    setVizService(undefined);
    setRunService(undefined);
  };
  watchEventLoop();
  const [service, server] = await Promise.all([opening, startServer({ ...opts, before: fastPaths(opts.dir), nextAfter: opening })]).catch(async (error: unknown) => {
    unregister();
    await runs?.close();
    throw error;
  });
  if (opts.pipeline) await service.pipeline(opts.pipeline);
  let stopWatching = () => {};
  if (opts.autoreload && !opts.loadFile) {
    const { onChange } = opts.autoreload;
    service.autoreload = true;
    stopWatching = watchFolders(opts.root, ['pipelines', 'conf'], (file) => {
      onChange(file);
      void service.reload();
    });
  }
  return {
    url: server.url,
    close: async () => {
      stopWatching();
      await Promise.all([runs?.close(), server.close()]);
      unregister();
    },
  };
}

/** The fast routes, all in one place (server/fast-path): prerendered pages, build assets, the hot API routes; the rest goes on to Next. */
function fastPaths(dir: string): NonNullable<StartOptions['before']> {
  const pages = makePrerenderedPages(dir);
  const assets = makeStaticAssets(dir);
  const api = makeFastApi(getVizService);
  return (req, res, next, prefix) => {
    timeAnswer(res);
    if (!pages(req, res, prefix) && !assets(req, res)) api(req, res, next);
  };
}
