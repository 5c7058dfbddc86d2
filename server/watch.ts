import fs from 'node:fs';
import path from 'node:path';

/**
 * Calls `onChange` (debounced) when a file under the given folders changes. Recursive fs.watch
 * works on Linux since Node 20; an unreadable folder is skipped, not fatal.
 */
export function watchFolders(root: string, folders: string[], onChange: (file: string) => void, debounceMs = 300): () => void {
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  for (const f of folders) {
    const dir = path.join(root, f);
    if (!fs.existsSync(dir)) continue;
    try {
      watchers.push(
        fs.watch(dir, { recursive: true }, (_event, name) => {
          if (name && /(^|\/)(\.|node_modules)/.test(String(name))) return;
          last = path.join(f, String(name ?? ''));
          clearTimeout(timer);
          timer = setTimeout(() => onChange(last), debounceMs);
        }),
      );
    } catch {
      // Watching is a convenience: without it the page still works, with manual refresh.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
