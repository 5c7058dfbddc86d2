import { Option, type Command } from 'commander';
import type { RunnerName } from '../../lib/runner';
import { RunReporter } from '../run-reporter';
import { action, addProjectOptions, loadProjectFromOptions, parseList, parseLoadVersions, type ProjectCliOptions } from '../shared';
import { DEFAULT_PIPELINE } from '../../lib/pipeline';

interface RunCliOptions extends ProjectCliOptions {
  pipeline?: string;
  nodes?: string;
  fromNodes?: string;
  toNodes?: string;
  fromInputs?: string;
  toOutputs?: string;
  tags?: string;
  namespace?: string;
  runner: RunnerName;
  loadVersions?: string;
  onlyMissingOutputs?: boolean;
}

/** `dqm run`: Kedro's `kedro run`, same options. */
export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description(`Run a pipeline (the ${DEFAULT_PIPELINE} one unless --pipeline is given)`)
    .option('-p, --pipeline <name>', 'registered pipeline to run', DEFAULT_PIPELINE)
    .option('-n, --nodes <names>', 'run only these nodes (comma-separated)')
    .option('--from-nodes <names>', 'run from these nodes onwards (comma-separated)')
    .option('--to-nodes <names>', 'run up to these nodes (comma-separated)')
    .option('--from-inputs <datasets>', 'run the nodes that depend on these datasets (comma-separated)')
    .option('--to-outputs <datasets>', 'run the nodes needed to produce these datasets (comma-separated)')
    .option('-t, --tags <tags>', 'run only nodes with any of these tags (comma-separated)')
    .option('--namespace <namespace>', 'run only the nodes of this modular pipeline')
    .addOption(new Option('-r, --runner <runner>', 'how to run the nodes').choices(['sequential', 'parallel']).default('sequential'))
    .option('--load-versions <dataset:version,...>', 'load these versions of versioned datasets')
    .option('--only-missing-outputs', 'skip nodes whose persisted outputs all exist already');
  addProjectOptions(cmd).action(
    action(async (opts: RunCliOptions) => {
      const loadVersions = parseLoadVersions(opts.loadVersions);
      const project = await loadProjectFromOptions(opts);
      const reporter = new RunReporter();
      // Recorded in .dqm/runs.sqlite, so a run started by hand shows in the dashboard's history.
      const [{ recordCliRun }, { parseRuntimeParams }] = await Promise.all([import('../../lib/runs'), import('../../lib/config')]);
      try {
        const result = await recordCliRun(
          project,
          {
            pipeline: opts.pipeline,
            nodeNames: parseList(opts.nodes),
            fromNodes: parseList(opts.fromNodes),
            toNodes: parseList(opts.toNodes),
            fromInputs: parseList(opts.fromInputs),
            toOutputs: parseList(opts.toOutputs),
            tags: parseList(opts.tags),
            namespace: opts.namespace,
            runner: opts.runner,
            loadVersions,
            onlyMissingOutputs: opts.onlyMissingOutputs,
            resumeArgs: opts.params === undefined ? [] : ['--params', opts.params],
          },
          reporter.onEvent,
          { params: opts.params === undefined ? undefined : parseRuntimeParams(opts.params) },
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
