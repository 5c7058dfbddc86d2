import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { node, shot, waitForGraph } from './dashboard.fixtures';
import { startProxy, type Proxy } from './proxy.fixtures';
import { SHARED } from './global-setup';
import { REPO, startViz, type VizProcess } from './viz-server.fixtures';

const dqm = (args: string[], cwd: string) => spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });

test.describe('the static site (dqm viz build)', () => {
  let www: string;
  let server: ChildProcess;
  let site = '';
  test.beforeAll(async () => {
    www = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-static-'));
    // Published in a sub-folder, as in an EOS web space: nothing may assume the site root.
    const r = dqm(['viz', 'build', '--output', path.join(www, 'user', 'site')], process.env.VIZ_PROJECT_DIR!);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Wrote the static dashboard to .*\/user\/site\/ \(\d+ files/);
    // A plain static server, the one people have: python3 -m http.server.
    server = spawn('python3', ['-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', www], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d;
        const m = /port (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      };
      server.stdout!.on('data', onData);
      server.stderr!.on('data', onData);
      server.once('exit', (c) => reject(new Error(`http.server exited with ${c}: ${out}`)));
    });
    site = `http://127.0.0.1:${port}/user/site/`;
  });
  test.afterAll(() => {
    server?.kill();
    fs.rmSync(www, { recursive: true, force: true });
  });

  test('has the graph, node details, previews, the last run and the plots page, and no credentials', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site);
    await waitForGraph(page);
    await expect(node(page, 'layer_1')).toHaveCount(1);
    await node(page, 'layer_1').dblclick();
    await node(page, 'layer_1.aggregated_properties').click();
    await expect(page.getByTestId('preview-table').locator('tbody tr')).toHaveCount(20);
    await expect(page.getByTestId('run-open')).toHaveCount(0);
    await expect(page.getByTestId('run-entry').first()).toHaveAttribute('data-status', 'success');
    await page.screenshot({ path: shot('share-01-static-graph') });
    await page.goto(`${site}?node=preprocessed_raw_pixel_layer_2`);
    await expect(page.getByTestId('heatmap-plot')).toHaveAttribute('data-ready', 'true');
    await page.getByTestId('ls-slider').fill('3');
    await expect(page.getByTestId('preview-heatmap')).toHaveAttribute('data-ls', '3');
    await page.getByTestId('plots-link').click();
    await expect(page).toHaveURL(new RegExp(`^${site}plots/`));
    await expect(page.getByTestId('timeseries-plot')).toHaveAttribute('data-ready', 'true');
    await page.screenshot({ path: shot('share-02-static-plots') });
    expect(errors).toEqual([]);
    const creds = fs.readFileSync(path.join(process.env.VIZ_PROJECT_DIR!, 'conf/base/credentials.yml'), 'utf8');
    const secrets = [...creds.matchAll(/:\s*["']?([^\s"'#]{6,})["']?\s*$/gm)].map((m) => m[1]!);
    const all = spawnSync('grep', ['-rlF', ...secrets.flatMap((s) => ['-e', s]), path.join(www, 'user', 'site')], { encoding: 'utf8' });
    expect(all.stdout).toBe('');
  });
});

test.describe('behind a path prefix (SWAN, jupyter-server-proxy, OpenShift)', () => {
  let viz: VizProcess;
  let proxy: Proxy;
  test.beforeAll(async () => {
    viz = await startViz(['--base-path', '/user/test/proxy/4141/', '--load-file', path.join(SHARED, 'spaceflights.mock.json')]);
    proxy = await startProxy(viz.url, { keep: '/user/test/proxy/4141/', strip: '/hub/other/' });
  });
  test.afterAll(async () => {
    await proxy?.close();
    await viz?.stop();
  });

  for (const prefix of ['/user/test/proxy/4141/', '/hub/other/']) {
    test(`every page, asset, API call and event stream goes through ${prefix}`, async ({ page }) => {
      const outside: string[] = [];
      page.on('request', (r) => !r.url().startsWith(`${proxy.url}${prefix}`) && !r.url().startsWith('data:') && outside.push(r.url()));
      const events = page.waitForResponse((r) => r.url().startsWith(`${proxy.url}${prefix}api/events`));
      await page.goto(`${proxy.url}${prefix}?token=${viz.token}`);
      await expect(page).toHaveURL(`${proxy.url}${prefix}`);
      await waitForGraph(page);
      expect((await events).status()).toBe(200);
      await node(page, '23c94afb').click();
      await expect(page.getByTestId('metadata-title')).toHaveText('model_input_table');
      await page.getByTestId('plots-link').click();
      await expect(page).toHaveURL(`${proxy.url}${prefix}plots`);
      await expect(page.getByTestId('plots-page')).toBeVisible();
      expect(outside).toEqual([]);
      if (prefix.startsWith('/user')) await page.goBack().then(() => waitForGraph(page)).then(() => page.screenshot({ path: shot('share-03-base-path') }));
    });
  }
});

test('npm start on a fresh clone: simulates, runs the default pipeline with progress, opens with results; lxplus help names this machine', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-first-'));
  for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  for (const f of ['lib', 'node_modules']) fs.symlinkSync(path.join(REPO, f), path.join(dir, f));
  const viz = await startViz(['--simulate-if-missing', '24'], { cwd: dir, timeoutMs: 120_000 });
  try {
    const out = viz.output();
    expect(out).toContain('generating simulated runs');
    expect(out).toContain('Running the default pipeline');
    // 9 nodes per layer, and the 1D cluster-charge reference per layer (cluster_charge in __default__)
    expect(out).toMatch(/completed in [\d.]+m?s: 40\/40 nodes completed/);
    expect(out).not.toMatch(/Running next\.config|▲ Next\.js/);
    const user = process.env.USER || os.userInfo().username;
    // The graph answers before Next has loaded; the ready message with the help follows it.
    await expect.poll(() => viz.output(), { timeout: 30_000 }).toContain(`ssh -L ${new URL(viz.url).port}:localhost:${new URL(viz.url).port} ${user}@${os.hostname()}`);
    expect(viz.output()).toContain('Or open the tunnel first and start the dashboard in that same session:');
    await page.goto(`${viz.url}plots?token=${viz.token}`);
    await expect(page.getByTestId('timeseries-plot')).toHaveAttribute('data-ready', 'true');
    await page.goto(viz.url);
    await waitForGraph(page);
    await expect(page.getByTestId('run-entry').first()).toHaveAttribute('data-status', 'success');
    await expect(page.getByTestId('first-run')).toHaveCount(0);
  } finally {
    await viz.stop();
  }
  // Data but no run yet: the graph and /plots offer the default run; it fills /plots.
  fs.rmSync(path.join(dir, '.dqm'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'data', '04_feature'), { recursive: true, force: true });
  const bare = await startViz([], { cwd: dir });
  try {
    await page.goto(`${bare.url}?token=${bare.token}`);
    await waitForGraph(page);
    await expect(page.getByTestId('first-run')).toBeVisible();
    await page.goto(`${bare.url}plots`);
    await expect(page.getByTestId('plots-empty')).toBeVisible();
    await page.getByTestId('run-default').click();
    await expect(page.getByTestId('timeseries-plot')).toHaveAttribute('data-ready', 'true', { timeout: 90_000 });
  } finally {
    await bare.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
