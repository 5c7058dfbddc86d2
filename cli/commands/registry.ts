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
  addProjectOptions(
    registry
      .command('describe')
      .description('Show the nodes of a pipeline in run order, with their namespaces (modular pipelines)')
      .argument('[name]', 'pipeline name', DEFAULT_PIPELINE)
      .option('--namespace <namespace>', 'only the nodes of this namespace (nested ones included)')
      .option('--json', 'print JSON instead of a table'),
  ).action(
    action(async (name: string, opts: ProjectCliOptions & { namespace?: string; json?: boolean }) => {
      const project = await loadProjectFromOptions(opts);
      const full = project.getPipeline(name);
      const p = opts.namespace ? full.onlyNodesWithNamespaces([opts.namespace]) : full;
      const namespaces = p.namespaces().map((ns) => ({ namespace: ns, nodes: p.nodes.filter((n) => n.namespace === ns || n.namespace?.startsWith(`${ns}.`)).length }));
      if (opts.json) {
        const nodes = p.nodes.map((n) => ({ name: n.name, namespace: n.namespace ?? null, inputs: [...n.inputs], outputs: [...n.outputs], tags: [...n.tags] }));
        process.stdout.write(`${JSON.stringify({ pipeline: name, nodes, namespaces }, null, 2)}\n`);
        return;
      }
      const withNs = namespaces.length > 0;
      const header = ['node', 'inputs', 'outputs', 'tags', ...(withNs ? ['namespace'] : [])];
      const rows = p.nodes.map((n) => [n.name, n.inputs.join(', ') || '-', n.outputs.join(', ') || '-', [...n.tags].join(', '), ...(withNs ? [n.namespace ?? '-'] : [])]);
      const nsLine = withNs ? `\nNamespaces: ${namespaces.map((n) => `${n.namespace} (${n.nodes} node${n.nodes === 1 ? '' : 's'})`).join(', ')}\n` : '';
      process.stdout.write(`Pipeline '${name}': ${p.nodes.length} nodes\n\n${formatTable(header, rows)}\n${nsLine}`);
    }),
  );
}
