import type { RunEvent, RunResult } from '../lib/runner';
import { formatDuration, formatTable } from './shared';

interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
}

/**
 * Shows a run on the terminal. On a TTY: one line rewritten in place, `[i/N] node  12.3s`
 * (plus the node's own progress), refreshed while the node runs. Elsewhere (CI logs, pipes):
 * one plain line per node start and end. The summary table comes from `summary()`.
 */
export class RunReporter {
  private readonly running = new Map<string, { index: number; total: number; startedAt: number; progress?: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: Out = process.stdout) {}

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  readonly onEvent = (e: RunEvent): void => {
    switch (e.type) {
      case 'run_started':
        this.out.write(`Running pipeline '${e.pipeline}' (${e.nodes.length} node${e.nodes.length === 1 ? '' : 's'}, run ${e.runId})\n`);
        if (this.tty) this.timer = setInterval(() => this.redraw(), 100).unref();
        break;
      case 'node_started':
        this.running.set(e.node, { index: e.index, total: e.total, startedAt: Date.now() });
        if (this.tty) this.redraw();
        else this.out.write(`[${e.index}/${e.total}] ${e.node} started\n`);
        break;
      case 'progress': {
        const r = this.running.get(e.node);
        if (r) r.progress = `${e.done}/${e.total} ${e.unit}`;
        if (this.tty) this.redraw();
        break;
      }
      case 'node_finished': {
        const r = this.running.get(e.node);
        this.running.delete(e.node);
        if (this.tty) this.redraw();
        else this.out.write(`[${r?.index ?? '?'}/${r?.total ?? '?'}] ${e.node} completed in ${formatDuration(e.durationMs)}\n`);
        break;
      }
      case 'node_failed':
        this.running.delete(e.node);
        if (!this.tty) this.out.write(`${e.node} failed\n`);
        break;
      case 'dataset_saved':
        break;
      case 'run_finished':
        this.stop();
        break;
    }
  };

  /** The end-of-run table: node, status, duration, then totals. */
  summary(result: RunResult): string {
    const rows = result.nodes.map((n) => [n.name, n.status, formatDuration(n.durationMs)]);
    const done = result.nodes.filter((n) => n.status === 'completed').length;
    const skipped = result.nodes.filter((n) => n.status === 'skipped').length;
    const verdict = result.status === 'success' ? 'completed' : 'FAILED';
    const extra = skipped ? `, ${skipped} skipped` : '';
    return `${formatTable(['node', 'status', 'duration'], rows)}\n\nRun ${result.runId} ${verdict} in ${formatDuration(result.durationMs)}: ${done}/${result.nodes.length} nodes completed${extra}, ${result.datasetsSaved.length} datasets saved (${result.runner} runner)\n`;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) this.out.write('\r\x1b[2K');
  }

  private redraw(): void {
    const parts = [...this.running.entries()].map(([node, r]) => {
      const elapsed = formatDuration(Date.now() - r.startedAt);
      return `[${r.index}/${r.total}] ${node}  ${elapsed}${r.progress ? `  ${r.progress}` : ''}`;
    });
    const width = (process.stdout.columns ?? 100) - 1;
    this.out.write(`\r\x1b[2K${parts.join('  |  ').slice(0, width)}`);
  }
}
