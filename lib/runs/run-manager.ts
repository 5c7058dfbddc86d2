import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DqmError } from '../errors';
import { FRAMEWORK_DIST } from '../session';
import { newRunId } from '../runner';
import type { ChildMessage, ParentMessage, RunJob } from './child-messages.types';
import { compareRuns } from './compare';
import { RunRequestError } from './errors';
import { datasetFreshness, type FreshnessProject } from './freshness';
import { partitionMatrix } from './partition-matrix';
import { isProcessAlive } from './process-info';
import { RunFollower, type RunListener } from './run-follower';
import { parseRunRequest, rerunRequest, type RunRequest } from './run-request';
import { RunStore } from './run-store';
import { setRunService, type DatasetFreshness, type LogLine, type NodeDurationPoint, type PartitionMatrix, type RunComparison, type RunDetails, type RunRecord } from '../services';

export type { RunListener } from './run-follower';

export interface RunManagerOptions {
  /** Project root: where `conf/`, `pipelines/` and `.dqm/runs.sqlite` are. */
  root: string;
  /** Default config environment of runs that do not name one. */
  env?: string;
  /** SIGTERM, then SIGKILL after this many ms (default 5000). */
  killGraceMs?: number;
  /** Time allowed for the run process to load the project and check the request (default 120 s). */
  startTimeoutMs?: number;
  /** How often followed runs are read from the store (default 150 ms). */
  pollMs?: number;
  /** The project the dashboard has loaded (freshness, the run x layer view). */
  project?: () => Promise<FreshnessProject | undefined>;
  /** How much lower than the server's the run process's CPU priority is (nice increment, default 10; 0: the same). */
  runNice?: number;
}

// The compiled CLI forks the compiled run process (source maps on, for the project's bundled
// code); from the sources, the TypeScript one through tsx, resolved from here, not from the
// project: a user's project need not depend on tsx.
const CHILD_ENTRY = fileURLToPath(FRAMEWORK_DIST ? new URL('run-child.mjs', FRAMEWORK_DIST) : new URL('./run-child.ts', import.meta.url));
// Packages' ES modules then bypass tsx (lib/io/package-esm-hooks.mjs).
const CHILD_EXEC_ARGV = FRAMEWORK_DIST ? ['--enable-source-maps'] : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, '--import', new URL('../io/package-esm-loader.mjs', import.meta.url).href];
/** Liveness of runs this server did not start is checked at most this often. */
const LIVENESS_MS = 1000;

/**
 * Runs pipelines for the dashboard, one at a time per project (the store's run lock, shared
 * with `dqm run`), each in a DETACHED process: its own session and process group, output to
 * `.dqm/runs/<id>.out`, so it outlives `dqm viz` and the SSH tunnel. The process records the
 * run in the store; the manager follows runs there (RunFollower), so a restarted server
 * re-attaches to a run in progress, can cancel it (its process group, by pid) and notices
 * when its process died.
 */
export class RunManager {
  readonly store: RunStore;
  /** Run processes this server forked, until they exit. */
  private readonly children = new Map<string, ChildProcess>();
  private readonly cancelling = new Set<string>();
  private readonly follower: RunFollower;
  private lastLiveness = 0;
  private closed = false;

  constructor(private readonly opts: RunManagerOptions) {
    // Opening recovers runs whose process died while nobody watched.
    this.store = RunStore.open(opts.root);
    this.follower = new RunFollower(this.store, opts.pollMs ?? 150, () => this.checkLiveness());
    // A run in progress (started before this server) is followed at once: its death is noticed.
    if (this.runningId()) this.follower.start();
  }

  get root(): string {
    return this.opts.root;
  }

  /** The id of the run in progress in this project (from the dashboard or a terminal), if any. */
  runningId(): string | undefined {
    return this.store.lockHolder()?.runId ?? this.store.activeRuns()[0]?.id;
  }

  /**
   * Starts a run; resolves once its process has loaded the project, accepted the request and
   * recorded the run (then it is `running`). Rejects with RunConflictError (409) while another
   * runs and RunRequestError (400) for a bad body, unknown pipeline or node: nothing recorded.
   */
  async start(body: unknown): Promise<RunRecord> {
    return this.launch(newRunId(), parseRunRequest(body));
  }

  /** Runs a recorded run again (same pipeline, env, params, selection); `{from: 'failed'}` resumes at its failed node. */
  async rerun(id: string, body: unknown): Promise<RunRecord> {
    return this.launch(newRunId(), rerunRequest(this.store.getRunDetails(id), body), id);
  }

