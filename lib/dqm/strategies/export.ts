import { table, type Table } from '../../data';
import { LumiMask, type GoldenJson } from '../tasks/lumi-mask';
import { StrategyError } from './errors';

/**
 * The LS a strategy flags (in any layer) as a Golden-JSON-style mask `{"run": [[first, last]]}`,
 * consecutive LS merged: the form the website and CMS tools read back.
 */
export function flaggedLumiMask(predictions: Table): LumiMask {
  const { run, lumi, flag } = columns(predictions);
  const runs: number[] = [];
  const lumis: number[] = [];
  for (let i = 0; i < predictions.rowCount; i++) {
    if (flag[i]) {
      runs.push(run[i]!);
      lumis.push(lumi[i]!);
    }
  }
  return LumiMask.fromPairs(runs, lumis);
}

export function flaggedGoldenJson(predictions: Table): GoldenJson {
  return flaggedLumiMask(predictions).toGoldenJson();
}

/** The flagged LS as a `run,lumisection` table (the website's CSV task format), sorted. */
export function flaggedCsvTable(predictions: Table): Table {
  const mask = flaggedLumiMask(predictions);
  const runs: number[] = [];
  const lumis: number[] = [];
  for (const r of mask.runs()) {
    for (const [a, b] of mask.ranges(r)) {
      for (let ls = a; ls <= b; ls++) {
        runs.push(r);
        lumis.push(ls);
      }
    }
  }
  return table({ run: Int32Array.from(runs), lumisection: Int32Array.from(lumis) });
}

/** CSV text of a table (numbers as JS prints them, strings quoted when needed). */
export function tableToCsv(t: Table): string {
  const names = Object.keys(t.columns);
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [names.map(cell).join(',')];
  for (let i = 0; i < t.rowCount; i++) lines.push(names.map((n) => cell(t.columns[n]![i])).join(','));
  return `${lines.join('\n')}\n`;
}

function columns(p: Table) {
  for (const c of ['run', 'lumi', 'flag']) {
    if (!p.columns[c]) throw new StrategyError(`predictions have no column '${c}' (columns: ${Object.keys(p.columns).join(', ')})`);
  }
  const col = (c: string) => p.columns[c] as ArrayLike<number>;
  return { run: col('run'), lumi: col('lumi'), flag: col('flag') };
}
