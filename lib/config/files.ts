import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The kinds of config files the loader reads, by file-name prefix (Kedro's `config_patterns`). */
export type ConfigKind = 'catalog' | 'parameters' | 'credentials' | 'globals';
export const CONFIG_KINDS: readonly ConfigKind[] = ['catalog', 'parameters', 'credentials', 'globals'];

const EXTENSIONS = /\.(ya?ml|json)$/i;

/**
 * Files of one kind in one environment folder, sorted (so merges are deterministic):
 * `<kind>*.{yml,yaml,json}` at the top, and `<kind>*\/**\/*.{yml,yaml,json}` below a folder
 * whose name starts with the kind (e.g. `catalog/extra.yml`, `parameters/data_science.yml`).
 * Hidden files and folders (a name starting with `.`) are ignored, as editors leave them around.
 * Returns paths relative to `envDir` with forward slashes.
 */
export function configFilesOf(envDir: string, kind: ConfigKind): string[] {
  const out: string[] = [];
  for (const rel of walk(envDir, '')) {
    if (!EXTENSIONS.test(rel)) continue;
    // top-level file `catalog*.yml`, or any file below a top-level folder `catalog*/`
    if (rel.split('/')[0]!.startsWith(kind)) out.push(rel);
  }
  return out.sort();
}

function walk(root: string, rel: string): string[] {
  const dir = rel ? path.join(root, rel) : root;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const childRel = rel ? `${rel}/${name}` : name;
    const stat = statSync(path.join(root, childRel), { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) out.push(...walk(root, childRel));
    else if (stat.isFile()) out.push(childRel);
  }
  return out;
}
