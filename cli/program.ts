import { Command } from 'commander';
import { readFileSync } from 'node:fs';

type Register = (program: Command) => void;

/**
 * Every subcommand, each in commands/<name>.ts. Loaded on demand: `dqm run` should not pay for
 * importing the dashboard server or the Argo models (over a second of start-up together).
 */
const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  run: () => import('./commands/run'),
  evaluate: () => import('./commands/evaluate'),
  registry: () => import('./commands/registry'),
  catalog: () => import('./commands/catalog'),
  pipeline: () => import('./commands/pipeline'),
  viz: () => import('./commands/viz'),
  simulate: () => import('./commands/simulate'),
  argo: () => import('./commands/argo'),
  docker: () => import('./commands/docker'),
  repl: () => import('./commands/repl'),
  convert: () => import('./commands/convert'),
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The `dqm` program. Given the command line, only the subcommand it names is loaded; for
 * `dqm --help`, an unknown command or no command, all of them are (to list or suggest them).
 */
export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command('dqm')
    .description('Pipelines for CMS pixel Data Quality Monitoring: run them, inspect them, browse them in the dashboard')
    .version(version(), '-V, --version', 'print the version')
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true);
  const first = argv.slice(2).find((a) => !a.startsWith('-'));
  const versionOnly = first === undefined && argv.some((a) => a === '-V' || a === '--version');
  const names = versionOnly ? [] : first !== undefined && first in COMMANDS ? [first] : Object.keys(COMMANDS);
  const modules = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const m of modules) m.register(program);
  return program;
}
