import type { GraphJson, NodeDetails, PlotsServiceApi } from '../graph';

/** Pushed to open pages over Server-Sent Events. */
export type VizEvent = { type: 'reload'; version: number; at: string } | { type: 'reload_failed'; message: string; at: string };

export interface VizInfo {
  mode: 'project' | 'file';
  /** Project root or graph file. */
  source: string;
  autoreload: boolean;
  version: number;
}

/** What route handlers call. Implemented by VizService, which lives in the `dqm viz` process. */
export interface VizServiceApi {
  main(): Promise<GraphJson>;
  pipeline(id: string): Promise<GraphJson>;
  node(id: string, opts?: { pipeline?: string; ls?: number }): Promise<NodeDetails>;
  /** One LS map of a histogram dataset as raw float32 (ny × nx). */
  lsMap(id: string, opts: { pipeline?: string; ls: number }): Promise<Float32Array>;
  info(): VizInfo;
  subscribe(listener: (e: VizEvent) => void): () => void;
  /** The DQM plots page's data (lib/viz/plots). */
  plots(): PlotsServiceApi;
}

// One registry per process, on globalThis: Next bundles route handlers separately from the
// `dqm viz` modules, so a module-level variable would not be shared; a global symbol is.
const KEY = Symbol.for('dqm.viz');

/**
 * Registers the service, or a promise of it: `dqm viz` loads the project while Next prepares,
 * and a request that arrives in between waits for the project instead of failing.
 */
export function setVizService(service: VizServiceApi | Promise<VizServiceApi> | undefined): void {
  (globalThis as Record<symbol, unknown>)[KEY] = service === undefined ? undefined : Promise.resolve(service);
}

export function getVizService(): Promise<VizServiceApi> | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as Promise<VizServiceApi> | undefined;
}
