import type { Command } from 'commander';
import { action, addProjectOptions, formatTable, loadProjectFromOptions, type ProjectCliOptions } from '../shared';

/** `dqm catalog list [--pipeline P]`: the datasets each pipeline uses, with their types. */
export function register(program: Command): void {
  const catalog = program.command('catalog').description('Inspect the data catalog');
  const list = catalog
    .command('list')
    .description('List the datasets used by the pipelines, with their types; memory datasets and factory matches are flagged')
    .option('-p, --pipeline <names>', 'only these pipelines (comma-separated)');
  addProjectOptions(list).action(
    action(async (opts: ProjectCliOptions & { pipeline?: string }) => {
      const project = await loadProjectFromOptions(opts);
      const names = opts.pipeline ? opts.pipeline.split(',').map((s) => s.trim()).filter(Boolean) : project.pipelineNames();
      const cat = project.createCatalog();
      const blocks: string[] = [];
      for (const name of names) {
        const p = project.getPipeline(name);
        const params = [...p.parameters()].sort();
        const datasets = [...p.datasets()].filter((d) => !params.includes(d)).sort();
        const rows = datasets.map((d) => {
          if (!cat.has(d)) return [d, 'MemoryDataset', 'memory (not in catalog)'];
          const info = cat.describe(d);
          const where = info.persisted === false ? 'memory' : String(info.filepath ?? '');
          const note = info.pattern ? `  [factory '${String(info.pattern)}']` : '';
          return [d, String(info.type), `${where}${note}`];
        });
        blocks.push(
          `Pipeline '${name}': ${datasets.length} datasets, ${params.length} parameters\n${formatTable(['dataset', 'type', 'where'], rows)}` +
            (params.length ? `\nparameters: ${params.join(', ')}` : ''),
        );
      }
      process.stdout.write(`${blocks.join('\n\n')}\n`);
    }),
  );
}
