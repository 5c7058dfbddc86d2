/**
 * What the dashboard's route handlers call, and where `dqm viz` puts it: the service interfaces
 * (implemented by lib/viz's VizService and lib/runs' RunManager), the run records they answer
 * with, and one process-wide slot per service. Pure types and two globalThis slots, so app/ can
 * import it without bundling the services themselves.
 */
export { getVizService, setVizService } from './viz-service';
export type { VizServiceApi, VizEvent, VizInfo } from './viz-service';
export { getRunService, setRunService } from './run-service';
export type { RunServiceApi } from './run-service';
export type * from './run-types';
