import fs from 'node:fs';
import path from 'node:path';

/** `<file>.tmp-<pid>-<8 hex>` (tempPathFor in atomic-write.ts), and the `.old` of a replaced folder. */
const TEMP_NAME = /\.tmp-(\d+)-[0-9a-f]{8}(\.old)?$/;

export interface StaleTempOptions {
  /** Is the writer still alive? Default: signal 0 to the pid. */
  isAlive?: (pid: number) => boolean;
  /** Folders deeper than this are not visited (data/ trees are shallow; partitions add one level). */
  maxDepth?: number;
  /** Stop after this many entries (a huge partitioned folder must not stall the start). */
  maxEntries?: number;
}

/**
 * Removes the temp files and folders of atomic writes whose writer process is gone: a process
 * killed mid-save (kill -9, power loss) leaves `<file>.tmp-<pid>-<rand>` beside its untouched
 * target. Called when a run or the dashboard starts. Returns the removed paths.
 */
export function removeStaleTempFiles(folder: string, opts: StaleTempOptions = {}): string[] {
  const isAlive = opts.isAlive ?? pidAlive;
  const maxDepth = opts.maxDepth ?? 6;
  let budget = opts.maxEntries ?? 100_000;
  const removed: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (--budget < 0) return;
      const full = path.join(dir, e.name);
      const m = TEMP_NAME.exec(e.name);
      if (m) {
        const pid = Number(m[1]);
        if (pid !== process.pid && !isAlive(pid)) {
          fs.rmSync(full, { recursive: true, force: true });
          removed.push(full);
        }
        continue;
      }
      if (e.isDirectory() && !e.isSymbolicLink() && depth < maxDepth) walk(full, depth + 1);
    }
  };
  walk(folder, 0);
  return removed;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie has exited (a detached run process killed after its server: adopted, not yet reaped).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}
