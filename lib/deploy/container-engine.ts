import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DeployError } from './errors';

export type EngineName = 'docker' | 'podman' | 'buildah';

export interface Engine {
  name: EngineName;
  /** Absolute path of the executable. */
  bin: string;
}

const ENGINES: EngineName[] = ['docker', 'podman', 'buildah'];

/** Finds an executable on a PATH string, without spawning `which`. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here: try the next folder
    }
  }
  return undefined;
}

/**
 * The first engine that can build: docker only if its daemon answers (`docker info`; a machine
 * may have the client alone), podman if `podman info` works, buildah if installed (daemonless).
 * Throws a DeployError saying what was found and why it cannot build.
 */
export function detectEngine(env: Record<string, string | undefined> = process.env): Engine {
  const problems: string[] = [];
  for (const name of ENGINES) {
    const bin = findOnPath(name, env.PATH);
    if (!bin) continue;
    const probe = name === 'buildah' ? ['--version'] : ['info'];
    const result = spawnSync(bin, probe, { env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 20_000 });
    if (result.status === 0) return { name, bin };
    const reason = firstLine(result.stderr) || firstLine(result.error?.message) || `exit code ${result.status}`;
    problems.push(`${name} is installed but '${name} ${probe.join(' ')}' failed: ${reason}`);
  }
  const found = problems.length ? `${problems.join('; ')}${/[.?!]$/.test(problems.at(-1)!) ? ' ' : '. '}` : 'Neither docker, podman nor buildah is installed. ';
  throw new DeployError(
    `No container engine can build the image. ${found}Start the Docker daemon, or install podman or buildah, or build on a machine that has one (see docs/deployment.md)`,
    { code: 'NO_CONTAINER_ENGINE' },
  );
}

/** The command that builds the project's image with that engine. */
export function buildCommand(engine: Engine, opts: { tag: string; dockerfile?: string; context?: string }): string[] {
  const file = ['-f', opts.dockerfile ?? 'Dockerfile'];
  const context = opts.context ?? '.';
  if (engine.name === 'buildah') return [engine.bin, 'bud', ...file, '-t', opts.tag, context];
  return [engine.bin, 'build', ...file, '-t', opts.tag, context];
}

function firstLine(text: string | undefined | null): string {
  return (text ?? '').trim().split('\n')[0]?.trim() ?? '';
}

/** `<package name>:<version>` from the project's package.json (what `dqm docker build` tags by default). */
export function defaultImageTag(root: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
    const name = (pkg.name ?? 'dqm-project').replace(/^@/, '').replace(/[^a-z0-9._/-]/g, '-');
    return `${name}:${pkg.version ?? 'latest'}`;
  } catch {
    return 'dqm-project:latest';
  }
}
