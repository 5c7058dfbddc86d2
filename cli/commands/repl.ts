import type { Command } from 'commander';
import type { DataCatalog } from '../../lib/io';
import type { Pipeline } from '../../lib/pipeline';
import type { RunResult } from '../../lib/runner';
import type { Project, RunOptions } from '../../lib/session';
import { RunReporter } from '../run-reporter';
import { action, addProjectOptions, loadProjectFromOptions, type ProjectCliOptions } from '../shared';

/** What `dqm repl` puts in scope, as `kedro ipython` does (its `context` is our `project`). */
interface ReplScope {
  project: Project;
  catalog: DataCatalog;
  pipelines: Record<string, Pipeline>;
  session: { run(opts?: RunOptions): Promise<RunResult> };
}

/**
 * `dqm repl`: Kedro's `kedro ipython` for TypeScript users. A Node REPL (top-level await; the
 * project's .ts files import as in `dqm run`) with `project`, `catalog`, `pipelines` and
 * `session` loaded; `.reload` re-reads conf/ and pipelines/ (Kedro's %reload_kedro).
 */
export function register(program: Command): void {
  addProjectOptions(
    program.command('repl').description('Open a Node REPL with the project loaded: project, catalog, pipelines, session (session.run({ pipeline }))'),
  ).action(
    action(async (opts: ProjectCliOptions) => {
      const repl = await import('node:repl');
      let scope = await loadScope(opts, false);
      process.stdout.write(banner(scope));
      const tty = process.stdin.isTTY === true;
      const feeder = tty ? undefined : await lineFeeder();
      const server = repl.start({ prompt: 'dqm> ', useGlobal: false, terminal: tty, input: feeder?.stream ?? process.stdin, output: process.stdout });
      if (feeder) {
        // piped input: the next line goes in only once the previous one (awaits included) is done
        const display = server.displayPrompt.bind(server);
        server.displayPrompt = (preserveCursor?: boolean) => {
          display(preserveCursor);
          feeder.next();
        };
        feeder.next();
      }
      Object.assign(server.context, scope);
      server.defineCommand('reload', {
        help: 'Re-read conf/ and pipelines/ and redefine project, catalog, pipelines, session',
        action: async () => {
          try {
            scope = await loadScope(opts, true);
            Object.assign(server.context, scope);
            process.stdout.write(`Reloaded: ${Object.keys(scope.pipelines).length} pipelines, ${datasetCount(scope.catalog)} datasets\n`);
          } catch (error) {
            process.stdout.write(`Error: ${(error as Error).message}\n`);
          }
          server.displayPrompt();
        },
      });
      await new Promise<void>((resolve) => server.once('exit', resolve));
    }),
  );
}

/**
 * Lines of a piped stdin handed to the REPL one at a time: Node's REPL would read them all at
 * once and run `await ...` lines out of order.
 */
async function lineFeeder(): Promise<{ stream: NodeJS.ReadWriteStream; next(): void }> {
  const [{ PassThrough }, { createInterface }] = await Promise.all([import('node:stream'), import('node:readline')]);
  const stream = new PassThrough();
  const queue: string[] = [];
  let ended = false;
  let wanted = 0;
  const feed = () => {
    while (wanted > 0 && queue.length) {
      wanted--;
      stream.write(`${queue.shift()!}\n`);
    }
    if (wanted > 0 && ended) stream.end();
  };
  const rl = createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => {
    queue.push(line);
    feed();
  });
  rl.on('close', () => {
    ended = true;
    feed();
  });
  return {
    stream,
    next() {
      wanted = 1;
      feed();
    },
  };
}

async function loadScope(opts: ProjectCliOptions, fresh: boolean): Promise<ReplScope> {
  const project = await loadProjectFromOptions(opts, process.cwd(), fresh);
  const catalog = await project.loadCatalog();
  const session = {
    /** `project.run` with the progress lines and summary of `dqm run`. */
    async run(runOpts: RunOptions = {}): Promise<RunResult> {
      const reporter = new RunReporter();
      try {
        const result = await project.run(runOpts, reporter.onEvent);
        process.stdout.write(reporter.summary(result));
        return result;
      } finally {
        reporter.stop();
      }
    },
  };
  return { project, catalog, pipelines: project.pipelines, session };
}

function banner({ project, catalog, pipelines }: ReplScope): string {
  const names = Object.keys(pipelines).sort();
  return [
    `DQM Playground DS REPL: project ${project.root}, env '${project.env}'`,
    `Defined: project, catalog (${datasetCount(catalog)} datasets), pipelines (${names.join(', ')}), session`,
    "Try: pipelines.__default__.nodeNames(), await catalog.load('name'), await session.run({ pipeline: 'name' }); .reload after editing conf/ or pipelines/",
    '',
  ].join('\n');
}

function datasetCount(catalog: DataCatalog): number {
  return catalog.listDatasets().filter((d) => !d.startsWith('params:') && d !== 'parameters').length;
}
