import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * When a process started, as a token (Linux: clock ticks since boot from /proc/<pid>/stat),
 * so a recorded pid that the OS has since given to another process is not taken for the run.
 * null where /proc is not available (then only liveness is checked).
 */
export function processStartToken(pid: number): string | null {
  const stat = readStat(pid);
  return stat ? (stat[19] ?? null) : null;
}

/** True if `pid` runs and (when known) is the same process that started at `startToken`. */
export function isProcessAlive(pid: number, startToken: string | null = null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readStat(pid);
  if (!stat) return true;
  // A zombie has exited; only its exit status waits to be collected.
  if (stat[0] === 'Z' || stat[0] === 'X') return false;
  return startToken === null || stat[19] === startToken;
}

/** Fields 3.. of /proc/<pid>/stat (after the command name, which may contain spaces). */
function readStat(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** HEAD of the repository holding `root`, or null (no git, not a repository, no commit yet). */
export function gitCommit(root: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    const sha = out.toString().trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

export function currentUser(): string | null {
  try {
    return os.userInfo().username || null;
  } catch {
    return process.env.USER ?? null;
  }
}
