import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isPackageEsm } from './package-esm-hooks.mjs';
import { startWorker } from './worker-thread';

// A package's ES module with a dynamic import(): the code tsx rewrites (h5wasm's glue is one).
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-package-esm-'));
const pkg = path.join(root, 'node_modules', 'esm-fixture');
fs.mkdirSync(pkg, { recursive: true });
fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"esm-fixture","type":"module"}');
const SOURCE = "() => import('node:path')";
fs.writeFileSync(path.join(pkg, 'index.js'), `export const later = ${SOURCE};\n`);
const FILE = pathToFileURL(path.join(pkg, 'index.js')).href;
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("packages' ES modules load as plain Node loads them, not through tsx", () => {
  it('isPackageEsm: .js and .mjs ES modules under node_modules only', () => {
    expect(isPackageEsm('file:///p/node_modules/h5wasm/dist/node/hdf5_util.js', 'module')).toBe(true);
    expect(isPackageEsm('file:///p/node_modules/@scope/x/index.mjs', 'module')).toBe(true);
    expect(isPackageEsm('file:///p/node_modules/x/index.js', 'commonjs')).toBe(false);
    expect(isPackageEsm('file:///p/node_modules/x/index.ts', 'module')).toBe(false);
    expect(isPackageEsm('file:///p/lib/io/index.js', 'module')).toBe(false);
    expect(isPackageEsm('node:fs', 'builtin')).toBe(false);
  });

  it('a worker thread running TypeScript (startWorker) gets the package code as written', async () => {
    const worker = startWorker(new URL('./package-esm.fixtures.ts', import.meta.url).href, FILE);
    const text = await new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(text).toBe(SOURCE);
  });

  it("tsx alone rewrites it (what the hooks prevent: h5wasm's 4 MB glue cost 1.7 s and ~600 MB)", () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', `const { later } = await import(${JSON.stringify(FILE)}); console.log(later.toString());`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).not.toBe(SOURCE);
    expect(r.stdout).toContain('__esModule');
  });
});
