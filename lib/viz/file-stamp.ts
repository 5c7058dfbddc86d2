import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * A dataset file's version as `mtime:size` ('missing' when absent), read without blocking.
 * A folder (partitioned dataset) changes its mtime when a partition is added, removed or
 * replaced (outputs are written to a temp file renamed into place), so the folder's own stat is enough.
 */
export async function fileStamp(root: string, filepath: string): Promise<string> {
  try {
    const st = await fs.stat(path.resolve(root, filepath));
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'missing';
  }
}
