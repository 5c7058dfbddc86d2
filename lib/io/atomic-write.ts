import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
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
