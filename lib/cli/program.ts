import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { register as registerArgo } from './commands/argo';
import { register as registerCatalog } from './commands/catalog';
import { register as registerDocker } from './commands/docker';
import { register as registerPipeline } from './commands/pipeline';
import { register as registerRegistry } from './commands/registry';
import { register as registerRun } from './commands/run';
import { register as registerSimulate } from './commands/simulate';
import { register as registerViz } from './commands/viz';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The `dqm` program with every subcommand registered (each lives in commands/<name>.ts). */
export function buildProgram(): Command {
  const program = new Command('dqm')
    .description('Pipelines for CMS pixel Data Quality Monitoring: run them, inspect them, browse them in the dashboard')
    .version(version(), '-V, --version', 'print the version')
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true);
  const commands = [
    registerRun,
    registerRegistry,
    registerCatalog,
    registerPipeline,
    registerViz,
    registerSimulate,
    registerArgo,
    registerDocker,
  ];
  for (const register of commands) register(program);
  return program;
}
