import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { removeStaleTempFiles } from '../../lib/io';
import { buildFullGraph, catalogFacts, catalogLayerOrder, VizError } from '../../lib/viz';
import { normaliseBasePath } from '../../server/base-path';
import { openerCommand, openInBrowser, redirectFolder, writeRedirectFile } from '../../server/browser-opener';
import { generateToken } from '../../server/security';
import { action, addProjectOptions, loadProjectFromOptions } from '../shared';
import { registerBuild } from './viz-build';

interface VizOptions {
  host: string;
  port: string;
  browser: boolean;
  env?: string;
  pipeline?: string;
  params?: string;
  autoreload?: boolean;
  saveFile?: string;
  loadFile?: string;
  simulateIfMissing?: boolean | string;
  token: string | boolean;
  allowHost: string[];
  basePath?: string;
}

/** The repository (where `.next/` lives), which is not the user's project folder under npx. */
const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));

export function register(program: Command): void {
  const cmd = program
    .command('viz')
    .description('Start the dashboard (Kedro-Viz replacement): pipeline graph, node details, dataset previews')
    .option('--host <host>', 'interface to listen on (127.0.0.1 keeps it private to this machine)', '127.0.0.1')
    .option('--port <port>', 'port to listen on; a taken port is an error, never silently changed', '4141')
    .option('--no-browser', 'do not open a browser (on lxplus: print the URL and the ssh tunnel command)')
    .option('--pipeline <name>', 'pipeline shown first')
    .option('--autoreload', 'reload the graph when pipelines/ or conf/ change; open pages refresh')
    .option('--save-file <file>', 'write the graph JSON (Kedro-Viz format) to FILE and exit')
    .option('--load-file <file>', 'serve a saved graph (ours or a Kedro-Viz export) instead of the project')
    .option('--token <token>', 'access token (default: a random one, printed in the URL; or the DQM_VIZ_TOKEN env var, which other users cannot see in ps)')
    .option('--no-token', 'no access token: ONLY on a single-user machine (anyone who can reach the port can start runs)')
    .option('--allow-host <name>', 'also accept this Host name (behind a proxy or with --host 0.0.0.0); repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--base-path <path>', 'also serve under this path prefix, behind a proxy (SWAN: /user/NAME/proxy/4141/); X-Forwarded-Prefix works too')
    .option('--simulate-if-missing [lumisections]', 'first use (npm start): when data/01_raw has no pixel maps, simulate runs (500 LS per layer) and run the default pipeline first');
  addProjectOptions(cmd).action(action((opts: VizOptions) => viz(opts)));
  registerBuild(cmd, APP_DIR);
}

