import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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
