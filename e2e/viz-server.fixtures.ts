import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface VizProcess {
  /** Without the token: `${url}api/main`. */
  url: string;
  /** The access token (undefined with `--no-token`). */
  token?: string;
  /** `Authorization: Token <token>` (empty with `--no-token`). */
  headers: Record<string, string>;
  /** fetch() with the token header. */
  fetch(input: string, init?: RequestInit): Promise<Response>;
  /** Everything the server printed so far. */
  output(): string;
  child: ChildProcess;
  /** Process start to first 200 of /api/main. */
  coldStartMs: number;
  stop(): Promise<void>;
}

/**
 * The token the servers of one test run share: Playwright's config sets DQM_TEST_VIZ_TOKEN so its
 * browser and request fixtures can send it; otherwise a random one per process.
 */
export function testToken(): string {
  return (process.env.DQM_TEST_VIZ_TOKEN ??= randomBytes(16).toString('hex'));
}

/** `Authorization: Token …` for fetch(). */
export function authHeaders(token: string | undefined = testToken()): Record<string, string> {
  return token ? { authorization: `Token ${token}` } : {};
}

/**
 * Starts the real `node bin/dqm.js viz --no-browser` (`browser: true`: with the opener) and waits for the first 200 of /api/main.
 * The token goes in DQM_VIZ_TOKEN (not argv, which `ps` shows), unless `args` has `--no-token`
 * or `--token`. `nodeArgs` go to node before the script (bench:load's `--cpu-prof`).
 */
export async function startViz(args: string[], opts: { cwd?: string; timeoutMs?: number; token?: string; env?: Record<string, string>; browser?: boolean; nodeArgs?: string[] } = {}): Promise<VizProcess> {
  const port = await freePort();
  const explicit = args.indexOf('--token');
  const token = args.includes('--no-token') ? undefined : explicit >= 0 ? args[explicit + 1] : (opts.token ?? testToken());
  const headers = authHeaders(token);
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(REPO, 'bin/dqm.js'), 'viz', ...(opts.browser ? [] : ['--no-browser']), '--port', String(port), ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, ...opts.env, NEXT_TELEMETRY_DISABLED: '1', ...(token && explicit < 0 ? { DQM_VIZ_TOKEN: token } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dqm viz exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dqm viz did not answer within ${opts.timeoutMs ?? 60_000} ms:\n${output}`);
    }
    try {
      const res = await fetch(`${url}api/main`, { headers, signal: AbortSignal.timeout(10_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const coldStartMs = performance.now() - t0;
  return {
    url,
    token,
    headers,
    fetch: (input, init = {}) => fetch(input.startsWith('http') ? input : `${url}${input.replace(/^\//, '')}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } }),
    output: () => output,
    child,
    coldStartMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
