import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleImageDir, directorySize, dockerignoreMatcher, renderDockerignore, standaloneFromTraces } from './index';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-image-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

/** Every file under a folder, relative, sorted. */
function list(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('assembleImageDir', () => {
  it('copies exactly what the Dockerfile copies: production packages minus the pruned ones, standalone, sources without tests', () => {
    const root = path.join(tmp, 'project');
    const lock = {
      packages: {
        '': { name: 'p' },
        'node_modules/yaml': {},
        'node_modules/better-sqlite3': { hasInstallScript: true },
        'node_modules/tsx': {},
        'node_modules/tsx/node_modules/inner': {},
        'node_modules/tsx/node_modules/devonly': { dev: true },
        'node_modules/next': {},
        'node_modules/@next/swc-linux-x64-gnu': { optional: true },
        'node_modules/@esbuild/darwin-arm64': { optional: true },
        'node_modules/vitest': { dev: true },
        'node_modules/@playwright/test': { devOptional: true },
      },
    };
    write(root, {
      'package.json': '{"name":"p","type":"module"}',
      'package-lock.json': JSON.stringify(lock),
      'node_modules/yaml/index.js': 'yaml',
      'node_modules/better-sqlite3/lib/index.js': 'js',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node': 'addon',
      'node_modules/better-sqlite3/build/Release/obj.target/x.o': 'object',
      'node_modules/better-sqlite3/build/Release/sqlite3.a': 'archive',
      'node_modules/better-sqlite3/deps/sqlite3.c': 'c source',
      'node_modules/tsx/index.js': 'tsx',
      'node_modules/tsx/node_modules/inner/index.js': 'inner',
      'node_modules/tsx/node_modules/devonly/index.js': 'dev',
      'node_modules/next/index.js': 'full next',
      'node_modules/@next/swc-linux-x64-gnu/swc.node': 'swc',
      'node_modules/vitest/index.js': 'vitest',
      'node_modules/@playwright/test/index.js': 'pw',
      '.next/standalone/server.js': 'server',
      '.next/standalone/.next/BUILD_ID': 'b1',
      '.next/standalone/node_modules/next/dist/server/next.js': 'traced next',
      '.next/static/chunks/app.js': 'chunk',
      '.next/cache/big.bin': 'cache',
      'lib/a.ts': 'a',
      'lib/a.test.ts': 'test',
      'bin/dqm.js': 'bin',
      'conf/base/catalog.yml': '{}',
      'conf/local/credentials.yml': 'secret: 1',
      'e2e/x.spec.ts': 'e2e',
      'data/01_raw/x.csv': 'x',
    });
    const dest = path.join(tmp, 'image');
    const size = assembleImageDir(root, dest);
    expect(list(dest)).toEqual([
      '.next/BUILD_ID',
      '.next/static/chunks/app.js',
      'bin/dqm.js',
      'conf/base/catalog.yml',
      'lib/a.ts',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3/lib/index.js',
      'node_modules/next/dist/server/next.js',
      'node_modules/tsx/index.js',
      'node_modules/tsx/node_modules/inner/index.js',
      'node_modules/yaml/index.js',
      'package.json',
      'server.js',
    ]);
    expect(fs.readdirSync(path.join(dest, 'data'))).toEqual([]);
    expect(fs.existsSync(path.join(dest, 'public'))).toBe(true);
    expect(size).toEqual(directorySize(dest));
    expect(size.files).toBe(13);
  });

  it('says what is missing when the dashboard was not built standalone', () => {
    const root = path.join(tmp, 'unbuilt');
    write(root, { 'package.json': '{}' });
    expect(() => assembleImageDir(root, path.join(tmp, 'unbuilt-image'))).toThrow(
      `${path.join(root, '.next/standalone')} does not exist: the dashboard must be built with output: 'standalone' in next.config.js (npm run build)`,
    );
  });

  it('refuses a non-empty destination', () => {
    const dest = path.join(tmp, 'full');
    write(dest, { 'x.txt': 'x' });
    expect(() => assembleImageDir(tmp, dest)).toThrow(`Image folder ${dest} is not empty`);
  });
});

describe('dockerignoreMatcher', () => {
  it('matches the generated patterns', () => {
    const ignored = dockerignoreMatcher(renderDockerignore());
    expect(['node_modules/x', '.next', 'lib/io/a.test.ts', 'a.test.ts', 'conf/local/credentials.yml', 'tsconfig.tsbuildinfo'].filter(ignored)).toHaveLength(6);
    expect(['lib/io/a.ts', 'conf/local/parameters.yml', 'datasets/x', 'e2etools'].filter(ignored)).toEqual([]);
  });
});

describe('standaloneFromTraces', () => {
  it("copies the union of Next's file traces, as output: 'standalone' does, minus the pruned packages", () => {
    const root = path.join(tmp, 'traced');
    write(root, {
      '.next/required-server-files.json': JSON.stringify({ files: ['.next/BUILD_ID', '.next/routes-manifest.json'] }),
      '.next/BUILD_ID': 'b',
      '.next/routes-manifest.json': '{}',
      '.next/next-server.js.nft.json': JSON.stringify({ files: ['../node_modules/next/dist/server/next-server.js', '../node_modules/sharp/lib/index.js', '../../outside.js'] }),
      '.next/server/app/page.js': 'page',
      '.next/server/app/page.js.nft.json': JSON.stringify({ files: ['../chunks/a.js', '../../../node_modules/react/index.js'] }),
      '.next/server/chunks/a.js': 'chunk',
      '.next/server/chunks/unused.js': 'unused',
      '.next/cache/x': 'cache',
      'node_modules/next/dist/server/next-server.js': 'ns',
      'node_modules/next/dist/server/next.js': 'not traced',
      'node_modules/sharp/lib/index.js': 'sharp',
      'node_modules/react/index.js': 'react',
    });
    const dest = path.join(tmp, 'traced-standalone');
    expect(standaloneFromTraces(root, dest, ['sharp'])).toEqual([
      '.next/BUILD_ID',
      '.next/routes-manifest.json',
      '.next/server/app/page.js',
      '.next/server/chunks/a.js',
      'node_modules/next/dist/server/next-server.js',
      'node_modules/react/index.js',
    ]);
    expect(list(dest)).toHaveLength(6);
  });
});