async function viz(opts: VizOptions): Promise<void> {
  const started = performance.now();
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new VizError(`--port must be an integer between 1 and 65535, got '${opts.port}'`);
  if (opts.loadFile && opts.saveFile) throw new VizError('--load-file and --save-file cannot be used together');
  if (opts.basePath !== undefined) opts.basePath = basePathOption(opts.basePath);
  if (opts.loadFile && (opts.params || opts.autoreload)) throw new VizError('--load-file serves a saved graph: --params and --autoreload do not apply to it');
  const root = process.cwd();
  if (opts.simulateIfMissing && !opts.loadFile && !opts.saveFile) await simulateIfMissing(root, opts.env, opts.simulateIfMissing === true ? 500 : Number(opts.simulateIfMissing));
  if (!opts.loadFile && !opts.saveFile) {
    // A save killed mid-way (kill -9, power loss) leaves `<file>.tmp-<pid>-<rand>` beside the untouched target.
    const stale = removeStaleTempFiles(path.join(root, 'data'));
    if (stale.length) process.stdout.write(`Removed ${stale.length} temp file(s) left by interrupted saves: ${stale.map((f) => path.relative(root, f)).join(', ')}\n`);
  }

  if (opts.saveFile) {
    const project = await loadProjectFromOptions({ env: opts.env, params: opts.params }, root);
    const catalog = project.createCatalog();
    const graph = buildFullGraph({ pipelines: project.pipelines, parameters: project.parameters, describeDataset: (n) => catalogFacts(project, catalog, n), layerOrder: catalogLayerOrder(project.config?.catalog) });
    fs.mkdirSync(path.dirname(path.resolve(opts.saveFile)), { recursive: true });
    fs.writeFileSync(opts.saveFile, `${JSON.stringify(graph, null, 2)}\n`);
    process.stdout.write(`Saved the graph (${graph.nodes.length} nodes, ${graph.edges.length} edges, ${graph.pipelines.length} pipelines) to ${opts.saveFile}\n`);
    return;
  }

  const token = accessToken(opts.token);
  // Imported here: the other subcommands never load the server (nor Next).
  const { startDashboard } = await import('../../server/dashboard');
  const dashboard = await startDashboard({
    root,
    env: opts.env ?? 'local',
    dir: APP_DIR,
    host: opts.host,
    port,
    security: { token, allowHosts: opts.allowHost },
    basePath: opts.basePath,
    loadProject: (fresh) => loadProjectFromOptions({ env: opts.env, params: opts.params }, root, fresh),
    loadFile: opts.loadFile ? path.resolve(opts.loadFile) : undefined,
    pipeline: opts.pipeline,
    autoreload: opts.autoreload ? { onChange: (file) => process.stdout.write(`Change in ${file}: reloading the project\n`) } : undefined,
  });

  const query = new URLSearchParams();
  if (opts.pipeline) query.set('pipeline', opts.pipeline);
  if (token !== undefined) query.set('token', token);
  const url = dashboard.url + (query.size ? `?${query}` : '');
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`Dashboard ready at ${url} (${opts.loadFile ? `graph file ${opts.loadFile}` : `project ${root}`}; started in ${ms} ms). Ctrl+C to stop.\n`);
  if (opts.basePath) process.stdout.write(`Behind your proxy: <proxy origin>${opts.basePath.replace(/\/?$/, '/')}${query.size ? `?${query}` : ''}\n`);
  if (!opts.browser) {
    process.stdout.write(tunnelHelp(port, query.size ? `?${query}` : '', opts.host));
  }
  // The token URL never goes on a command line (ps shows argv to every user): a 0600 redirect file does.
  const redirect = opts.browser ? openDashboard(root, Number(new URL(dashboard.url).port), url) : undefined;

  const stop = () => {
    if (redirect) fs.rmSync(redirect, { force: true });
    void dashboard.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * `--token T`, else DQM_VIZ_TOKEN, else a random one; `--no-token` disables it. The env var is
 * removed once read so the run processes this server forks never inherit it.
 */
function accessToken(option: string | boolean): string | undefined {
  const fromEnv = process.env.DQM_VIZ_TOKEN;
  delete process.env.DQM_VIZ_TOKEN;
  if (option === false) return undefined;
  if (typeof option === 'string') {
    if (option.length < 8) throw new VizError(`--token must be at least 8 characters long, got ${option.length}`);
    return option;
  }
  if (fromEnv) return fromEnv;
  return generateToken();
}

/**
 * How to reach the dashboard from a laptop. lxplus.cern.ch is a load-balanced alias: a new ssh
 * to it lands on another machine, so the tunnel must name THIS machine (lxplus9NN.cern.ch); or
 * open the tunnel first and start `dqm viz` inside that same session.
 */
export function tunnelHelp(port: number, query: string, host: string): string {
  const user = process.env.USER || os.userInfo().username;
  const name = os.hostname();
  const fqdn = name.includes('.') || !/^lxplus/i.test(name) ? name : `${name}.cern.ch`;
  const lxplus = /^lxplus/i.test(name);
  const bound = host === '0.0.0.0' || host === '::' ? 'localhost' : host === '127.0.0.1' ? 'localhost' : host;
  return [
    `From your laptop, open a tunnel to this machine (${fqdn}${lxplus ? ': lxplus.cern.ch is a load-balanced alias, a new login lands on another machine' : ''}):`,
    `  ssh -L ${port}:${bound}:${port} ${user}@${fqdn}`,
    `then browse to http://localhost:${port}/${query}`,
    `Or open the tunnel first and start the dashboard in that same session:`,
    `  ssh -L ${port}:localhost:${port} ${user}@${lxplus ? 'lxplus.cern.ch' : fqdn}`,
    `  cd ${process.cwd()} && npx dqm viz --no-browser --port ${port}`,
    '',
  ].join('\n');
}

/**
 * `npm start` on a fresh checkout: the default project ships no data, so simulate it once and
 * run the default pipeline (with progress), so the dashboard opens with results to show.
 */
async function simulateIfMissing(root: string, env: string | undefined, lumisections: number): Promise<void> {
  if (!Number.isInteger(lumisections) || lumisections < 1) throw new VizError(`--simulate-if-missing takes a number of lumisections (a positive integer), got '${lumisections}'`);
  const raw = path.join(root, 'data', '01_raw');
  const hasMaps = fs.existsSync(raw) && fs.readdirSync(raw).some((d) => d.startsWith('pixel_layer_') && fs.readdirSync(path.join(raw, d)).length > 0);
  if (hasMaps || !fs.existsSync(path.join(root, 'pipelines', 'registry.ts'))) return;
  process.stdout.write('No pixel maps in data/01_raw yet: generating simulated runs (as `dqm simulate`)…\n');
  const { writeSimulation } = await import('../../lib/dqm');
  const s = await writeSimulation({ seed: 1, lumisections, runs: 1, layers: [1, 2, 3, 4], firstRun: 357000, chunkSize: 1000, anomalies: true }, raw);
  process.stdout.write(`Wrote ${s.files.length} file(s) in ${(s.durationMs / 1000).toFixed(1)} s. Running the default pipeline (as \`dqm run\`)…\n`);
  const [{ recordCliRun }, { RunReporter }] = await Promise.all([import('../../lib/runs'), import('../run-reporter')]);
  const project = await loadProjectFromOptions({ env }, root);
  const reporter = new RunReporter();
  try {
    const result = await recordCliRun(project, { resumeArgs: [] }, reporter.onEvent);
    process.stdout.write(reporter.summary(result));
  } catch (error) {
    reporter.stop();
    // The dashboard still opens: the failed node and its resume command are in its run history.
    process.stdout.write(`The default pipeline failed (${error instanceof Error ? error.message : String(error)}); the dashboard shows where.\n`);
  }
}

/** `--base-path`, checked before anything starts (it is written into the pages). */
function basePathOption(p: string): string {
  try {
    return normaliseBasePath(p);
  } catch (error) {
    throw new VizError((error as Error).message, { cause: error });
  }
}

/** Writes the redirect file and opens it; nothing (and no file) without an opener (lxplus, CI). */
function openDashboard(root: string, port: number, url: string): string | undefined {
  const opener = openerCommand();
  if (!opener) return undefined;
  const file = writeRedirectFile(redirectFolder(root), port, url);
  openInBrowser(file, opener);
  return file;
}
