/**
 * Runs `/usr/bin/time <command>` style wrappers and watches the memory of the process the wrapper started
 * from outside, every 50 ms, through /proc: the peak (VmHWM) and which nodes were running when it
 * was reached, from the run's "[i/N] node started/completed" lines.
 * Why from outside: an afterNodeRun hook in the project would make the parallel runner do every
 * load and save in the main thread (hooks that see data need it there), which changes what is
 * measured: with such a hook the 5k run took 31 s and 1.34 GB instead of 22 s and 1.07 GB.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface WatchedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** e.g. "peak 1065 MB (RSS 1040 MB) while preprocess_raw_pixel_layer_1_node, preprocess_raw_pixel_layer_2_node ran; 412 samples" */
  peak: string;
}

const kb = (status: string, key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);

/** The process `pid` started (time → node; node's own children, e.g. esbuild's service, are not the run). */
function childOf(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children ? Number(children.split(' ')[0]) : undefined;
  } catch {
    return undefined;
  }
}

export function runWatched(command: string, args: string[], cwd: string): Promise<WatchedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const running = new Set<string>();
    let pending = '';
    let last = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const m = /^\[\d+\/\d+\] (\S+) (started|completed|failed)/.exec(line);
        if (!m) continue;
        if (m[2] === 'started') running.add(m[1]!);
        else {
          running.delete(m[1]!);
          last = m[1]!;
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let top = { hwm: 0, rss: 0, nodes: [] as string[], after: '' };
    let samples = 0;
    const timer = setInterval(() => {
      const run = childOf(child.pid!);
      let status: string;
      try {
        if (run === undefined) return; // before time's fork, or after the run's exit
        status = readFileSync(`/proc/${run}/status`, 'utf8');
      } catch {
        return;
      }
      samples++;
      const hwm = kb(status, 'VmHWM') / 1024;
      if (hwm > top.hwm) top = { hwm, rss: kb(status, 'VmRSS') / 1024, nodes: [...running], after: last };
    }, 50);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearInterval(timer);
      // Lines reach us a little late: a peak between two lines is charged to the node that had just ended.
      const where = top.nodes.length ? `while ${top.nodes.join(', ')} ran` : top.after ? `just after ${top.after}` : 'at start-up';
      resolve({ status, stdout, stderr, peak: samples ? `peak ${top.hwm.toFixed(0)} MB (RSS ${top.rss.toFixed(0)} MB at that sample) ${where}; ${samples} samples` : 'no samples' });
    });
  });
}
