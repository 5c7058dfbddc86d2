// Is the compiled CLI (dist/, scripts/build-cli.js) still the sources? dist/manifest.json lists
// every source file the build read with its mtime; one stat per file (~250, about a millisecond)
// instead of hashing them. Any edit, deletion or checkout changes an mtime, so dist/ is then skipped.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** True when `<root>/dist/manifest.json` exists and every source it lists has the recorded mtime. */
export function distIsFresh(root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(root, 'dist', 'manifest.json'), 'utf8'));
  } catch {
    return false;
  }
  for (const [rel, mtime] of Object.entries(manifest.inputs ?? {})) {
    const st = statSync(path.join(root, rel), { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtime) return false;
  }
  return true;
}
