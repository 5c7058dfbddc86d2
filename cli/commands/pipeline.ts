import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REGISTRY_FILE } from '../../lib/session';
import { CliError } from '../errors';
import { camelCase, parametersFile, pipelineFiles } from '../pipeline-template';
import { action } from '../shared';

const IMPORTS_MARKER = '// dqm:imports';
const PIPELINES_MARKER = '// dqm:pipelines';
const VALID_NAME = /^[a-z][a-z0-9_]*$/;

/** `dqm pipeline create NAME`. */
export function register(program: Command): void {
  const group = program.command('pipeline').description('Create and delete pipelines');
  group
    .command('create')
    .description('Create pipelines/NAME/{nodes,pipeline,pipeline.test}.ts and conf/base/parameters/NAME.yml, and register the pipeline')
    .argument('<name>', 'pipeline name (lower-case letters, digits and underscores)')
    .action(
      action(async (name: string) => {
        const created = await createPipelineFiles(process.cwd(), name);
        process.stdout.write(`Created pipeline '${name}':\n${created.map((f) => `  ${f}`).join('\n')}\nRegistered in ${REGISTRY_FILE}. Run it with: dqm run --pipeline ${name}\n`);
      }),
    );
  group
    .command('delete')
    .description(`Delete pipelines/NAME, its parameters and catalog files in conf/<env> and its entry in ${REGISTRY_FILE}, after asking`)
    .argument('<name>', 'pipeline name')
    .option('-e, --env <env>', 'environment to delete the pipeline configuration from', 'base')
    .option('-y, --yes', 'delete without asking')
    .action(
      action(async (name: string, opts: { env: string; yes?: boolean }) => {
        if (!VALID_NAME.test(name)) throw new CliError(`Invalid pipeline name '${name}': use lower-case letters, digits and underscores, starting with a letter`);
        const { planDeletion, describePlan, executeDeletion } = await import('../pipeline-delete');
        const root = process.cwd();
        const plan = planDeletion(root, name, opts.env);
        if (!opts.yes) {
          process.stdout.write(`${describePlan(plan)}\n`);
          if (!(await confirm(`Are you sure you want to delete pipeline '${name}'? [y/N]: `))) throw new CliError('Deletion aborted!');
        }
        executeDeletion(root, plan);
        process.stdout.write(`\nPipeline '${name}' was successfully deleted.\n`);
        if (plan.leftovers.length) {
          process.stdout.write(`\n${REGISTRY_FILE} still mentions '${name}'; remove it by hand:\n${plan.leftovers.map((l) => `  ${l}`).join('\n')}\n`);
        }
      }),
    );
}

/** Asks on stdout, reads one line from stdin (a terminal or a pipe); end of input counts as no. */
async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  process.stdout.write(question);
  const answer = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  process.stdout.write('\n');
  return /^y(es)?$/i.test(answer.trim());
}

/** Writes the files and registers the pipeline; returns the paths written, relative to root. */
export async function createPipelineFiles(root: string, name: string): Promise<string[]> {
  if (!VALID_NAME.test(name)) {
    throw new CliError(`Invalid pipeline name '${name}': use lower-case letters, digits and underscores, starting with a letter (e.g. data_quality)`);
  }
  const registryFile = path.join(root, REGISTRY_FILE);
  if (!existsSync(registryFile)) throw new CliError(`No pipeline registry: ${registryFile} does not exist (run this in the project root)`);
  const dir = path.join(root, 'pipelines', name);
  const paramsFile = path.join(root, 'conf', 'base', 'parameters', `${name}.yml`);
  const registry = readFileSync(registryFile, 'utf8');
  const alias = camelCase(name);
  if (existsSync(dir) || new RegExp(`^\\s*${name}\\s*:`, 'm').test(registry)) {
    throw new CliError(`Pipeline '${name}' already exists (pipelines/${name} or an entry in ${REGISTRY_FILE}); choose another name`);
  }
  if (existsSync(paramsFile)) throw new CliError(`conf/base/parameters/${name}.yml already exists; choose another name or remove it`);
  const updated = insertAfterMarker(
    insertAfterMarker(registry, IMPORTS_MARKER, () => `import { createPipeline as ${alias} } from './${name}/pipeline';`),
    PIPELINES_MARKER,
    (indent) => `${indent}${name}: ${alias}(ctx),`,
  );

  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of Object.entries(pipelineFiles(name))) {
    writeFileSync(path.join(dir, file), text);
    written.push(`pipelines/${name}/${file}`);
  }
  mkdirSync(path.dirname(paramsFile), { recursive: true });
  writeFileSync(paramsFile, parametersFile(name));
  written.push(`conf/base/parameters/${name}.yml`);
  // temp + rename: an interrupted create never leaves a half-written registry
  writeFileSync(`${registryFile}.tmp`, updated);
  renameSync(`${registryFile}.tmp`, registryFile);
  return written;
}

function insertAfterMarker(text: string, marker: string, line: (indent: string) => string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === marker);
  if (at < 0) {
    throw new CliError(`${REGISTRY_FILE} has no '${marker}' line, so the pipeline cannot be registered automatically; add the marker comment where imports/entries go`);
  }
  const indent = /^\s*/.exec(lines[at]!)![0];
  lines.splice(at + 1, 0, line(indent));
  return lines.join('\n');
}
