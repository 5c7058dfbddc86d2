import fs from 'node:fs';
import path from 'node:path';
import { DeployError } from './errors';

/**
 * What `output: 'standalone'` would have copied, rebuilt from a normal `next build`: Next writes
 * the same file traces either way (`.next/next-server.js.nft.json` for the server, one
 * `*.nft.json` per route, and `required-server-files.json`); standalone only copies their union.
 * Used by the image-size benchmark when the build is not standalone; the Dockerfile itself
 * uses the real `.next/standalone`. Returns the files copied (relative paths).
 */
export function standaloneFromTraces(root: string, dest: string, prune: string[] = []): string[] {
  const next = path.join(root, '.next');
  const required = path.join(next, 'required-server-files.json');
  if (!fs.existsSync(required)) throw new DeployError(`${required} does not exist: build the dashboard first (npm run build)`);
  const files = new Set<string>();
  const add = (abs: string) => {
    const rel = path.relative(root, abs);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) files.add(rel);
  };
  for (const f of (JSON.parse(fs.readFileSync(required, 'utf8')) as { files: string[] }).files) add(path.join(root, f));
  const traces = [path.join(next, 'next-server.js.nft.json'), ...findTraces(path.join(next, 'server'))];
  for (const trace of traces) {
    if (!fs.existsSync(trace)) continue;
    const dir = path.dirname(trace);
    if (trace.startsWith(path.join(next, 'server'))) add(trace.slice(0, -'.nft.json'.length));
    for (const f of (JSON.parse(fs.readFileSync(trace, 'utf8')) as { files: string[] }).files) add(path.join(dir, f));
  }
  const pruned = (rel: string) => prune.some((p) => rel.startsWith(`node_modules${path.sep}${p}${path.sep}`));
  const copied: string[] = [];
  for (const rel of [...files].sort()) {
    const src = path.join(root, rel);
    if (pruned(rel) || !fs.existsSync(src) || fs.statSync(src).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(src, path.join(dest, rel));
    copied.push(rel);
  }
  return copied;
}

function findTraces(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTraces(p));
    else if (e.name.endsWith('.nft.json')) out.push(p);
  }
  return out;
}
