import type { Command } from 'commander';
import { formatTable, action, addProjectOptions, loadProjectFromOptions, type ProjectCliOptions } from '../shared';
import { DEFAULT_PIPELINE } from '../../lib/pipeline';

/** `dqm registry list` and `dqm registry describe NAME`. */
export function register(program: Command): void {
  const registry = program.command('registry').description('Inspect the registered pipelines');
  addProjectOptions(registry.command('list').description('List the registered pipelines')).action(
    action(async (opts: ProjectCliOptions) => {
      const project = await loadProjectFromOptions(opts);
      const rows = project.pipelineNames().map((name) => {
        const p = project.pipelines[name]!;
        return [name, String(p.nodes.length), String(p.inputs().size), String(p.outputs().size)];
      });
      process.stdout.write(`${formatTable(['pipeline', 'nodes', 'inputs', 'outputs'], rows)}\n`);
    }),
  );
  addProjectOptions(registry.command('describe').description('Show the nodes of a pipeline, in run order').argument('[name]', 'pipeline name', DEFAULT_PIPELINE)).action(
    action(async (name: string, opts: ProjectCliOptions) => {
      const project = await loadProjectFromOptions(opts);
      const p = project.getPipeline(name);
      const rows = p.nodes.map((n) => [n.name, n.inputs.join(', ') || '-', n.outputs.join(', ') || '-', [...n.tags].join(', ')]);
      process.stdout.write(`Pipeline '${name}': ${p.nodes.length} nodes\n\n${formatTable(['node', 'inputs', 'outputs', 'tags'], rows)}\n`);
    }),
  );
}
