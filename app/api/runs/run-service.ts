import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRunService, setRunService, type RunServiceApi } from '../../../lib/runs/registry';
import { getVizService } from '../../../lib/viz/registry';
import { errorResponse } from '../respond';

/**
 * Calls `fn` with the project's run manager (registered by `dqm viz`) and turns thrown errors
 * into `{error: {code, message}}` with their status (400 bad request, 404, 409 conflict).
 */
export async function withRuns(fn: (runs: RunServiceApi) => Promise<Response> | Response): Promise<Response> {
  let runs: RunServiceApi;
  try {
    const pending = getRunService() ?? (await registerFallback());
    if (pending instanceof Response) return pending;
    runs = await pending;
  } catch (error) {
    setRunService(undefined);
    return errorResponse(503, 'RUNS_UNAVAILABLE', `Cannot start the run manager: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await fn(runs);
  } catch (error) {
    return errorFrom(error);
  }
}

export function errorFrom(error: unknown): Response {
  const e = error as { code?: unknown; httpStatus?: unknown; message?: unknown };
  const status = typeof e.httpStatus === 'number' ? e.httpStatus : 500;
  return errorResponse(status, typeof e.code === 'string' ? e.code : 'INTERNAL_ERROR', typeof e.message === 'string' ? e.message : String(error));
}

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * When `dqm viz` did not register a run manager, create one for the served project. The run
 * module is imported natively (tsx's loader is active in the `dqm viz` process), not bundled:
 * it forks child processes from its own file and uses a native SQLite addon.
 */
async function registerFallback(): Promise<Promise<RunServiceApi> | Response> {
  const viz = getVizService();
  if (!viz) return errorResponse(503, 'NOT_STARTED', 'The dashboard API runs inside `dqm viz`; start it with `npx dqm viz`');
  const info = (await viz).info();
  if (info.mode !== 'project') return errorResponse(400, 'NO_PROJECT', 'Runs need a project: this dashboard serves a saved graph file (--load-file)');
  const again = getRunService();
  if (again) return again;
  const pending = importRuns().then((runs) => runs.registerRunManager({ root: info.source }));
  setRunService(pending);
  return pending;
}

async function importRuns(): Promise<typeof import('../../../lib/runs')> {
  const bin = process.argv[1] ? fs.realpathSync(process.argv[1]) : '';
  const appDir = process.env.DQM_APP_DIR ?? path.resolve(path.dirname(bin), '..');
  const entry = path.join(appDir, 'lib', 'runs', 'index.ts');
  if (!fs.existsSync(entry)) throw new Error(`${entry} not found (set DQM_APP_DIR to the dqm installation)`);
  return import(/* turbopackIgnore: true */ /* webpackIgnore: true */ pathToFileURL(entry).href);
}
