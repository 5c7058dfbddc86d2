import * as fs from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../../errors';
import { parseCsvRows } from '../../io';
import { LumiMaskError } from './errors';

/** An inclusive lumisection range `[first, last]`, as in CMS Golden JSON. */
export type LsRange = [number, number];
/** The Golden JSON form: `{"316187": [[1, 200], [250, 300]]}`. */
export type GoldenJson = Record<string, LsRange[]>;

/**
 * A set of (run, lumisection) pairs stored as sorted, non-overlapping inclusive ranges per run
 * (CMS lumi mask). Immutable; `contains` is a binary search, so masking 10^5 LS is cheap.
 */
export class LumiMask {
  /** run -> flat [first0, last0, first1, last1, ...], sorted by first. */
  private readonly byRun: ReadonlyMap<number, Int32Array>;

  private constructor(byRun: Map<number, Int32Array>) {
    this.byRun = new Map([...byRun].sort((a, b) => a[0] - b[0]));
  }

  /**
   * Parses Golden JSON (already decoded). Ranges may come unsorted (DCS-only JSONs do);
   * overlapping, reversed, non-integer or < 1 ranges are errors naming `file`, run and range.
   */
  static fromGoldenJson(json: unknown, file = '<inline mask>'): LumiMask {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new LumiMaskError(`Lumi mask ${file}: expected an object {"<run>": [[first, last], ...]}, got ${kindOf(json)}`, { file });
    }
    const byRun = new Map<number, Int32Array>();
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      if (!/^\s*\d+\s*$/.test(key) || Number(key) < 1) {
        throw new LumiMaskError(`Lumi mask ${file}: run '${key}' is not a run number (expected a positive integer)`, { file, run: key });
      }
      const run = Number(key);
      if (!Array.isArray(value)) {
        throw new LumiMaskError(`Lumi mask ${file}: run ${run} must be a list of [first, last] lumisection ranges, got ${kindOf(value)}`, { file, run: key });
      }
      const ranges: LsRange[] = value.map((r, i) => checkRange(r, i, run, file));
      ranges.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < ranges.length; i++) {
        const [prev, cur] = [ranges[i - 1]!, ranges[i]!];
        if (cur[0] <= prev[1]) {
          throw new LumiMaskError(`Lumi mask ${file}: run ${run} ranges ${fmt(prev)} and ${fmt(cur)} overlap`, { file, run: key });
        }
      }
      byRun.set(run, Int32Array.from(ranges.flat()));
    }
    return new LumiMask(byRun);
  }

  /** A mask from (run, lumi) pairs (any order, duplicates allowed); consecutive LS merge into ranges. */
  static fromPairs(run: ArrayLike<number>, lumi: ArrayLike<number>): LumiMask {
    const perRun = new Map<number, number[]>();
    for (let i = 0; i < run.length; i++) {
      const r = run[i]!;
      let list = perRun.get(r);
      if (!list) perRun.set(r, (list = []));
      list.push(lumi[i]!);
    }
    const byRun = new Map<number, Int32Array>();
    for (const [r, list] of perRun) {
      list.sort((a, b) => a - b);
      const flat: number[] = [];
      for (const ls of list) {
        const last = flat.length - 1;
        if (last >= 0 && ls <= flat[last]! + 1) flat[last] = Math.max(flat[last]!, ls);
        else flat.push(ls, ls);
      }
      byRun.set(r, Int32Array.from(flat));
    }
    return new LumiMask(byRun);
  }

  /** Parses a `run,lumisection` CSV (the website's task export); errors name file and line. */
  static fromCsv(text: string, file = '<inline csv>'): LumiMask {
    const lines = text.split(/\r?\n/);
    let header: string[] | undefined;
    let runCol = -1;
    let lsCol = -1;
    const runs: number[] = [];
    const lumis: number[] = [];
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!.trim();
      if (!line || line.startsWith('#')) continue;
      // one line is one record here (a run,lumisection list has no multi-line fields); quoting as csv-parse reads it
      let cells: string[];
      try {
        cells = (parseCsvRows(line, ',', false).rows[0] ?? []).map((c) => (c ?? '').trim());
      } catch (error) {
        throw new LumiMaskError(`Lumi mask ${file} line ${n + 1}: ${messageOf(error).replace(/^CSV line \d+ /, '')}`, { file }, { cause: error });
      }
      if (!header) {
        header = cells.map((c) => c.toLowerCase());
        runCol = header.findIndex((c) => RUN_COLUMNS.includes(c));
        lsCol = header.findIndex((c) => LS_COLUMNS.includes(c));
        if (runCol < 0 || lsCol < 0) {
          throw new LumiMaskError(`Lumi mask ${file} line ${n + 1}: expected a header with columns 'run' and 'lumisection', got '${line}'`, { file });
        }
        continue;
      }
      if (cells.length !== header.length) {
        throw new LumiMaskError(`Lumi mask ${file} line ${n + 1}: expected ${header.length} values, got ${cells.length}`, { file });
      }
      const runText = cells[runCol]!;
      const lsText = cells[lsCol]!;
      if (!/^\d+$/.test(runText) || Number(runText) < 1) {
        throw new LumiMaskError(`Lumi mask ${file} line ${n + 1}: run '${runText}' is not a run number`, { file, run: runText });
      }
      if (!/^-?\d+$/.test(lsText)) {
        throw new LumiMaskError(`Lumi mask ${file} line ${n + 1}: lumisection '${lsText}' is not a lumisection number`, { file, run: runText });
      }
      if (Number(lsText) < 1) {
        throw new LumiMaskError(`Lumi mask ${file} line ${n + 1}: lumisection ${lsText} is below 1 (lumisections start at 1)`, { file, run: runText });
      }
      runs.push(Number(runText));
      lumis.push(Number(lsText));
    }
    if (!header) throw new LumiMaskError(`Lumi mask ${file} is empty (expected a header 'run,lumisection')`, { file });
    return LumiMask.fromPairs(runs, lumis);
  }

  /** Runs in ascending order. */
  runs(): number[] {
    return [...this.byRun.keys()];
  }

  /** Sorted ranges of one run (empty if the run is not in the mask). */
  ranges(run: number): LsRange[] {
    const flat = this.byRun.get(run);
    const out: LsRange[] = [];
    if (flat) for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
    return out;
  }

  contains(run: number, lumi: number): boolean {
    const flat = this.byRun.get(run);
    if (!flat) return false;
    let lo = 0;
    let hi = flat.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (lumi < flat[2 * mid]!) hi = mid - 1;
      else if (lumi > flat[2 * mid + 1]!) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Indices i with (run[i], lumi[i]) in the mask, ascending: selects LS of a HistogramSet or Table. */
  select(run: ArrayLike<number>, lumi: ArrayLike<number>): Int32Array {
    const out: number[] = [];
    for (let i = 0; i < run.length; i++) if (this.contains(run[i]!, lumi[i]!)) out.push(i);
    return Int32Array.from(out);
  }

  /** Number of lumisections in the mask. */
  get lumiCount(): number {
    let n = 0;
    for (const flat of this.byRun.values()) for (let i = 0; i < flat.length; i += 2) n += flat[i + 1]! - flat[i]! + 1;
    return n;
  }

  get runCount(): number {
    return this.byRun.size;
  }

  get rangeCount(): number {
    let n = 0;
    for (const flat of this.byRun.values()) n += flat.length / 2;
    return n;
  }

  toGoldenJson(): GoldenJson {
    const out: GoldenJson = {};
    for (const run of this.byRun.keys()) out[String(run)] = this.ranges(run);
    return out;
  }

  /** `2 runs, 3 ranges, 451 lumisections`. */
  describe(): string {
    return `${this.runCount} runs, ${this.rangeCount} ranges, ${this.lumiCount} lumisections`;
  }
}

