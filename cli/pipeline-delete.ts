import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REGISTRY_FILE } from '../lib/session';
import { CliError } from './errors';
import { camelCase } from './pipeline-template';

/** What `dqm pipeline delete NAME` removes: found on disk, nothing touched yet. */
export interface DeletionPlan {
  name: string;
  directories: string[];
  files: string[];
  /** Registry lines `dqm pipeline create` wrote (import and entry), removed from the registry. */
  registryLines: string[];
  /** The registry without those lines, or undefined if it has none of them. */
  updatedRegistry?: string;
  /** Other registry lines still naming the pipeline (e.g. in `__default__`): left for the user. */
  leftovers: string[];
}

/**
 * Kedro's `kedro pipeline delete`: the pipeline's folder (its tests live in it), its parameters
 * and catalog files in one conf environment (`parameters/NAME.yml`, `parameters_NAME.yml`,
 * `catalog/NAME.yml`, `catalog_NAME.yml`), and, beyond Kedro, its registry entry.
 */
export function planDeletion(root: string, name: string, env = 'base'): DeletionPlan {
  const confDir = path.join(root, 'conf', env);
  if (!existsSync(confDir)) throw new CliError(`Unable to locate environment '${env}'. Make sure it exists in the project configuration.`);
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const dir = path.join(root, 'pipelines', name);
  const directories = existsSync(dir) && statSync(dir).isDirectory() ? [rel(dir)] : [];
  const files = ['parameters', 'catalog']
    .flatMap((kind) => [path.join(confDir, `${kind}_${name}.yml`), path.join(confDir, kind, `${name}.yml`)])
    .filter((f) => existsSync(f))
    .map(rel);

  const registryFile = path.join(root, REGISTRY_FILE);
  const registry = existsSync(registryFile) ? readFileSync(registryFile, 'utf8') : '';
  const alias = camelCase(name);
  const generated = [
    new RegExp(`^\\s*import \\{ createPipeline as ${alias} \\} from '\\./${name}/pipeline';\\s*$`),
    new RegExp(`^\\s*${name}: ${alias}\\(ctx\\),\\s*$`),
  ];
  const lines = registry.split('\n');
  const registryLines = lines.filter((l) => generated.some((re) => re.test(l)));
  const kept = lines.filter((l) => !registryLines.includes(l));
  const mentions = new RegExp(`\\b(${name}|${alias})\\b`);
  const leftovers = kept.filter((l) => mentions.test(l)).map((l) => l.trim());
  if (!directories.length && !files.length && !registryLines.length) throw new CliError(`Pipeline '${name}' not found.`);
  return { name, directories, files, registryLines: registryLines.map((l) => l.trim()), updatedRegistry: registryLines.length ? kept.join('\n') : undefined, leftovers };
}

/** The list shown before asking, as Kedro prints it. */
export function describePlan(plan: DeletionPlan): string {
  const block = (title: string, items: string[]) => (items.length ? `\n${title}:\n${items.map((i) => `  ${i}`).join('\n')}\n` : '');
  return `The following paths will be removed:\n${block('Directories', plan.directories)}${block('Files', plan.files)}${block(`Lines of ${REGISTRY_FILE}`, plan.registryLines)}`;
}

/** Removes everything in the plan; the registry is rewritten atomically (temp file + rename). */
export function executeDeletion(root: string, plan: DeletionPlan): void {
  for (const d of plan.directories) rmSync(path.join(root, d), { recursive: true, force: true });
  for (const f of plan.files) rmSync(path.join(root, f), { force: true });
  if (plan.updatedRegistry !== undefined) {
    const registryFile = path.join(root, REGISTRY_FILE);
    writeFileSync(`${registryFile}.tmp`, plan.updatedRegistry);
    renameSync(`${registryFile}.tmp`, registryFile);
  }
}
