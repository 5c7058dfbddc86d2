import type { Node, Pipeline } from '../pipeline';
import type { NodeResult } from './result';

/**
 * The bookkeeping of one run, shared by the runner and its tasks: node statuses, datasets
 * saved, and how many unfinished consumers each dataset still has (to release memory early).
 */
export class RunState {
  readonly results = new Map<string, NodeResult>();
  readonly saved: string[] = [];
  private readonly pending = new Map<string, number>();
  private readonly keep: Set<string>;
  private started = 0;

  constructor(readonly pipeline: Pipeline) {
    for (const n of pipeline.nodes) {
      this.results.set(n.name, { name: n.name, status: 'not_run' });
      for (const d of n.inputs) this.pending.set(d, (this.pending.get(d) ?? 0) + 1);
    }
    // Inputs and outputs of the pipeline are never released: the caller owns them.
    this.keep = new Set([...pipeline.inputs(), ...pipeline.outputs()]);
  }

  get total(): number {
    return this.pipeline.nodes.length;
  }

  /** Marks a node started and returns its 1-based start index. */
  start(): number {
    return ++this.started;
  }

  /** Consumers of `dataset` that have not finished yet. */
  pendingConsumers(dataset: string): number {
    return this.pending.get(dataset) ?? 0;
  }

  /** Records a finished node; returns the datasets no remaining node reads (safe to release). */
  finish(node: Node, durationMs: number): string[] {
    this.results.set(node.name, { name: node.name, status: 'completed', durationMs });
    const release: string[] = [];
    for (const d of node.inputs) {
      const left = (this.pending.get(d) ?? 1) - 1;
      this.pending.set(d, left);
      if (left === 0 && !this.keep.has(d)) release.push(d);
    }
    return release;
  }

  fail(node: Node, durationMs: number, error: { code: string; message: string }): void {
    this.results.set(node.name, { name: node.name, status: 'failed', durationMs, error });
  }

  failedNodes(): string[] {
    return [...this.results.values()].filter((r) => r.status === 'failed').map((r) => r.name);
  }

  unfinishedNodes(): Node[] {
    return this.pipeline.nodes.filter((n) => this.results.get(n.name)!.status !== 'completed');
  }
}
