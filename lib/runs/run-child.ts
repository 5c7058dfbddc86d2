/**
 * The process a dashboard run executes in: forked DETACHED by RunManager (its own session and
 * process group, output to a file), so it outlives the `dqm viz` server and the SSH tunnel.
 * It takes over the project's run lock and records the run in the store itself (the same
 * code path as `dqm run`); the server, this one or a restarted one, follows it there.
 */
import { errorAnswer, messageOf } from '../errors';
import { Project } from '../session';
import type { ChildMessage, ParentMessage, RunJob } from './child-messages.types';
import { optionsOf, recordRun } from './record-run';
import { RunStore } from './run-store';

function send(message: ChildMessage): void {
  try {
    if (process.connected) process.send?.(message);
  } catch {
    // The server went away: the run goes on, recorded in the store.
  }
}

/** A request that cannot run is the request's fault: a 4xx, never a 500. */
function invalid(error: unknown): ChildMessage {
  const { status, body } = errorAnswer(error);
  const code = body.error.code === 'INTERNAL_ERROR' ? 'BAD_RUN_REQUEST' : body.error.code;
  return { type: 'invalid', error: { code, message: body.error.message, httpStatus: status < 500 ? status : 400 } };
}

async function execute(job: RunJob): Promise<number> {
  // A run of `--pipelines a,b` is recorded as pipeline 'a,b'.
  const several = job.pipeline.includes(',');
  const runOptions = { ...optionsOf(job.selection), pipeline: several ? undefined : job.pipeline, pipelines: several ? job.pipeline.split(',') : undefined, runner: job.runner, runId: job.runId };
  let project: Project;
  let store: RunStore;
  try {
    project = await Project.load({ root: job.root, env: job.env, runtimeParams: Object.keys(job.params).length ? job.params : undefined });
    store = RunStore.open(job.root, { recover: false });
  } catch (error) {
    send(invalid(error));
    return 2;
  }
  let created = false;
  try {
    await recordRun(project, runOptions, {
      store,
      lockTakenFor: true,
      startedBy: 'dashboard',
      params: job.params,
      rerunOf: job.rerunOf,
      onCreated: () => {
        created = true;
        send({ type: 'ready', nodes: project.selectPipeline(runOptions).nodeNames() });
      },
    });
    return 0;
  } catch (error) {
    // Before the run was recorded: an argument error or a conflict, answered to the request.
    // After: recorded in the store (node_failed, run_finished or run_aborted).
    if (!created) send(invalid(error));
    return created ? 1 : 2;
  } finally {
    store.close();
  }
}

// No terminal, no tunnel: a hang-up is not a reason to stop.
process.on('SIGHUP', () => undefined);
// The server went away: finish the run alone; the store records it.
process.on('disconnect', () => undefined);
process.once('message', (message: ParentMessage) => {
  if (message?.type !== 'start') return;
  execute(message.job).then(
    (code) => {
      process.exitCode = code;
      if (process.connected) process.disconnect();
    },
    (error: unknown) => {
      process.stderr.write(`run process: ${messageOf(error)}\n`);
      process.exit(3);
    },
  );
});
