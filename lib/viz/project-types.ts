import type { Pipeline } from '../pipeline';

/**
 * What the dashboard needs from a loaded project, structurally: `Project`
 * (lib/session) satisfies it, and tests build one from a plain object.
 */
export interface VizProject {
  root: string;
  env?: string;
  parameters: Record<string, unknown>;
  pipelines: Record<string, Pipeline>;
  config?: { catalog?: Record<string, unknown> };
  createCatalog?: (opts?: never) => VizCatalog | Promise<VizCatalog>;
}

/** The slice of lib/io's DataCatalog used for details and previews. */
export interface VizCatalog {
  has(name: string): boolean;
  load(name: string): Promise<unknown>;
  exists?(name: string): Promise<boolean>;
  describe?(name: string): Record<string, unknown>;
  getDataset?(name: string): { filepath?: string; persisted?: boolean; describe(): Record<string, unknown> };
}
