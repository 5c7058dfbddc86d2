import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Stats under way, per absolute path: requests arriving while one is in flight share it. */
const inFlight = new Map<string, Promise<string>>();

/**
 * A dataset file's version as `mtime:size` ('missing' when absent), read without blocking.
 * A folder (partitioned dataset) changes its mtime when a partition is added, removed or
 * replaced (outputs are written to a temp file renamed into place), so the folder's own stat is enough.
 * Every cached answer asks for its file's stamp; under 200 connections one stat per request
 * was the server's largest cost after sending bodies (bench:load profile), so concurrent asks
 * share the stat that is in flight (started at most one stat's time before they arrived).
 */
export function fileStamp(root: string, filepath: string): Promise<string> {
  const abs = path.resolve(root, filepath);
  let pending = inFlight.get(abs);
  if (!pending) {
    pending = fs.stat(abs).then(
      (st) => `${st.mtimeMs}:${st.size}`,
      () => 'missing',
    );
    inFlight.set(abs, pending);
    void pending.finally(() => inFlight.delete(abs));
  }
  return pending;
}
