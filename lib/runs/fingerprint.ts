import { createHash } from 'node:crypto';
import { readdirSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { lumisectionsOf } from '../data';
import { isParameter, type Node, type Pipeline } from '../pipeline';

/** A file or folder as it was when a run read or wrote it. Folders list their files. */
export interface PathStat {
  exists: boolean;
  /** The newest mtime (folders: of any file inside). */
  mtimeMs: number;
  /** Bytes (folders: the sum of their files). */
  size: number;
  /** Folders (partitioned datasets): relative path -> [mtimeMs, size]. */
  files?: Record<string, [number, number]>;
}

/** Per CMS run: the first and last LS a dataset holds, and how many. */
export type LsRanges = Record<string, { first: number; last: number; count: number }>;

/**
 * What a persisted dataset was made from, stored when a run writes it, so the dashboard can
 * tell later whether it is still up to date: the producing node's code, the parameters it
 * read, the persisted datasets upstream of it (through memory datasets), and the file itself.
 */
export interface DatasetFingerprint {
  dataset: string;
  runId: string;
  node: string;
  savedAt: string;
  /** The producing node and the nodes feeding it through memory datasets -> hash of their code. */
  code: Record<string, string>;
  /** `params:x` input -> hash of its value. */
  params: Record<string, string>;
  /** Persisted upstream dataset -> its file(s) when the node started. */
  inputs: Record<string, PathStat>;
  output: PathStat;
  ls?: LsRanges;
}

const MAX_FILES = 20_000;

/** The stat of a dataset's file or folder; `{exists: false}` when absent. */
export function statPath(abs: string): PathStat {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(abs);
  } catch {
    return { exists: false, mtimeMs: 0, size: 0 };
  }
  if (!st.isDirectory()) return { exists: true, mtimeMs: st.mtimeMs, size: st.size };
  const files: Record<string, [number, number]> = {};
  let mtimeMs = 0;
  let size = 0;
  let count = 0;
  const walk = (dir: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (count >= MAX_FILES || e.name.startsWith('.') || /\.tmp-\d+-[0-9a-f]+/.test(e.name)) continue;
      const p = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p, r);
      else {
        try {
          const s = statSync(p);
          files[r] = [s.mtimeMs, s.size];
          mtimeMs = Math.max(mtimeMs, s.mtimeMs);
          size += s.size;
          count++;
        } catch {
          // removed while we looked
        }
      }
    }
  };
  walk(abs, '');
  return { exists: count > 0, mtimeMs, size, files };
}

/** True if two stats describe the same content (same files, mtimes and sizes). */
export function sameStat(a: PathStat, b: PathStat): boolean {
  if (a.exists !== b.exists || a.size !== b.size || a.mtimeMs !== b.mtimeMs) return false;
  if (!a.files && !b.files) return true;
  const ka = Object.keys(a.files ?? {});
  if (ka.length !== Object.keys(b.files ?? {}).length) return false;
  return ka.every((k) => {
    const x = a.files![k]!;
    const y = b.files?.[k];
    return !!y && x[0] === y[0] && x[1] === y[1];
  });
}

/** A short stable hash of a JSON value (object keys sorted). */
export function hashValue(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

/** The node function's compiled source: it changes when the function's code does. */
export function codeHash(fn: (...args: never[]) => unknown): string {
  return createHash('sha256').update(Function.prototype.toString.call(fn)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (ArrayBuffer.isView(value)) return `"<${value.constructor.name}:${value.byteLength}>"`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
}

/** LS per CMS run in data with run and lumi (a HistogramSet, or a Table with those columns); undefined otherwise. */
export function lsRangesOf(data: unknown): LsRanges | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const d = data as { kind?: string; run?: unknown; lumi?: unknown; columns?: Record<string, unknown> };
  const set = lumisectionsOf(data);
  const run = set ? set.run : d.kind === 'table' ? d.columns?.run : undefined;
  const lumi = set ? set.lumi : d.kind === 'table' ? (d.columns?.lumi ?? d.columns?.lumisection) : undefined;
  if (!isNumberList(run) || !isNumberList(lumi) || run.length !== lumi.length) return undefined;
  const out: LsRanges = {};
  for (let i = 0; i < run.length; i++) {
    const r = String(run[i]);
    const l = Number(lumi[i]);
    const cur = out[r];
    if (!cur) out[r] = { first: l, last: l, count: 1 };
    else {
      cur.first = Math.min(cur.first, l);
      cur.last = Math.max(cur.last, l);
      cur.count++;
    }
  }
  return out;
}

function isNumberList(v: unknown): v is ArrayLike<number> {
  return (ArrayBuffer.isView(v) && !(v instanceof DataView)) || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
}

/**
 * What a node's outputs depend on: the persisted datasets upstream of it, the parameters and
 * the node functions on the way there (memory datasets between count as part of the node).
 */
export function dependenciesOf(pipeline: Pipeline, nodeName: string, isPersistedData: (dataset: string) => boolean): { datasets: string[]; params: string[]; nodes: Node[] } {
  const datasets = new Set<string>();
  const params = new Set<string>();
  const nodes = new Map<string, Node>();
  const visit = (n: Node) => {
    if (nodes.has(n.name)) return;
    nodes.set(n.name, n);
    for (const i of n.inputs) {
      if (isParameter(i)) params.add(i);
      else if (isPersistedData(i)) datasets.add(i);
      else {
        const p = pipeline.producerOf(i);
        if (p) visit(p);
      }
    }
  };
  const start = pipeline.getNode(nodeName);
  if (start) visit(start);
  return { datasets: [...datasets].sort(), params: [...params].sort(), nodes: [...nodes.values()] };
}

/** The value of a `params:a.b` input (or `parameters`, all of them). */
export function parameterValue(parameters: Record<string, unknown>, input: string): unknown {
  if (input === 'parameters') return parameters;
  let v: unknown = parameters;
  for (const k of input.slice('params:'.length).split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}
