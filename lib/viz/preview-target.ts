import fs from 'node:fs';
import path from 'node:path';

/**
 * What the dashboard may read for a preview, judged on REAL paths: a catalog entry whose file
 * (or folder) is a symbolic link out of the project, `file://../../etc/passwd`, or an absolute
 * path elsewhere is never read; a remote URL or a dataset without a file (an API endpoint) is
 * never fetched, since that would call the website with the user's credentials.
 */
export type PreviewTarget =
  | { kind: 'file'; abs: string }
  | { kind: 'outside' }
  | { kind: 'remote'; scheme: string }
  | { kind: 'no-file' };

export const OUTSIDE_PROJECT = 'The dashboard previews only files inside the project folder';
export const NO_NETWORK = 'The dashboard never calls a remote service for a preview (it would use your credentials): run the pipeline and preview a dataset it saved';

/** `filepath` as the catalog has it (relative to `root`, absolute, `file://…` or `s3://…`), or null. */
export function previewTarget(root: string, filepath: string | null): PreviewTarget {
  const local = localPathOf(root, filepath);
  if (typeof local !== 'string') return local;
  return judged(root, local, realPathOf(local));
}

/** Real paths being resolved, per absolute path: requests arriving meanwhile share one. */
const resolving = new Map<string, Promise<string>>();

/**
 * previewTarget without blocking the event loop: the dataset's real path from libuv's thread
 * pool (one realpath(3) there, not an lstat per path component on the loop), shared by the
 * requests that ask while it is in flight. The LS slider's map requests ask it each time;
 * synchronous, it stalled the dashboard by up to 100 ms while a run rewrote files (bench:load).
 */
export async function previewTargetAsync(root: string, filepath: string | null): Promise<PreviewTarget> {
  const local = localPathOf(root, filepath);
  if (typeof local !== 'string') return local;
  let pending = resolving.get(local);
  if (!pending) {
    // A path that does not resolve (missing, dangling link) is judged by realPathOf's walk.
    pending = fs.promises.realpath(local).catch(() => realPathOf(local));
    resolving.set(local, pending);
    void pending.finally(() => resolving.delete(local));
  }
  return judged(root, local, await pending);
}

function judged(root: string, abs: string, real: string): PreviewTarget {
  const realRoot = realRootOf(root);
  return real === realRoot || real.startsWith(realRoot + path.sep) ? { kind: 'file', abs } : { kind: 'outside' };
}

/** The absolute local path `filepath` names, or the target when it names none (no file, a remote URL). */
function localPathOf(root: string, filepath: string | null): string | PreviewTarget {
  if (filepath === null || filepath === '') return { kind: 'no-file' };
  let local = filepath;
  // resolveDataPath's reading of file:// (the rest is a path, relative or absolute), judged the same way.
  if (/^file:\/\//i.test(local)) local = local.slice('file://'.length);
  else {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(local);
    if (scheme) return { kind: 'remote', scheme: scheme[1]!.toLowerCase() };
  }
  return path.isAbsolute(local) ? local : path.resolve(root, local);
}

/**
 * The project folder's real path, resolved once per root: every preview and LS map asks,
 * and two realpathSync calls a request blocked the event loop under 200 connections
 * (bench:load profile). The dataset's own path is still resolved each time (a link may change).
 */
const realRoots = new Map<string, string>();
function realRootOf(root: string): string {
  const key = path.resolve(root);
  let real = realRoots.get(key);
  if (real === undefined) realRoots.set(key, (real = realPathOf(key)));
  return real;
}

/**
 * The real path of `p` with every link resolved; for a path that does not exist yet, the real
 * path of its nearest existing parent plus the rest (a link higher up still counts).
 */
export function realPathOf(p: string): string {
  const rest: string[] = [];
  let at = path.resolve(p);
  for (let hops = 0; ; hops++) {
    try {
      return path.join(fs.realpathSync(at), ...rest.reverse());
    } catch {
      // A dangling link: judged by where it points (a file created there later would be read).
      const link = hops < 40 ? readLink(at) : undefined;
      if (link !== undefined) {
        at = path.resolve(path.dirname(at), link);
        continue;
      }
      const parent = path.dirname(at);
      if (parent === at) return path.join(at, ...rest.reverse());
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

function readLink(p: string): string | undefined {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined;
  }
}
