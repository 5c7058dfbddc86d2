import type { Node, Pipeline } from '../pipeline';
import { RunnerError } from './errors';

/**
 * Kedro's hook specs, as optional async methods. Register them in `pipelines/settings.ts`
 * (`export const hooks: Hooks[] = [...]`). A hook that throws fails the run.
 */
export interface Hooks {
  beforePipelineRun?(ctx: { runId: string; pipeline: Pipeline; pipelineName: string }): void | Promise<void>;
  afterPipelineRun?(ctx: { runId: string; pipeline: Pipeline; pipelineName: string; outputs: Record<string, unknown> }): void | Promise<void>;
  onPipelineError?(ctx: { runId: string; pipeline: Pipeline; pipelineName: string; error: Error }): void | Promise<void>;
  beforeNodeRun?(ctx: { runId: string; node: Node; inputs: Record<string, unknown> }): void | Promise<void>;
  afterNodeRun?(ctx: { runId: string; node: Node; inputs: Record<string, unknown>; outputs: Record<string, unknown> }): void | Promise<void>;
  onNodeError?(ctx: { runId: string; node: Node; inputs: Record<string, unknown>; error: Error }): void | Promise<void>;
  afterDatasetLoaded?(ctx: { dataset: string; data: unknown; node: Node }): void | Promise<void>;
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
