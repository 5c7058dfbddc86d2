import type { Command } from 'commander';
import { stringify } from 'yaml';
import { action, addProjectOptions, loadProjectFromOptions, parseList, type ProjectCliOptions } from '../shared';

interface CatalogCliOptions extends ProjectCliOptions {
  pipeline?: string;
  json?: boolean;
}

/**
 * `dqm catalog describe-datasets | list-patterns | resolve-patterns` (Kedro 1.0's names; `list`
 * is describe-datasets' old name). YAML as Kedro prints it, or `--json`.
 */
export function register(program: Command): void {
  const catalog = program.command('catalog').description('Inspect the data catalog');
  const withOptions = (cmd: Command, pipelineOption = true) => {
    if (pipelineOption) cmd.option('-p, --pipeline <names>', 'only these pipelines (comma-separated; default: all registered)');
    return addProjectOptions(cmd.option('--json', 'print JSON instead of YAML'));
  };

  withOptions(
    catalog
      .command('describe-datasets')
      .alias('list')
      .description("Datasets used by each pipeline, grouped as 'datasets' (catalog entries), 'factories' (matched by a pattern) and 'defaults' (memory datasets), by type"),
  ).action(
    action(async (opts: CatalogCliOptions) => {
      const { project, catalog: cat, pipelines } = await load(opts);
      const { describeDatasets } = await import('../../lib/session');
      print(describeDatasets(cat, Object.fromEntries(pipelines.map((n) => [n, project.getPipeline(n)]))), opts);
    }),
  );

  withOptions(catalog.command('list-patterns').description('Dataset factory patterns, in the order they are matched (the default pattern last)'), false).action(
    action(async (opts: CatalogCliOptions) => {
      const { catalog: cat } = await load(opts);
      const { listPatterns } = await import('../../lib/session');
      print(listPatterns(cat), opts);
    }),
  );

  withOptions(
    catalog.command('resolve-patterns').description("Every catalog entry and every dataset of the pipelines, as the catalog resolves it (factory placeholders filled in)"),
  ).action(
    action(async (opts: CatalogCliOptions) => {
      const { project, catalog: cat, pipelines } = await load(opts);
      const { resolvePatterns } = await import('../../lib/session');
      print(resolvePatterns(cat, pipelines.map((n) => project.getPipeline(n))), opts);
    }),
  );
}

async function load(opts: CatalogCliOptions) {
  const project = await loadProjectFromOptions(opts);
  const pipelines = parseList(opts.pipeline) ?? project.pipelineNames();
  for (const name of pipelines) project.getPipeline(name); // unknown names fail before any output
  return { project, catalog: await project.loadCatalog(), pipelines };
}

function print(data: unknown, opts: CatalogCliOptions): void {
  process.stdout.write(opts.json ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { sortMapEntries: false }));
}
