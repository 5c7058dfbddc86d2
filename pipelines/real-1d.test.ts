import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DIR } from '../tests/shared-data.fixtures';

/**
 * conf/real_1d through the real `dqm` command: the pipelines on a DQMIO CSV (a 1D ME of the
 * ZeroBias 2017B export) and on the website's CSV export (run 297176), checked against an
 * independent computation from the raw files; then each kind of bad input: exit 1, one clear
 * line naming file, line, run and LS, and every output byte as it was.
 */
const REPO = path.resolve(__dirname, '..');
const BIN = path.join(REPO, 'bin/dqm.js');
// ../shared beside the checkout (/work/main); a worktree sits one level deeper (/work/wt/<name>)
const SHARED = SHARED_DIR;
const ZB = path.join(SHARED, 'data/zerobias2017b/ZeroBias_2017B_chargeInner_PXLayer_1.csv');
const ADC = path.join(SHARED, 'data/run297176/adc_PXDisk_-1.csv');

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A project with this repo's conf and pipelines; conf/real_1d's `../shared` paths point at the shared data. */
function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-real-1d-'));
  roots.push(root);
  cpSync(path.join(REPO, 'conf'), path.join(root, 'conf'), { recursive: true });
  const catalog = path.join(root, 'conf/real_1d/catalog.yml');
  writeFileSync(catalog, readFileSync(catalog, 'utf8').replaceAll('../shared/', `${SHARED}/`));
  mkdirSync(path.join(root, 'pipelines'));
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(path.join(root, 'pipelines/registry.ts'), `export { registerPipelines } from '${path.join(REPO, 'pipelines/registry.ts')}';\n`);
  writeFileSync(path.join(root, 'pipelines/settings.ts'), 'export const hooks = [];\n');
  return root;
}

const dqm = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

/** The raw rows of a per-LS CSV: run, LS and the inner bins (an independent, naive parse). */
function rawRows(file: string, inner: (bins: number[]) => number[]): Array<{ run: number; lumi: number; bins: number[] }> {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const dqmio = cols.includes('fromrun');
  return lines
    .map((line) => {
      const list = line.slice(line.indexOf('"[') + 1, line.indexOf(']"') + 1);
      const rest = line.replace(`"${list}"`, 'X').split(',');
      const at = (c: string) => Number(rest[cols.indexOf(c)]);
      return { run: at(dqmio ? 'fromrun' : 'run'), lumi: at(dqmio ? 'fromlumi' : 'lumisection'), bins: inner(JSON.parse(list) as number[]) };
    })
    .sort((a, b) => a.run - b.run || a.lumi - b.lumi);
}

function csvTable(file: string): { header: string[]; rows: number[][] } {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  return { header: header!.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

/** mean, rms, median and χ²/ndf to the all-LS mean, straight from the definitions. */
function expected(rows: Array<{ bins: number[] }>, xmin: number, xmax: number) {
  const nx = rows[0]!.bins.length;
  const w = (xmax - xmin) / nx;
  const centre = (k: number) => xmin + (k + 0.5) * w;
  const ref = Array.from({ length: nx }, (_, k) => rows.reduce((s, r) => s + r.bins[k]!, 0) / rows.length);
  const R = ref.reduce((a, b) => a + b, 0);
  return rows.map(({ bins }) => {
    const C = bins.reduce((a, b) => a + b, 0);
    const mean = bins.reduce((s, c, k) => s + c * centre(k), 0) / C;
    const rms = Math.sqrt(bins.reduce((s, c, k) => s + c * (centre(k) - mean) ** 2, 0) / C);
    let cum = 0;
    let median = NaN;
    for (let k = 0; k < nx && Number.isNaN(median); k++) {
      if (cum + bins[k]! >= C / 2 && bins[k]! > 0) median = xmin + (k + (C / 2 - cum) / bins[k]!) * w;
      cum += bins[k]!;
    }
    const used = bins.map((c, k) => c + ref[k]! > 0);
    const chi2 = bins.reduce((s, c, k) => (used[k] ? s + (R * c - C * ref[k]!) ** 2 / (c + ref[k]!) : s), 0) / (C * R) / (used.filter(Boolean).length - 1);
    return { mean, rms, median, chi2 };
  });
}

/** Every file under data/, as bytes (base64), by path. */
function outputs(root: string): Record<string, string> {
  const dir = path.join(root, 'data');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(dir, f)).isFile());
  return Object.fromEntries(files.sort().map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));
}

