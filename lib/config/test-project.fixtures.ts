import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { ConfigError } from './errors';

/** A throwaway project folder with the given files (path relative to the root -> content). For tests. */
export function makeProject(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-conf-'));
  mkdirSync(path.join(root, 'conf', 'base'), { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

/** The message of the ConfigError a config load rejects with (fails the test if it resolves or throws anything else). */
export async function configErrorMessage(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}
