/**
 * The process a dashboard run executes in (forked by RunManager with tsx's loader), so the
 * server keeps answering while nodes compute. It records the run in the store itself (the
 * same code path as `dqm run`) and forwards each stored event to the parent for live fan-out.
 */
import { errorAnswer, messageOf } from '../errors';
import { Project } from '../session';
import type { ChildMessage, ParentMessage, RunJob } from './child-messages.types';
import { recordRun } from './record-run';
import { RunStore } from './run-store';

function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

async function execute(job: RunJob): Promise<number> {
  const runOptions = {
    pipeline: job.pipeline,
    nodeNames: job.selection.nodes,
    fromNodes: job.selection.fromNodes,
    toNodes: job.selection.toNodes,
    tags: job.selection.tags,
    runner: job.runner,
    runId: job.runId,
  };
  let project: Project;
  let nodes: string[];
  try {
    project = await Project.load({ root: job.root, env: job.env, runtimeParams: Object.keys(job.params).length ? job.params : undefined });
    nodes = project.selectPipeline(runOptions).nodeNames();
  } catch (error) {
    // A project or request that cannot run is the request's fault: a 4xx, never a 500.
    const { status, body } = errorAnswer(error);
    const code = body.error.code === 'INTERNAL_ERROR' ? 'BAD_RUN_REQUEST' : body.error.code;
    send({ type: 'invalid', error: { code, message: body.error.message, httpStatus: status < 500 ? status : 400 } });
    return 2;
  }
  send({ type: 'ready', nodes });
  const store = RunStore.open(job.root, { recover: false });
  let status: 'success' | 'failed' = 'success';
  try {
    await recordRun(project, runOptions, {
      store,
      existingRun: true,
      startedBy: 'dashboard',
      onStored: (event) => send({ type: 'event', event }),
    });
  } catch {
    // Recorded in the store (node_failed, run_finished or run_aborted); the parent reads it there.
    status = 'failed';
  } finally {
    store.close();
  }
  send({ type: 'done', status });
  return status === 'success' ? 0 : 1;
}

process.once('message', (message: ParentMessage) => {
  if (message?.type !== 'start') return;
  execute(message.job).then(
    (code) => {
      process.exitCode = code;
      process.disconnect?.();
    },
    (error: unknown) => {
      process.stderr.write(`run child: ${messageOf(error)}\n`);
      process.exit(3);
    },
  );
});
// The parent went away (server stopped): finish the run alone; the store still records it.
process.on('disconnect', () => undefined);