describe('conf/real_1d: the pipelines on real 1D exports via `dqm run`', () => {
  it('DQMIO CSV and website CSV -> <me>.aggregated_properties with moments, quantiles and χ² as computed from the raw files', () => {
    const root = project();
    const r = dqm(root, 'run', '--env', 'real_1d');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Run \S+ completed in [\d.]+m?s: 12\/12 nodes completed/);

    const charge = csvTable(path.join(root, 'data/04_feature/chargeInner_PXLayer_1/aggregated_properties.csv'));
    expect(charge.header).toEqual(['run', 'lumi', 'entries', 'mean', 'rms', 'q05', 'q25', 'q50', 'q75', 'q95', 'rmse', 'chi2']);
    const zb = rawRows(ZB, (b) => b.slice(1, -1)); // histo has under/overflow
    expect(charge.rows.map((x) => [x[0], x[1]])).toEqual(zb.map((x) => [x.run, x.lumi]));
    const want = expected(zb, 0, 80000);
    charge.rows.forEach((row, i) => {
      expect(row[3]).toBeCloseTo(want[i]!.mean, 6);
      expect(row[4]).toBeCloseTo(want[i]!.rms, 6);
      expect(row[7]).toBeCloseTo(want[i]!.median, 6);
      expect(Math.abs(row[11]! - want[i]!.chi2) / want[i]!.chi2).toBeLessThan(1e-5); // float32 mean histogram
    });

    const adc = csvTable(path.join(root, 'data/04_feature/adc_PXDisk_-1/aggregated_properties.csv'));
    const web = rawRows(ADC, (b) => b); // the website keeps what it exported
    expect(adc.rows.map((x) => x[1])).toEqual([118, 119, 121, 122, 189, 190, 192, 193, 194, 195]);
    const wantAdc = expected(web, 0, 34); // no binning in the export: the bin index
    adc.rows.forEach((row, i) => {
      expect(row[2]).toBe(web[i]!.bins.reduce((a, b) => a + b, 0));
      expect(row[3]).toBeCloseTo(wantAdc[i]!.mean, 9);
      expect(row[7]).toBeCloseTo(wantAdc[i]!.median, 9);
    });
  });

  describe('bad input: exit 1, one line naming file, line, run and LS, outputs untouched', () => {
    const zbLines = readFileSync(ZB, 'utf8').split('\n');
    const head = zbLines[0]!;
    const good = zbLines.slice(1, 6); // run 297047 LS 1-5
    const [r1, r2, r3] = good as [string, string, string];
    const other = (name: string) => r1.replace(',chargeInner_PXLayer_1,', `,${name},`);
    const cases: Array<[string, string[], string]> = [
      ['a histo of the wrong length', [r1, r2.replace('"[0.0, ', '"['), r3], 'bad.csv: line 3 (run 297047, LS 2): histo has 101 values, expected 102 (Xbins 100 + 2 under/overflow)'],
      ['an unknown metype', [r1, r2, r3.replace(',chargeInner_PXLayer_1,3,', ',chargeInner_PXLayer_1,11,')], "bad.csv: line 4 (run 297047, LS 3): unknown metype 11 for 'chargeInner_PXLayer_1' (1D histograms: 3, 4, 5; 2D: 6, 7, 8)"],
      [
        'a file without the selected ME (the names it has, at most 20)',
        Array.from({ length: 25 }, (_, i) => other(`adc_PXLayer_${i}`)),
        `bad.csv: no monitoring element 'chargeInner_PXLayer_1' in its 25 rows; the file has: ${Array.from({ length: 20 }, (_, i) => `adc_PXLayer_${i}`).join(', ')}, ...`,
      ],
      ['a duplicate (run, LS)', [r1, r2, r3, r2], "bad.csv: line 5 (run 297047, LS 2): duplicate lumisection: run 297047, LS 2 of 'chargeInner_PXLayer_1' is also on line 3"],
      ['a NaN count', [r1, r2.replace('"[0.0, ', '"[nan, '), r3], 'bad.csv: line 3 (run 297047, LS 2): histo value 1 of 102 is NaN: bin contents must be counts ≥ 0'],
      ['a negative count', [r1, r2, r3.replace('"[0.0, ', '"[-4.0, ')], 'bad.csv: line 4 (run 297047, LS 3): histo value 1 of 102 is negative (-4): bin contents must be counts ≥ 0'],
    ];
    // one ME read from bad.csv, run once on good rows so that there are outputs to keep
    let done: string;
    let before: Record<string, string>;
    beforeAll(() => {
      done = project();
      writeFileSync(path.join(done, 'conf/real_1d/parameters.yml'), 'layers: []\nmonitoring_elements: [chargeInner_PXLayer_1]\n');
      writeFileSync(
        path.join(done, 'conf/real_1d/catalog.yml'),
        'chargeInner_PXLayer_1.raw:\n  type: dqm.DQMIOCSVDataset\n  filepath: bad.csv\n  load_args:\n    hname: chargeInner_PXLayer_1\n',
      );
      writeFileSync(path.join(done, 'bad.csv'), [head, ...good].join('\n') + '\n');
      expect(dqm(done, 'run', '--env', 'real_1d').status).toBe(0);
      before = outputs(done);
      expect(Object.keys(before)).toContain('04_feature/chargeInner_PXLayer_1/aggregated_properties.csv');
    });
    it.each(cases)('%s', (_name, rows, message) => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-real-1d-bad-'));
      roots.push(root);
      cpSync(done, root, { recursive: true });
      writeFileSync(path.join(root, 'bad.csv'), [head, ...rows].join('\n') + '\n');
      const r = dqm(root, 'run', '--env', 'real_1d');
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        `Error: Node 'chargeInner_PXLayer_1.preprocess' failed: Failed while loading data from dataset 'chargeInner_PXLayer_1.raw': ${message}. Resume the run with: dqm run --from-nodes chargeInner_PXLayer_1.preprocess --env real_1d\n`,
      );
      expect(outputs(root)).toEqual(before);
    });
  });
});
