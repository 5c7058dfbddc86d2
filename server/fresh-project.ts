import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { Pipeline } from '../lib/pipeline';
import type { VizProject } from '../lib/viz';

interface LoadedProject {
  root: string;
  env: string;
  parameters: Record<string, unknown>;
  config: VizProject['config'];
  createCatalog(): unknown;
}

/**
 * For `--autoreload`: Node caches ES modules, so importing pipelines/registry.ts again would
 * return the old pipelines. tsx's tsImport loads the registry and everything it imports in a
 * fresh module namespace, so edited nodes.ts/pipeline.ts files are really re-read. The config
 * (conf/) comes from a normal project load, which re-reads YAML every time.
 */
export async function withFreshPipelines(project: LoadedProject): Promise<VizProject> {
  const url = pathToFileURL(path.join(project.root, 'pipelines', 'registry.ts')).href;
  const mod = (await tsImport(url, import.meta.url)) as { registerPipelines?: (ctx: { parameters: Record<string, unknown> }) => Record<string, Pipeline> };
  const pipelines = mod.registerPipelines ? mod.registerPipelines({ parameters: project.parameters }) : {};
  return {
    root: project.root,
    env: project.env,
    parameters: project.parameters,
    pipelines,
    config: project.config,
    createCatalog: () => project.createCatalog() as ReturnType<NonNullable<VizProject['createCatalog']>>,
  };
}
