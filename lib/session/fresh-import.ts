import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

let version = 0;

/**
 * Imports a project file and everything of the project it imports anew (Node caches ES modules
 * by URL, so a plain import would return the code as first loaded): for `dqm viz --autoreload`.
 * The framework (lib/) and node_modules are not re-imported, so the pipelines still build the
 * framework's own Pipeline and register datasets with the one catalog registry. tsx's
 * `tsImport` was not used: it re-imports the framework too when it is not under node_modules.
 */
export async function importFresh(file: string): Promise<Record<string, unknown>> {
  if (version === 0) register(new URL('./fresh-import-hooks.mjs', import.meta.url), { data: { framework: new URL('../', import.meta.url).href } });
  const url = pathToFileURL(file);
  url.searchParams.set('dqm-fresh', String(++version));
  return (await import(url.href)) as Record<string, unknown>;
}