/** Loads a mask file: `.json` (Golden JSON) or `.csv` (`run,lumisection`). */
export function loadLumiMask(file: string): LumiMask {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.json' && ext !== '.csv') {
    throw new LumiMaskError(`Lumi mask ${file}: unsupported extension '${ext}' (expected .json or .csv)`, { file });
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new LumiMaskError(`Lumi mask ${file} cannot be read: ${messageOf(error)}`, { file }, { cause: error });
  }
  if (ext === '.csv') return LumiMask.fromCsv(text, file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LumiMaskError(`Lumi mask ${file} is not valid JSON: ${messageOf(error)}`, { file }, { cause: error });
  }
  return LumiMask.fromGoldenJson(json, file);
}

const RUN_COLUMNS = ['run', 'run_number', 'runnumber'];
const LS_COLUMNS = ['lumisection', 'lumi', 'ls', 'lumi_section', 'ls_number', 'lumisection_number'];

function checkRange(r: unknown, i: number, run: number, file: string): LsRange {
  const where = { file, run: String(run) };
  if (!Array.isArray(r) || r.length !== 2) {
    throw new LumiMaskError(`Lumi mask ${file}: run ${run} range #${i + 1} must be a [first, last] pair, got ${JSON.stringify(r)}`, where);
  }
  const [a, b] = r as [unknown, unknown];
  if (!Number.isInteger(a) || !Number.isInteger(b)) {
    throw new LumiMaskError(`Lumi mask ${file}: run ${run} range ${JSON.stringify(r)}: lumisections must be integers`, where);
  }
  const range: LsRange = [a as number, b as number];
  if (range[0] < 1 || range[1] < 1) {
    throw new LumiMaskError(`Lumi mask ${file}: run ${run} range ${fmt(range)}: lumisections start at 1`, where);
  }
  if (range[0] > range[1]) {
    throw new LumiMaskError(`Lumi mask ${file}: run ${run} range ${fmt(range)} is reversed (first > last)`, where);
  }
  return range;
}

