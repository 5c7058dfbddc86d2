import path from 'node:path';
import type { Command } from 'commander';
import { VizError } from '../../lib/viz';
import { action, loadProjectFromOptions } from '../shared';

interface BuildOptions {
  output?: string;
  maxLs: string;
  loadFile?: string;
  env?: string;
  params?: string;
}

/** `dqm viz build --output DIR`: the dashboard as a static site (see lib/viz/static-build.ts). */
export function registerBuild(viz: Command, appDir: string): void {
  viz
    .command('build')
    .description('Write the dashboard as a static site (graph, node details, previews, last run, plots) to publish on any static host')
    .requiredOption('-o, --output <dir>', 'folder to write (created; a previous build there is replaced)')
    .option('--max-ls <n>', 'LS maps written per histogram dataset (the slider range of the static site)', '50')
    .option('--load-file <file>', 'build from a saved graph (ours or a Kedro-Viz export) instead of the project')
    .option('-e, --env <env>', 'configuration environment (folder under conf/)', 'local')
    .option('--params <key=value,...>', 'override parameters')
    // `viz` has --load-file, --env and --params too: commander may give them to it, so both are read.
    .action(action((_opts: BuildOptions, cmd: Command) => build(cmd.optsWithGlobals<BuildOptions>(), appDir)));
}

async function build(opts: BuildOptions, appDir: string): Promise<void> {
  const maxLs = Number(opts.maxLs);
  if (!Number.isInteger(maxLs) || maxLs < 1) throw new VizError(`--max-ls must be a positive integer, got '${opts.maxLs}'`);
  const started = performance.now();
  const root = process.cwd();
  const [{ buildStaticSite, VizService }, runsModule] = await Promise.all([import('../../lib/viz'), opts.loadFile ? Promise.resolve(null) : import('../../lib/runs')]);
  const service = await VizService.open(opts.loadFile ? { kind: 'file', path: path.resolve(opts.loadFile) } : { kind: 'project', root, load: () => loadProjectFromOptions({ env: opts.env, params: opts.params }, root) });
  const runs = runsModule ? new runsModule.RunManager({ root, env: opts.env ?? 'local' }) : undefined;
  try {
    const summary = await buildStaticSite({ appDir, outDir: opts.output!, service, runs, maxLs, onProgress: (t) => process.stdout.write(`  ${t}\n`) });
    const out = path.relative(root, path.resolve(opts.output!)) || '.';
    process.stdout.write(
      `Wrote the static dashboard to ${out}/ (${summary.files} files, ${(summary.bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s.\n` +
        `Open it with any static web server, e.g.:\n  python3 -m http.server --directory ${out} 8000   # then http://localhost:8000/\n` +
        `or copy the folder to your EOS/CERNBox web space or a GitLab Pages public/ folder.\n`,
    );
  } finally {
    await runs?.close();
  }
}
