import { randomBytes } from 'node:crypto';
import { close, mkdirSync, openSync, promises as fs, writev } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `data` to `file` atomically: the bytes go to `<file>.tmp-<pid>-<rand>` in the same
 * folder (same filesystem, so rename is atomic) and the temp file is renamed over the target.
 * A crash or a failure mid-way therefore never leaves a half-written dataset: readers see either
 * the old file or the new one. On failure the temp file is removed and the old file is kept.
 * Parent folders are created. `data` may be a thunk so that serialisation errors (thrown while
 * producing the bytes) also leave the old file untouched.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array | (() => string | Uint8Array | Promise<string | Uint8Array>),
): Promise<void> {
  const bytes = typeof data === 'function' ? await data() : data;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Runs `write(tmp)` to produce a temp file or folder (for writers that stream or create
 * several files), then renames it over `target`. A folder target is replaced whole: the old
 * folder is moved aside first and removed only once the new one is in place.
 */
export async function withAtomicPath(target: string, write: (tmpPath: string) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    await write(tmp);
    const stat = await fs.stat(target).catch(() => undefined);
    if (stat?.isDirectory()) {
      const old = `${tmp}.old`;
      await fs.rename(target, old);
      await fs.rename(tmp, target);
      await fs.rm(old, { recursive: true, force: true });
    } else {
      await fs.rename(tmp, target);
    }
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

/** `<file>.tmp-<pid>-<rand>`: unique per process and call, recognisable for cleanup. */
export function tempPathFor(file: string): string {
  return `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Writes `chunks` to `file` atomically (temp file, then rename, as writeFileAtomic), with the
 * write submitted before this returns: it proceeds on libuv's threadpool while the caller goes
 * on computing synchronously (the simulator builds the next part meanwhile). Parent folders are
 * created. Resolves once the file is in place; on failure the temp file is removed.
 */
export function writeChunksAtomic(file: string, chunks: readonly Uint8Array[]): Promise<void> {
  const tmp = tempPathFor(file);
  const written = new Promise<void>((resolve, reject) => {
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(tmp, 'w');
    writev(fd, chunks as Uint8Array[], (error) => close(fd, (closeError) => (error ?? closeError ? reject(error ?? closeError) : resolve())));
  });
  return written
    .then(() => fs.rename(tmp, file))
    .catch(async (error: unknown) => {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw error;
    });
}
