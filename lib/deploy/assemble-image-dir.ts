import fs from 'node:fs';
import path from 'node:path';
import { imageLayout, nativeLeftovers, optionsForProject, productionPackages, renderDockerignore, resolveOptions, type DockerfileOptions } from './dockerfile';
import { DeployError } from './errors';

/**
 * The image-contents proof without a Docker engine: replays the runtime stage's COPY list
 * (`imageLayout`, the same data the Dockerfile is rendered from) into a fresh folder.
 * - deps stage: the lockfile's production packages (what `npm ci --omit=dev` installs) copied
 *   from the project's node_modules, minus the pruned ones;
 * - build stage: `.next/standalone`, `.next/static`, `public` from the project's own `next build`;
 * - context: the sources, filtered by the generated `.dockerignore`.
 */
export function assembleImageDir(
  root: string,
  dest: string,
  opts: DockerfileOptions = {},
  build: {
    /** Skip the build stage's copies when there is no standalone build (a partial figure, for benchmarks). */
    allowMissingBuild?: boolean;
    /** Take the standalone output from this folder instead of `.next/standalone` (see standaloneFromTraces). */
    standaloneDir?: string;
  } = {},
): { files: number; bytes: number } {
  // The same options `dqm docker init` derives from the project (folders that exist, native deps).
  const o = resolveOptions(optionsForProject(root, opts));
  if (fs.existsSync(dest) && fs.readdirSync(dest).length) throw new DeployError(`Image folder ${dest} is not empty`);
  const standalone = build.standaloneDir ?? path.join(root, '.next/standalone');
  const built = fs.existsSync(standalone);
  if (!built && !build.allowMissingBuild) {
    throw new DeployError(
      `${standalone} does not exist: the dashboard must be built with output: 'standalone' in next.config.js (npm run build)`,
      { code: 'NO_STANDALONE' },
    );
  }
  const ignored = dockerignoreMatcher(renderDockerignore());
  for (const copy of imageLayout(o)) {
    const target = path.join(dest, copy.dest);
    if (copy.from === 'deps') {
      copyProductionModules(root, target, o.prune, nativeLeftovers(o.nativeDeps));
    } else if (copy.from === 'build') {
      if (!built) continue;
      const src = copy.src === '.next/standalone' ? standalone : path.join(root, copy.src);
      if (copy.src === '.next/standalone') {
        copyTree(src, target, (rel) => o.standalonePrune.some((p) => rel === path.join('node_modules', p) || rel.startsWith(path.join('node_modules', p) + path.sep)));
        continue;
      }
      // `mkdir -p public` in the build stage: the folder always exists in the image.
      if (!fs.existsSync(src) && copy.src === 'public') fs.mkdirSync(target, { recursive: true });
      else copyTree(src, target, () => false);
    } else {
      copyTree(path.join(root, copy.src), target, (rel) => ignored(path.join(copy.src, rel)));
    }
  }
  fs.mkdirSync(path.join(dest, 'data'), { recursive: true });
  fs.mkdirSync(path.join(dest, '.dqm'), { recursive: true });
  return directorySize(dest);
}

/** Files and bytes (apparent size) under a folder, symlinks not followed. */
export function directorySize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += fs.lstatSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

function copyProductionModules(root: string, target: string, prune: string[], leftovers: string[]): void {
  const pruned = (p: string) => prune.some((name) => p === `node_modules/${name}` || p.startsWith(`node_modules/${name}/`));
  const leftover = dockerignoreMatcher(leftovers.join('\n'));
  for (const pkg of productionPackages(root)) {
    if (pruned(pkg.path)) continue;
    const src = path.join(root, pkg.path);
    // Packages for other platforms are in the lockfile but not installed (npm ci skips them too).
    if (!fs.existsSync(src)) continue;
    // Nested node_modules are lockfile entries of their own: copied (or not) on their own merits.
    const name = pkg.path.slice('node_modules/'.length);
    copyTree(
      src,
      path.join(target, name),
      (rel) => rel === 'node_modules' || rel.startsWith(`node_modules${path.sep}`) || leftover(path.join(name, rel)),
    );
  }
}

/** Recursive copy (Docker COPY semantics: a folder's contents merge into the target), keeping symlinks. */
function copyTree(src: string, dest: string, skip: (rel: string) => boolean): void {
  const stat = fs.lstatSync(src);
  if (!stat.isDirectory()) {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(src, dest);
    return;
  }
  const walk = (rel: string) => {
    const from = path.join(src, rel);
    fs.mkdirSync(path.join(dest, rel), { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
      const childRel = path.join(rel, e.name);
      if (skip(childRel)) continue;
      const to = path.join(dest, childRel);
      if (e.isDirectory()) walk(childRel);
      else if (e.isSymbolicLink()) {
        fs.rmSync(to, { force: true });
        fs.symlinkSync(fs.readlinkSync(path.join(src, childRel)), to);
      } else fs.copyFileSync(path.join(src, childRel), to);
    }
  };
  walk('');
}

/** The subset of .dockerignore syntax we generate: exact paths, `*` within a name, `**` across folders. */
export function dockerignoreMatcher(text: string): (rel: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => {
      const re = p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/\u0000/g, '(?:.*/)?');
      return new RegExp(`^${re}(?:/.*)?$`);
    });
  return (rel) => {
    const posix = rel.split(path.sep).join('/');
    return patterns.some((re) => re.test(posix));
  };
}
