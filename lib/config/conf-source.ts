import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './errors';

// tar and fflate are loaded only to unpack an archive: imported at the top they cost every
// `dqm` start ~50 ms. require (both ship CommonJS) keeps the unpacking synchronous.
const requireHere = createRequire(import.meta.url);

/** Where the loader reads `base/` and `<env>/` from, and how it names those files in messages. */
export interface ConfSource {
  /** Absolute folder holding `base/` and the environments. */
  confRoot: string;
  /** A file's name for messages: relative to the project root, or `<archive>/<member>`. */
  label(abs: string): string;
}

const TAR = /\.(tar\.gz|tgz|tar)$/i;
const ZIP = /\.zip$/i;

/**
 * Kedro's `--conf-source`: `conf/` by default, else a folder elsewhere, or a `.tar.gz`/`.tgz`/
 * `.tar`/`.zip` of one (as `kedro package` or `tar -czf conf.tar.gz conf` make). An archive is
 * unpacked once per process into a temp folder removed at exit; its top folder (or its root, if
 * `base/` sits there) is the conf folder. Archives use libraries, not hand-written parsers:
 * node-tar (npm's own, which refuses entries escaping the target folder) and fflate for zip
 * (fast and dependency-free; its entries are checked here before anything is written).
 */
export function openConfSource(root: string, confSource?: string): ConfSource {
  const relLabel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');
  if (confSource === undefined) return { confRoot: path.join(root, 'conf'), label: relLabel };
  const abs = path.resolve(root, confSource);
  if (!existsSync(abs)) throw new ConfigError(`--conf-source '${confSource}' does not exist`);
  if (statSync(abs).isDirectory()) return { confRoot: abs, label: relLabel };
  if (!TAR.test(abs) && !ZIP.test(abs)) {
    throw new ConfigError(`--conf-source '${confSource}' is a file but not a .tar.gz, .tgz, .tar or .zip archive of a conf folder`);
  }
  const dir = unpackOnce(abs, confSource);
  const top = confFolderIn(dir, confSource);
  const archiveLabel = relLabel(abs);
  return { confRoot: top, label: (file) => `${archiveLabel}/${path.relative(dir, file).split(path.sep).join('/')}` };
}

const unpacked = new Map<string, string>();

function unpackOnce(archive: string, given: string): string {
  const key = `${archive}:${statSync(archive).mtimeMs}`;
  const known = unpacked.get(key);
  if (known) return known;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-conf-'));
  if (!unpacked.size) process.once('exit', () => unpacked.forEach((d) => rmSync(d, { recursive: true, force: true })));
  unpacked.set(key, dir);
  try {
    if (ZIP.test(archive)) unzipInto(archive, dir, given);
    else (requireHere('tar') as typeof import('tar')).extract({ file: archive, cwd: dir, sync: true, strict: true });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`--conf-source '${given}' cannot be unpacked: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return dir;
}

function unzipInto(archive: string, dir: string, given: string): void {
  const entries = (requireHere('fflate') as typeof import('fflate')).unzipSync(new Uint8Array(readFileSync(archive)));
  for (const [name, bytes] of Object.entries(entries)) {
    const target = path.resolve(dir, name);
    if (!target.startsWith(dir + path.sep)) throw new ConfigError(`--conf-source '${given}' has an entry outside the archive's folder: '${name}'`);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}

/** The unpacked folder holding `base/`: the archive root, or its one top-level folder. */
function confFolderIn(dir: string, given: string): string {
  if (existsSync(path.join(dir, 'base'))) return dir;
  const tops = readdirSync(dir).filter((n) => !n.startsWith('.') && statSync(path.join(dir, n)).isDirectory());
  const withBase = tops.filter((n) => existsSync(path.join(dir, n, 'base')));
  if (withBase.length === 1) return path.join(dir, withBase[0]!);
  throw new ConfigError(
    `--conf-source '${given}' has no base/ folder: expected <conf-dir>/base/... inside the archive (e.g. made with: tar -czf conf.tar.gz conf)` +
      (tops.length ? `; its top-level folders: ${tops.join(', ')}` : ''),
  );
}
