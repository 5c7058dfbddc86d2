import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand, detectEngine, imageLayout, optionsForProject, renderDockerfile, renderDockerignore } from './index';

const REPO = path.resolve(__dirname, '../..');
// The real `dqm` command (bin/dqm.js registers tsx itself).
const DQM_BIN = path.join(REPO, 'bin/dqm.js');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-docker-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A PATH holding only fake engines (shell scripts), so the host's real tools do not matter. */
function fakePath(name: string, engines: Record<string, string>): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [bin, script] of Object.entries(engines)) {
    fs.writeFileSync(path.join(dir, bin), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  }
  return dir;
}
const NO_DAEMON = 'echo "Client: Docker Engine - Community"; echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1';

function dqm(cwd: string, env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [DQM_BIN, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('renderDockerfile', () => {
  const text = renderDockerfile(optionsForProject(REPO));

  it('is multi-stage on node:20-slim and installs production dependencies only in the runtime path', () => {
    expect(text.match(/^FROM .*$/gm)).toEqual(['FROM node:20-slim AS deps', 'FROM node:20-slim AS build', 'FROM node:20-slim AS runtime']);
    expect(text).toContain('RUN npm ci --omit=dev --no-audit --no-fund');
    // The only node_modules reaching the runtime stage come from the deps stage and the standalone trace.
    const runtime = text.slice(text.indexOf('AS runtime'));
    expect(runtime.match(/^COPY .*$/gm)).toEqual([
      'COPY --from=deps /app/node_modules ./node_modules',
      'COPY --from=build /app/.next/standalone ./',
      'COPY --from=build /app/.next/static ./.next/static',
      'COPY --from=build /app/public ./public',
      'COPY package.json ./package.json',
      ...['bin', 'cli', 'lib', 'pipelines', 'conf', 'server'].filter((d) => fs.existsSync(path.join(REPO, d))).map((d) => `COPY ${d} ./${d}`),
    ]);
    expect(runtime).not.toMatch(/npm (ci|install)(?! --omit=dev)/);
    // The install scripts' folder is there before `npm ci`, and the postinstall build is skipped.
    expect(text.match(/^COPY scripts \.\/scripts$/gm)).toHaveLength(2);
    expect(text.match(/DQM_SKIP_BUILD=1/g)).toHaveLength(2);
    // The builder's SWC compiler and full Next package are pruned: the standalone trace replaces them.
    const removed = text.slice(text.indexOf('&& cd node_modules && rm -rf'), text.indexOf('&& cd ..')).split('\n').slice(1).map((l) => l.replace(/\\$/, '').trim());
    expect(removed.slice(0, 6)).toEqual(['next', '@next', 'react', 'react-dom', 'sharp', '@img']);
  });

  it('runs as a non-root user, serves the dashboard by default and works as `dqm run`', () => {
    expect(text).toMatch(/useradd --system --uid 1001 --gid dqm/);
    expect(text).toMatch(/^USER 1001:1001$/m);
    expect(text.indexOf('USER 1001:1001')).toBeGreaterThan(text.lastIndexOf('COPY'));
    expect(text).toContain('ENTRYPOINT ["dqm-entrypoint"]');
    expect(text).toContain('CMD ["dqm","viz","--host","0.0.0.0","--no-browser"]');
    expect(text).toContain('EXPOSE 4141');
    expect(renderDockerfile({ port: 8080 })).toContain('CMD ["dqm","viz","--host","0.0.0.0","--port","8080","--no-browser"]');
  });

  it('gets a compiler in the install stages only when a production dependency builds a native addon', () => {
    expect(renderDockerfile({ nativeDeps: [] })).not.toContain('g++');
    const native = renderDockerfile({ nativeDeps: ['better-sqlite3'] });
    expect(native.match(/apt-get install -y --no-install-recommends python3 make g\+\+/g)).toHaveLength(2);
    expect(native.slice(native.indexOf('AS runtime'))).not.toContain('g++');
    // Object files and the compiled C sources stay in the deps stage.
    for (const p of ['better-sqlite3/build/Release/obj.target', 'better-sqlite3/deps', 'better-sqlite3/build/Release/*.a']) expect(native).toContain(`       ${p} \\`);
  });

  it('the entrypoint script prefixes dqm unless the first word is a program', () => {
    const line = text.split('\n').find((l) => l.includes('> /usr/local/bin/dqm-entrypoint'))!;
    const script = /printf '(.*)' > \/usr\/local\/bin\/dqm-entrypoint/.exec(line)![1]!.replace(/\\n/g, '\n');
    const file = path.join(tmp, 'entrypoint.sh');
    fs.writeFileSync(file, script.replace('exec "$@"', 'echo "$@"'), { mode: 0o755 });
    const epPath = `${fakePath('ep', { dqm: 'true' })}:/bin:/usr/bin`;
    const run = (...args: string[]) => spawnSync('/bin/sh', [file, ...args], { encoding: 'utf8', env: { ...process.env, PATH: epPath } }).stdout.trim();
    expect(run('run', '--env', 'ci')).toBe('dqm run --env ci');
    expect(run('dqm', 'viz')).toBe('dqm viz');
    expect(run('sh', '-c', 'x')).toBe('sh -c x');
    expect(run()).toBe('dqm');
  });

  it('imageLayout is what the runtime stage copies (the image-contents proof replays it)', () => {
    const layout = imageLayout({ sourceDirs: ['lib'] });
    expect(layout.map((c) => `${c.from}:${c.src}->${c.dest}`)).toEqual([
      'deps:node_modules->node_modules',
      'build:.next/standalone->.',
      'build:.next/static->.next/static',
      'build:public->public',
      'context:package.json->package.json',
      'context:lib->lib',
    ]);
  });

  it('.dockerignore keeps local state, tests and node_modules out of the context', () => {
    const ignore = renderDockerignore().split('\n');
    for (const entry of ['node_modules', '.next', 'data', '.git', '**/*.test.ts', 'e2e']) expect(ignore).toContain(entry);
  });
});

describe('dqm docker init', () => {
  it('writes Dockerfile and .dockerignore, and refuses to overwrite without --force', () => {
    const root = path.join(tmp, 'init');
    fs.mkdirSync(path.join(root, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"p","version":"1.0.0"}');
    const first = dqm(root, {}, 'docker', 'init');
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe(`Wrote ${path.join(root, 'Dockerfile')} and ${path.join(root, '.dockerignore')}. Build with: dqm docker build\n`);
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY lib ./lib');
    expect(dockerfile).not.toContain('COPY pipelines'); // folders the project lacks are not copied
    fs.writeFileSync(path.join(root, 'Dockerfile'), '# mine\n');
    const again = dqm(root, {}, 'docker', 'init');
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`Error: ${path.join(root, 'Dockerfile')} and ${path.join(root, '.dockerignore')} already exist; use --force to overwrite\n`);
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe('# mine\n');
    const forced = dqm(root, {}, 'docker', 'init', '--force');
    expect(forced.status).toBe(0);
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe(dockerfile);
  });
});

describe('dqm docker build', () => {
  it('with only the docker client (no daemon) fails with one clear line and exit 1', () => {
    const bin = fakePath('client-only', { docker: NO_DAEMON });
    const r = dqm(tmp, { PATH: bin }, 'docker', 'build');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "Error: No container engine can build the image. docker is installed but 'docker info' failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running? Start the Docker daemon, or install podman or buildah, or build on a machine that has one (see docs/deployment.md)\n",
    );
  });

  it('with no engine at all says so', () => {
    expect(() => detectEngine({ PATH: fakePath('empty', {}) })).toThrow(
      'No container engine can build the image. Neither docker, podman nor buildah is installed. Start the Docker daemon, or install podman or buildah, or build on a machine that has one (see docs/deployment.md)',
    );
  });

  it('falls back to podman, then buildah, and runs the engine with the tag', () => {
    const log = path.join(tmp, 'build.log');
    const podman = fakePath('podman', { docker: NO_DAEMON, podman: `[ "$1" = info ] && exit 0; echo "podman $*" >> ${log}` });
    expect(detectEngine({ PATH: podman }).name).toBe('podman');
    const buildah = fakePath('buildah', { buildah: 'exit 0' });
    const engine = detectEngine({ PATH: buildah });
    expect(engine.name).toBe('buildah');
    expect(buildCommand(engine, { tag: 'x:1' })).toEqual([path.join(buildah, 'buildah'), 'bud', '-f', 'Dockerfile', '-t', 'x:1', '.']);

    const root = path.join(tmp, 'build');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"@cms/dqm-app","version":"2.1.0"}');
    const missing = dqm(root, { PATH: podman }, 'docker', 'build');
    expect(missing.stderr).toBe(`Error: No Dockerfile in ${root}; write one with: dqm docker init\n`);
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM scratch\n');
    const ok = dqm(root, { PATH: podman }, 'docker', 'build');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('$ podman build -f Dockerfile -t cms/dqm-app:2.1.0 .\n');
    expect(fs.readFileSync(log, 'utf8')).toBe('podman build -f Dockerfile -t cms/dqm-app:2.1.0 .\n');
  });
});
