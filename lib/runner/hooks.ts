import type { ProjectConfig } from '../config';
import type { DataCatalog } from '../io';
import type { Node, Pipeline } from '../pipeline';
import { RunnerError } from './errors';

/** What `afterContextCreated` sees of the project (Kedro's KedroContext): change `config` here, e.g. add credentials. */
export interface HookContext {
  readonly root: string;
  readonly env: string;
  readonly config: ProjectConfig;
  readonly parameters: Record<string, unknown>;
}

/**
 * Kedro's 12 hook specs, as optional async methods. Register them in `pipelines/settings.ts`
 * (`export const hooks: Hooks[] = [...]`) or ship them in an installed package (its package.json
 * `"dqm": {"hooks": "./hooks.js"}`). A hook that throws fails the run.
 */
export interface Hooks {
  /** The project's config is loaded, before the registry (Kedro's after_context_created). */
  afterContextCreated?(ctx: { context: HookContext }): void | Promise<void>;
  /**
   * A catalog was built for a run, `dqm catalog` or `dqm repl`. Credentials are not passed
   * (Kedro passes conf_creds): a hook that logs its arguments must not leak them.
   */
  afterCatalogCreated?(ctx: {
    catalog: DataCatalog;
    confCatalog: Record<string, unknown>;
    parameters: Record<string, unknown>;
    saveVersion: string;
    loadVersions: Record<string, string>;
  }): void | Promise<void>;
  beforePipelineRun?(ctx: { runId: string; pipeline: Pipeline; pipelineName: string }): void | Promise<void>;
  afterPipelineRun?(ctx: { runId: string; pipeline: Pipeline; pipelineName: string; outputs: Record<string, unknown> }): void | Promise<void>;
  onPipelineError?(ctx: { runId: string; pipeline: Pipeline; pipelineName: string; error: Error }): void | Promise<void>;
  beforeNodeRun?(ctx: { runId: string; node: Node; inputs: Record<string, unknown>; isAsync: boolean }): void | Promise<void>;
  afterNodeRun?(ctx: { runId: string; node: Node; inputs: Record<string, unknown>; outputs: Record<string, unknown>; isAsync: boolean }): void | Promise<void>;
  onNodeError?(ctx: { runId: string; node: Node; inputs: Record<string, unknown>; error: Error; isAsync: boolean }): void | Promise<void>;
  beforeDatasetLoaded?(ctx: { dataset: string; node: Node }): void | Promise<void>;
  afterDatasetLoaded?(ctx: { dataset: string; data: unknown; node: Node }): void | Promise<void>;
  beforeDatasetSaved?(ctx: { dataset: string; data: unknown; node: Node }): void | Promise<void>;
  afterDatasetSaved?(ctx: { dataset: string; data: unknown; node: Node }): void | Promise<void>;
}

type HookName = keyof Hooks;
type HookArg<K extends HookName> = Parameters<NonNullable<Hooks[K]>>[0];

/** Calls hook `name` on every registered hooks object, in registration order. */
export async function callHooks<K extends HookName>(hooks: readonly Hooks[], name: K, arg: HookArg<K>): Promise<void> {
  for (const h of hooks) {
    const fn = h[name] as ((a: HookArg<K>) => void | Promise<void>) | undefined;
    if (!fn) continue;
    try {
      await fn.call(h, arg);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RunnerError(`Hook ${h.constructor?.name && h.constructor.name !== 'Object' ? `${h.constructor.name}.` : ''}${name} failed: ${message}`, { code: 'HOOK_ERROR', cause: error });
    }
  }
}
