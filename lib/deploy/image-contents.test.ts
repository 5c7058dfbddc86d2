import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleImageDir, DEFAULT_STANDALONE_PRUNE, directorySize, standaloneFromTraces } from './index';

/**
 * The image-contents proof (issue 8) without a Docker engine: what the runtime stage copies,
 * assembled in a folder outside the repository (no node_modules in reach), must stay under
 * 150 MB and run the CI pipeline. Needs the dashboard build (`npm run build`, done by
 * `npm ci`'s postinstall, and `npm test` builds first); without it the test fails and says so. The dashboard half of the proof and
 * the size breakdown are in bench/image-size.ts.
 */
const REPO = path.resolve(__dirname, '../..');
const built = fs.existsSync(path.join(REPO, '.next/required-server-files.json'));
const MB = 1e6;

describe('the image contents (needs `npm run build`)', () => {
  it('has a dashboard build to copy', () => {
    expect(built, 'no .next build: run `npm run build` (npm test does it first)').toBe(true);
  });

  let tmp: string;
  let image: string;
  let size: { files: number; bytes: number };
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-image-test-'));
    let standaloneDir: string | undefined;
    if (!fs.existsSync(path.join(REPO, '.next/standalone'))) {
      // Built without output: 'standalone': rebuild it from the traces Next wrote anyway.
      standaloneDir = path.join(tmp, 'standalone');
      standaloneFromTraces(REPO, standaloneDir, DEFAULT_STANDALONE_PRUNE);
    }
    image = path.join(tmp, 'app');
    size = assembleImageDir(REPO, image, {}, { standaloneDir });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is under 150 MB, against the original 1.45 GB pip layer', () => {
    console.log(`image folder: ${(size.bytes / MB).toFixed(1)} MB in ${size.files} files`);
    expect(size.bytes).toBeLessThan(150 * MB);
    for (const part of ['node_modules', '.next/static', 'bin/dqm.js', 'lib', 'pipelines', 'conf/ci']) expect(fs.existsSync(path.join(image, part)), part).toBe(true);
  });

  it('runs `dqm simulate` and `dqm run --env ci` with no other node_modules in reach', () => {
    for (let dir = path.dirname(image); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      expect(fs.existsSync(path.join(dir, 'node_modules')), dir).toBe(false);
    }
    const env = { PATH: process.env.PATH, HOME: image, NODE_ENV: 'production' } as NodeJS.ProcessEnv;
    const dqm = (...args: string[]) => spawnSync(process.execPath, ['bin/dqm.js', ...args], { cwd: image, env, encoding: 'utf8' });
    const sim = dqm('simulate', '--lumisections', '40', '--layers', '1,2');
    expect(sim.stderr).toBe('');
    expect(sim.status).toBe(0);
    const run = dqm('run', '--env', 'ci');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(directorySize(path.join(image, 'data/08_reporting')).files).toBeGreaterThan(0);
  });
});