  private async launch(id: string, request: RunRequest, rerunOf?: string): Promise<RunRecord> {
    // The lock first, under this server's pid; the run process takes it over.
    this.store.acquireLock(id, process.pid);
    const env = request.env ?? this.opts.env ?? 'local';
    const job: RunJob = { root: this.opts.root, runId: id, pipeline: request.pipeline, env, params: request.params, selection: request.selection, runner: request.runner, rerunOf };
    const out = this.outputFile(id);
    let child: ChildProcess;
    try {
      const fd = openSync(out, 'a');
      try {
        child = fork(CHILD_ENTRY, [], { cwd: this.opts.root, execArgv: CHILD_EXEC_ARGV, detached: true, stdio: ['ignore', fd, fd, 'ipc'], env: { ...process.env, DQM_RUN_ID: id } });
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      this.store.releaseLock(id);
      throw error;
    }
    this.children.set(id, child);
    yieldCpu(child.pid, this.opts.runNice ?? 10);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => this.onExit(id, child, code, signal));
    try {
      await this.accepted(child, job, out);
    } catch (error) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      this.store.releaseLock(id);
      if (this.store.findRun(id)) this.store.abortRun(id, 'failed', (error as Error).message);
      throw error;
    }
    // From here on the run needs nothing from this server: it must not keep it alive either.
    if (child.connected) child.disconnect();
    child.unref();
    this.follower.start();
    return this.store.getRun(id);
  }

  private accepted(child: ChildProcess, job: RunJob, out: string): Promise<void> {
    const ms = this.opts.startTimeoutMs ?? 120_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RunRequestError(`The run did not start within ${ms / 1000} s (loading the project)`, { code: 'RUN_START_TIMEOUT' })), ms);
      child.on('message', (m: ChildMessage) => {
        clearTimeout(timer);
        if (m.type === 'ready') resolve();
        else reject(new DqmError(m.error.message, { code: m.error.code, httpStatus: m.error.httpStatus }));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new RunRequestError(`The run process exited before starting (${signal ?? `exit code ${code}`}): ${lastLines(out, 3) || 'no error output'}`, { code: 'RUN_START_FAILED' }));
      });
      // A failed send (or fork) is an 'error' event: without a listener it would crash the server and leave the child waiting.
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new RunRequestError(`The run process could not be started: ${error.message}`, { code: 'RUN_START_FAILED', cause: error }));
      });
      try {
        child.send({ type: 'start', job } satisfies ParentMessage);
      } catch (error) {
        clearTimeout(timer);
        reject(new RunRequestError(`The run request could not be sent to the run process: ${(error as Error).message}`, { code: 'RUN_START_FAILED', cause: error }));
      }
    });
  }

  /** A run process this server forked has exited: if it did not record the end of its run, it died. */
  private onExit(id: string, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.children.delete(id);
    // A closed server hears nothing more: the next one notices the death (checkLiveness).
    if (this.closed || this.store.findRun(id)?.status !== 'running') return;
    const cancelled = this.cancelling.has(id);
    const last = lastLines(this.outputFile(id), 1);
    const reason = cancelled ? 'cancelled from the dashboard' : `process died (pid ${child.pid} ${signal ? `killed by ${signal}` : `exited with code ${code}`})${last ? `: ${last}` : ''}`;
    this.store.abortRun(id, cancelled ? 'cancelled' : 'failed', reason);
    this.follower.poll();
  }

  /** Runs whose process is gone (one this server did not start, or that it is not cancelling) are marked failed. */
  private checkLiveness(): boolean {
    const now = Date.now();
    if (now - this.lastLiveness >= LIVENESS_MS) {
      this.lastLiveness = now;
      try {
        this.store.recoverDeadRuns((id) => this.children.has(id) || this.cancelling.has(id));
      } catch {
        // closing
      }
    }
    return this.children.size > 0 || this.runningId() !== undefined;
  }

  /**
   * Stops a dashboard run, this server's or one it re-attached to: SIGTERM to its process
   * group, SIGKILL after the grace period; resolves once the process is gone and the run is
   * recorded as cancelled. Outputs are written atomically (temp + rename), so no half-written
   * dataset stays behind.
   */
  async cancel(id: string): Promise<RunRecord> {
    const run = this.store.getRun(id);
    if (run.status !== 'running') throw new RunRequestError(`Run ${id} is not running (it ${run.status === 'success' ? 'succeeded' : run.status === 'cancelled' ? 'was cancelled' : 'failed'}); nothing to cancel`, { code: 'RUN_NOT_RUNNING' });
    if (run.startedBy !== 'dashboard' || run.pid === null) {
      throw new RunRequestError(`Run ${id} was started by ${run.startedBy}${run.user ? ` ${run.user}` : ''} (pid ${run.pid}), not by this dashboard: stop it where it runs`, { code: 'RUN_NOT_OWNED' });
    }
    this.cancelling.add(id);
    try {
      signalGroup(run.pid, 'SIGTERM');
      if (!(await gone(run.pid, this.opts.killGraceMs ?? 5000))) {
        signalGroup(run.pid, 'SIGKILL');
        await gone(run.pid, 10_000);
      }
      this.store.abortRun(id, 'cancelled', 'cancelled from the dashboard');
    } finally {
      this.cancelling.delete(id);
    }
    this.follower.poll();
    return this.store.getRun(id);
  }

  list(opts: { limit?: number; offset?: number } = {}): RunRecord[] {
    return this.store.listRuns(opts);
  }

  get(id: string): RunDetails {
    return this.store.getRunDetails(id);
  }

  logs(id: string, node?: string): LogLine[] {
    return this.store.logs(id, node);
  }

  compare(a: string, b: string): RunComparison {
    return compareRuns(this.store.getRunDetails(a), this.store.getRunDetails(b));
  }

  durations(node: string, limit = 30): NodeDurationPoint[] {
    return this.store.nodeDurations(node, limit);
  }

  async freshness(pipeline?: string): Promise<Record<string, DatasetFreshness>> {
    return datasetFreshness(await this.project(), this.store, pipeline);
  }

  async partitions(pipeline?: string): Promise<PartitionMatrix> {
    return partitionMatrix(await this.project(), this.store, pipeline);
  }

  private async project(): Promise<FreshnessProject> {
    const p = await this.opts.project?.();
    if (!p) throw new DqmError('The dashboard has no project loaded', { code: 'NO_PROJECT', httpStatus: 400 });
    return p;
  }

  /**
   * Past events of a run, then live ones (read from the store), with no gap and no duplicate.
   * `onEnd` is called after the last event (run_finished or run_aborted), or at once for an
   * ended run. `afterSeq`: skip what the client has (SSE `Last-Event-ID`). Returns the unsubscribe function.
   */
  subscribe(id: string, listener: RunListener, onEnd: () => void = () => {}, afterSeq = 0): () => void {
    this.store.getRun(id); // 404 for unknown ids
    return this.follower.subscribe(id, listener, onEnd, afterSeq);
  }

  /**
   * Stops following runs and closes the store. Runs keep going (they are detached): a new
   * server re-attaches to them. `cancelRunning` cancels this server's runs first (tests).
   */
  async close(opts: { cancelRunning?: boolean } = {}): Promise<void> {
    if (opts.cancelRunning) await Promise.all([...this.children.keys()].map((id) => this.cancel(id).catch(() => undefined)));
    this.closed = true;
    this.follower.stop();
    this.store.close();
  }

  private outputFile(id: string): string {
    const dir = path.join(this.opts.root, '.dqm', 'runs');
    mkdirSync(dir, { recursive: true });
    return path.join(dir, `${id}.out`);
  }
}

