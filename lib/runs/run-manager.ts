import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { newRunId } from '../runner';
import type { ChildMessage, ParentMessage, RunJob } from './child-messages.types';
import { RunConflictError, RunRequestError } from './errors';
import { setRunService, type RunDetails, type RunRecord, type StoredEvent } from '../services';
import { parseRunRequest, type RunRequest } from './run-request';
import { RunStore } from './run-store';

export interface RunManagerOptions {
  /** Project root: where `conf/`, `pipelines/` and `.dqm/runs.sqlite` are. */
  root: string;
  /** Default config environment of runs that do not name one. */
  env?: string;
  /** SIGTERM, then SIGKILL after this many ms (default 5000). */
  killGraceMs?: number;
  /** Time allowed for the child to load the project and check the request (default 120 s). */
  startTimeoutMs?: number;
}

export type RunListener = (event: StoredEvent) => void;

interface ActiveRun {
  id: string;
  child: ChildProcess;
  cancelRequested: boolean;
  stderr: string;
  exited: Promise<void>;
}

const CHILD_ENTRY = fileURLToPath(new URL('./run-child.ts', import.meta.url));
// Resolved from here, not from the project: a user's project need not depend on tsx.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Runs pipelines for the dashboard, one at a time per project, each in a child process (the
 * server keeps answering; a node that blocks the CPU or crashes cannot take the server down;
 * cancel is a signal, which works even inside a tight loop). The child records the run in
 * the store; the manager relays its events to subscribers and closes runs whose process died.
 */
export class RunManager {
  readonly store: RunStore;
  private active: ActiveRun | undefined;
  private starting: string | undefined;
  private readonly listeners = new Map<string, Set<RunListener>>();

  constructor(private readonly opts: RunManagerOptions) {
    // Opening recovers runs whose process died while nobody watched.
    this.store = RunStore.open(opts.root);
  }

  get root(): string {
    return this.opts.root;
  }

  /** The id of the run in progress in this project (from the dashboard or a terminal), if any. */
  runningId(): string | undefined {
    // From the store, not from the child process: a run that has recorded run_finished is over
    // even while its process is still exiting.
    return this.starting ?? this.store.activeRuns()[0]?.id;
  }

  /**
   * Starts a run; resolves once the child has loaded the project and accepted the request
   * (then the run is `running`). Rejects with RunConflictError (409) while another runs and
   * RunRequestError (400) for a bad body, unknown pipeline or node.
   */
  async start(body: unknown): Promise<RunRecord> {
    const request = parseRunRequest(body);
    const running = this.runningId();
    if (running) {
      const run = this.store.findRun(running);
      const by = run ? ` (started by ${run.startedBy}${run.user ? ` ${run.user}` : ''} at ${run.startedAt})` : '';
      throw new RunConflictError(`A run is already in progress in this project: ${running}${by}. Wait for it to finish or cancel it first`, running);
    }
    const id = newRunId();
    this.starting = id;
    try {
      return await this.launch(id, request);
    } finally {
      this.starting = undefined;
    }
  }

