import { DqmError, errorAnswer } from '../../lib/errors';
import { getRunService, getVizService, type RunServiceApi, type VizServiceApi } from '../../lib/services';

const NO_STORE = { 'cache-control': 'no-store' };

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

/** The one way a route answers a failure: `{error: {code, message}}` with the error's status. */
export function errorResponse(error: unknown): Response {
  const { status, body } = errorAnswer(error);
  return json(body, status);
}

/** Runs the route's work; whatever it throws becomes the error answer. */
export async function handle(fn: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    return errorResponse(error);
  }
}

/** The graph service `dqm viz` registered before it started listening. */
export async function vizService(): Promise<VizServiceApi> {
  const pending = getVizService();
  if (!pending) throw new DqmError('The dashboard API runs inside `dqm viz`; start it with `npx dqm viz`', { code: 'NOT_STARTED', httpStatus: 503 });
  return pending;
}

/** The run manager `dqm viz` registered before it started listening (none for a saved graph file). */
export async function runService(): Promise<RunServiceApi> {
  const runs = getRunService();
  if (runs) return runs;
  const viz = getVizService();
  if (viz && (await viz).info().mode === 'file') {
    throw new DqmError('Runs need a project: this dashboard serves a saved graph file (--load-file)', { code: 'NO_PROJECT', httpStatus: 400 });
  }
  throw new DqmError('The dashboard API runs inside `dqm viz`; start it with `npx dqm viz`', { code: 'NOT_STARTED', httpStatus: 503 });
}

/** The JSON of `fn(graph service)`. */
export function respond(fn: (service: VizServiceApi) => Promise<unknown>): Promise<Response> {
  return handle(async () => json(await fn(await vizService())));
}

/** `fn(run manager)`'s response. */
export function withRuns(fn: (runs: RunServiceApi) => Promise<Response> | Response): Promise<Response> {
  return handle(async () => fn(await runService()));
}