/**
 * The page must keep answering while a run computes on the same (here 2, shared) cores: the
 * run process gets a lower priority, as a batch job (`nice`), set before it has loaded
 * anything, so its worker threads and processes inherit it. On an idle machine it runs as
 * fast; under contention the server's answers come first (bench:load, issue 15 item 10).
 */
function yieldCpu(pid: number | undefined, increment: number): void {
  if (!pid || increment <= 0) return;
  try {
    os.setPriority(pid, Math.min(19, os.getPriority(pid) + increment));
  } catch {
    // not permitted or already gone: the run goes on at the server's priority
  }
}

/** SIGTERM/SIGKILL to the run's process group (it leads one: detached), or to the process. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Resolves true once `pid` is gone (zombies count as gone), false after `ms`. */
async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !isProcessAlive(pid);
}

/** The last `n` non-empty lines of a run process's output file. */
function lastLines(file: string, n: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).slice(-n).join(' ').slice(-500);
  } catch {
    return '';
  }
}

/**
 * Creates the project's run manager and registers it for the `/api/runs` route handlers.
 * `dqm viz` calls it at start-up (which also marks runs that died while no server ran).
 */
export function registerRunManager(opts: RunManagerOptions): RunManager {
  const manager = new RunManager(opts);
  setRunService(manager);
  return manager;
}