  private async launch(id: string, request: RunRequest): Promise<RunRecord> {
    const env = request.env ?? this.opts.env ?? 'local';
    const job: RunJob = { root: this.opts.root, runId: id, pipeline: request.pipeline, env, params: request.params, selection: request.selection, runner: request.runner };
    const child = fork(CHILD_ENTRY, [], {
      cwd: this.opts.root,
      execArgv: ['--import', TSX_LOADER],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, DQM_RUN_ID: id },
    });
    this.store.createRun({ id, pipeline: request.pipeline, env, params: request.params, selection: request.selection, startedBy: 'dashboard', pid: child.pid ?? null });
    const active: ActiveRun = { id, child, cancelRequested: false, stderr: '', exited: new Promise((resolve) => child.once('exit', () => resolve())) };
    child.stderr?.on('data', (chunk: Buffer) => {
      active.stderr = (active.stderr + chunk.toString()).slice(-4000);
    });
    const accepted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RunRequestError(`The run did not start within ${(this.opts.startTimeoutMs ?? 120_000) / 1000} s (loading the project)`, { code: 'RUN_START_TIMEOUT' })), this.opts.startTimeoutMs ?? 120_000);
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (m.type === 'invalid') {
          clearTimeout(timer);
          reject(new RunRequestError(m.error.message, { code: m.error.code }));
        } else if (m.type === 'event') {
          this.publish(id, m.event);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new RunRequestError(`The run process exited before starting (${signal ?? `exit code ${code}`}): ${active.stderr.trim().split('\n').slice(-3).join(' ') || 'no error output'}`, { code: 'RUN_START_FAILED' }));
      });
    });
    child.once('exit', (code, signal) => this.onExit(active, code, signal));
    child.send({ type: 'start', job } satisfies ParentMessage);
    try {
      await accepted;
    } catch (error) {
      child.kill('SIGKILL');
      await active.exited;
      this.store.deleteRun(id);
      throw error;
    }
    this.active = active;
    return this.store.getRun(id);
  }

  private onExit(active: ActiveRun, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.active === active) this.active = undefined;
    if (!this.store.findRun(active.id)) return;
    const reason = active.cancelRequested
      ? 'cancelled from the dashboard'
      : `process died (pid ${active.child.pid} ${signal ? `killed by ${signal}` : `exited with code ${code}`})${active.stderr.trim() ? `: ${active.stderr.trim().split('\n').slice(-1)[0]}` : ''}`;
    const event = this.store.abortRun(active.id, active.cancelRequested ? 'cancelled' : 'failed', reason);
    if (event) this.publish(active.id, event);
    this.listeners.delete(active.id);
  }

  /**
   * Stops a run: SIGTERM, SIGKILL after the grace period; resolves once the process is gone
   * and the run is recorded as cancelled. Outputs are written atomically (temp + rename), so
   * no half-written dataset stays behind.
   */
  async cancel(id: string): Promise<RunRecord> {
    const run = this.store.getRun(id);
    const active = this.active?.id === id ? this.active : undefined;
    if (!active) {
      if (run.status !== 'running') throw new RunRequestError(`Run ${id} is not running (it ${run.status === 'success' ? 'succeeded' : run.status === 'cancelled' ? 'was cancelled' : 'failed'}); nothing to cancel`, { code: 'RUN_NOT_RUNNING' });
      throw new RunRequestError(`Run ${id} was started by ${run.startedBy}${run.user ? ` ${run.user}` : ''} (pid ${run.pid}), not by this dashboard: stop it where it runs`, { code: 'RUN_NOT_OWNED' });
    }
    active.cancelRequested = true;
    active.child.kill('SIGTERM');
    const kill = setTimeout(() => active.child.kill('SIGKILL'), this.opts.killGraceMs ?? 5000);
    await active.exited;
    clearTimeout(kill);
    return this.store.getRun(id);
  }

  list(opts: { limit?: number; offset?: number } = {}): RunRecord[] {
    return this.store.listRuns(opts);
  }

  get(id: string): RunDetails {
    return this.store.getRunDetails(id);
  }

  /**
   * Past events of a run, then live ones, with no gap and no duplicate: the listener is
   * attached before the log is read, and live events already replayed are dropped by seq.
   * `onEnd` is called after the last event (run_finished or run_aborted), or at once for an
   * ended run. `afterSeq`: skip what the client has (SSE `Last-Event-ID`). Returns the unsubscribe function.
   */
  subscribe(id: string, listener: RunListener, onEnd: () => void = () => {}, afterSeq = 0): () => void {
    this.store.getRun(id); // 404 for unknown ids
    let last = afterSeq;
    let ended = false;
    const deliver = (e: StoredEvent) => {
      if (ended || e.seq <= last) return;
      last = e.seq;
      listener(e);
      if (e.type === 'run_finished' || e.type === 'run_aborted') {
        ended = true;
        unsubscribe();
        onEnd();
      }
    };
    const set = this.listeners.get(id) ?? new Set<RunListener>();
    this.listeners.set(id, set);
    set.add(deliver);
    const unsubscribe = () => {
      set.delete(deliver);
      if (!set.size && this.listeners.get(id) === set) this.listeners.delete(id);
    };
    for (const e of this.store.events(id, afterSeq)) deliver(e);
    // Ended without an end event in the log (cannot happen after recovery; belt and braces).
    if (!ended && this.store.getRun(id).status !== 'running') {
      ended = true;
      unsubscribe();
      onEnd();
    }
    return unsubscribe;
  }

  private publish(id: string, event: StoredEvent): void {
    for (const l of [...(this.listeners.get(id) ?? [])]) l(event);
  }

  /** Cancels the run in progress (server shutdown) and closes the store. */
  async close(): Promise<void> {
    if (this.active) await this.cancel(this.active.id).catch(() => undefined);
    this.store.close();
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
