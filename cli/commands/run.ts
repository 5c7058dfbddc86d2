import type { Command } from 'commander';
import { RunReporter } from '../run-reporter';
import { addKedroRunOptions, resolveRunArgs, resumeArgsOf, runnerOption, type RunCliValues } from '../run-options';
import { action, addProjectOptions } from '../shared';
import { DEFAULT_PIPELINE } from '../../lib/pipeline';

/** `dqm run`: Kedro's `kedro run`, same options (run-options.ts parses them and `--config`). */
export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description(`Run a pipeline (the ${DEFAULT_PIPELINE} one unless --pipeline or --pipelines is given)`)
    .option('-p, --pipeline <name>', `registered pipeline to run (default: ${DEFAULT_PIPELINE})`)
    .option('-n, --nodes <names>', 'run only these nodes (comma-separated)')
    .option('--from-nodes <names>', 'run from these nodes onwards (comma-separated)')
    .option('--to-nodes <names>', 'run up to these nodes (comma-separated)')
    .option('--from-inputs <datasets>', 'run the nodes that depend on these datasets (comma-separated)')
    .option('--to-outputs <datasets>', 'run the nodes needed to produce these datasets (comma-separated)')
    .option('-t, --tags <tags>', 'run only nodes with any of these tags (comma-separated)')
    .option('--namespace <namespace>', 'run only the nodes of this modular pipeline')
    .addOption(runnerOption())
    .option('--load-versions <dataset:version,...>', 'load these versions of versioned datasets')
    .option('--only-missing-outputs', 'skip nodes whose persisted outputs all exist already');
  addKedroRunOptions(addProjectOptions(cmd)).action(
    action(async (values: RunCliValues) => {
      const args = await resolveRunArgs(cmd, values);
      const { Project } = await import('../../lib/session');
      const project = await Project.load({ env: args.env, runtimeParams: args.params, confSource: args.confSource });
      const reporter = new RunReporter();
      // Recorded in .dqm/runs.sqlite, so a run started by hand shows in the dashboard's history.
      const { recordCliRun } = await import('../../lib/runs');
      try {
        const result = await recordCliRun(
          project,
          {
            pipeline: args.pipeline,
            pipelines: args.pipelines,
            nodeNames: args.nodes,
            fromNodes: args.fromNodes,
            toNodes: args.toNodes,
            fromInputs: args.fromInputs,
            toOutputs: args.toOutputs,
            tags: args.tags,
            namespace: args.namespace,
            namespaces: args.namespaces,
            runner: args.runner,
            maxWorkers: args.maxWorkers,
            isAsync: args.isAsync,
            loadVersions: args.loadVersions,
            onlyMissingOutputs: args.onlyMissingOutputs,
            resumeArgs: resumeArgsOf(args),
          },
          reporter.onEvent,
          { params: args.params },
        );
        process.stdout.write(reporter.summary(result));
      } catch (error) {
        reporter.stop();
        const { RunError } = await import('../../lib/runner');
        if (error instanceof RunError) process.stdout.write(reporter.summary(error.result));
        throw error;
      }
    }),
  );
}
