import type { Command } from 'commander';
import { messageOf } from '../lib/errors';
import { redactText, secretValues } from '../lib/redact';
import type { Project } from '../lib/session';
import { CliError } from './errors';

export interface ProjectCliOptions {
  env?: string;
  params?: string;
}

/** `--env` and `--params`, shared by every command that loads the project. */
export function addProjectOptions(cmd: Command): Command {
  return cmd
    .option('-e, --env <env>', "configuration environment (folder under conf/)", 'local')
    .option('--params <key=value,...>', 'override parameters: dotted keys, values typed as YAML (e.g. model.lr=0.1,layers=[1,2])');
}

/** Loads the project in the current directory with the command's --env and --params (`fresh`: re-import its code). */
export async function loadProjectFromOptions(opts: ProjectCliOptions, root: string = process.cwd(), fresh = false): Promise<Project> {
  // Imported here, not at the top: `dqm --help` and `--version` should not load the framework.
  const [{ parseRuntimeParams }, { Project }] = await Promise.all([import('../lib/config'), import('../lib/session')]);
  const runtimeParams = opts.params === undefined ? undefined : parseRuntimeParams(opts.params);
  return Project.load({ root, env: opts.env ?? 'local', runtimeParams, fresh });
}

/** Prints one clear line (`Error: <message>`) on stderr and exits 1; the stack only with DQM_DEBUG=1. */
export function handleCliError(error: unknown): never {
  // Secrets of the environment (DQM_PLAYGROUND_TOKEN, ...) are hidden by value, as in the run store.
  const secrets = secretValues(undefined, process.env);
  const message = redactText(messageOf(error), secrets);
  process.stderr.write(`Error: ${message}\n`);
  if (process.env.DQM_DEBUG === '1') {
    let e: unknown = error;
    while (e instanceof Error) {
      process.stderr.write(`${redactText(e.stack ?? e.message, secrets)}\n`);
      e = e.cause;
      if (e) process.stderr.write('Caused by: ');
    }
  }
  process.exit(1);
}

/** Wraps a command action so any error goes through handleCliError. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      handleCliError(error);
    }
  };
}

/** `a,b , c` -> ['a', 'b', 'c']; undefined stays undefined. */
export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** `--load-versions ds:2024-01-01T00.00.00.000Z,other:v2` -> { ds: ..., other: 'v2' }. */
export function parseLoadVersions(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const pair of parseList(value) ?? []) {
    const at = pair.indexOf(':');
    if (at <= 0 || at === pair.length - 1) {
      throw new CliError(`Invalid --load-versions '${pair}': expected dataset:version pairs separated by commas`);
    }
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** Left-aligned columns for terminal tables. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}