function fmt(r: LsRange): string {
  return `[${r[0]}, ${r[1]}]`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Where a mask is used, for {@link checkMaskInData}'s message. */
export interface MaskUse {
  /** The mask file as the user named it (its line is looked up when it can be read). */
  file: string;
  /** The data it is applied to, e.g. `chargeInner_PXLayer_1.raw (ZeroBias_2017B.csv)`. */
  dataset: string;
  /** Only LS of runs the data has count (a Golden JSON of a whole year on a few runs); default false. */
  dataRunsOnly?: boolean;
  /** What the mask is for, e.g. `develop` or `label set pixel`: the message says `the mask (develop)`. */
  role?: string;
}

/**
 * Every (run, LS) of `mask` must be in the data: a develop, apply or label mask naming a
 * lumisection the data lacks is a typo, another ME's or dataset's mask, or an export that lost
 * LS, and would silently shrink the set. Throws a LumiMaskError naming the mask file, the line of
 * that run in it, the first missing run and LS, and how many are missing in all.
 */
export function checkMaskInData(mask: LumiMask, run: ArrayLike<number>, lumi: ArrayLike<number>, use: MaskUse): void {
  const have = new Map<number, Set<number>>();
  for (let i = 0; i < run.length; i++) {
    let s = have.get(run[i]!);
    if (!s) have.set(run[i]!, (s = new Set()));
    s.add(lumi[i]!);
  }
  const missing: Array<[number, LsRange]> = [];
  let count = 0;
  for (const r of mask.runs()) {
    const lsOfRun = have.get(r);
    if (!lsOfRun && use.dataRunsOnly) continue;
    for (const [first, last] of mask.ranges(r)) {
      let start = -1;
      for (let ls = first; ls <= last + 1; ls++) {
        const absent = ls <= last && !lsOfRun?.has(ls);
        if (absent) {
          count++;
          if (start < 0) start = ls;
        } else if (start >= 0) {
          missing.push([r, [start, ls - 1]]);
          start = -1;
        }
      }
    }
  }
  const head = missing[0];
  if (!head) return;
  const [r, [ls]] = head;
  const line = lineOfRun(use.file, r, ls);
  const runs = [...have.keys()].sort((a, b) => a - b);
  const shown = missing.slice(0, 5).map(([mr, [a, b]]) => `run ${mr} LS ${a === b ? a : `${a}-${b}`}`).join(', ') + (missing.length > 5 ? ', ...' : '');
  throw new LumiMaskError(
    `${use.file}${line ? `: line ${line}` : ''} (run ${r}, LS ${ls}): the mask${use.role ? ` (${use.role})` : ''} names ${count} lumisection${count > 1 ? 's' : ''} that ${use.dataset} lacks (${shown}; the data has runs ${runs.slice(0, 8).join(', ')}${runs.length > 8 ? ', ...' : ''}${runs.length ? '' : 'none'})`,
    { file: use.file, run: String(r) },
  );
}

/** The line of `run` in a mask file (its JSON key, or its first CSV row with `ls`), if readable. */
function lineOfRun(file: string, run: number, ls: number): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // an inline mask, or a file gone since: the message names run and LS anyway
  }
  const lines = text.split(/\r?\n/);
  const json = new RegExp(`"\\s*${run}\\s*"\\s*:`);
  const csv = new RegExp(`^\\s*"?${run}"?\\s*,\\s*"?${ls}"?\\s*(,|$)`);
  const i = lines.findIndex((l) => json.test(l) || csv.test(l));
  return i >= 0 ? i + 1 : undefined;
}
