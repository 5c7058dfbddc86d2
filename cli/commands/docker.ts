import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildCommand, defaultImageTag, DeployError, detectEngine, optionsForProject, renderDockerfile, renderDockerignore } from '../../lib/deploy';
import { action } from '../shared';

/** `dqm docker init|build`: a multi-stage Dockerfile for the project, and building it with whatever engine exists. */
export function register(program: Command): void {
  const docker = program.command('docker').description('Container image of the project: write a Dockerfile, build it');
  docker
    .command('init')
    .description('Write a multi-stage Dockerfile and .dockerignore (Next.js standalone, production deps, non-root user)')
    .option('--force', 'overwrite an existing Dockerfile / .dockerignore')
    .option('--root <dir>', 'project root', '.')
    .action(action((opts: { force?: boolean; root: string }) => dockerInit(path.resolve(opts.root), !!opts.force)));
  docker
    .command('build')
    .description('Build the image with docker, podman or buildah (whichever can build here)')
    .option('-t, --tag <tag>', 'image tag (default: <package name>:<version>)')
    .option('--root <dir>', 'project root', '.')
    .action(action((opts: { tag?: string; root: string }) => dockerBuild(path.resolve(opts.root), opts.tag)));
}

export function dockerInit(root: string, force: boolean): void {
  const files = { Dockerfile: renderDockerfile(optionsForProject(root)), '.dockerignore': renderDockerignore() };
  const existing = Object.keys(files).filter((f) => fs.existsSync(path.join(root, f)));
  if (existing.length && !force) {
    throw new DeployError(`${existing.map((f) => path.join(root, f)).join(' and ')} already exist${existing.length === 1 ? 's' : ''}; use --force to overwrite`, {
      code: 'FILE_EXISTS',
    });
  }
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, name), text);
  console.log(`Wrote ${path.join(root, 'Dockerfile')} and ${path.join(root, '.dockerignore')}. Build with: dqm docker build`);
}

export function dockerBuild(root: string, tag: string | undefined): void {
  const engine = detectEngine();
  const dockerfile = path.join(root, 'Dockerfile');
  if (!fs.existsSync(dockerfile)) throw new DeployError(`No Dockerfile in ${root}; write one with: dqm docker init`);
  const [bin, ...args] = buildCommand(engine, { tag: tag ?? defaultImageTag(root) });
  console.log(`$ ${engine.name} ${args.join(' ')}`);
  const result = spawnSync(bin!, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new DeployError(`${engine.name} build failed (exit code ${result.status ?? result.signal})`);
}
