/**
 * `dqm evaluate` end to end: `node bin/dqm.js evaluate ...` as a child process in this project,
 * on the real ZeroBias 2017B DQMIO export (pixel + Golden labels) and the real website CSV export
 * of run 297176; every failure path asserts the one stderr line, exit 1 and untouched outputs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from 'dqm-playground-ds/io';
import { loadLumiMask } from 'dqm-playground-ds/dqm';
import { REPO, runMask, ZB_CSV, ZB_GOLDEN, ZB_HNAME, ZB_PIXEL, zerobias } from '../../pipelines/strategies/zerobias.fixtures';
import { sharedPath } from '../../tests/shared-data.fixtures';

const BIN = path.join(REPO, 'bin/dqm.js');
const WEBSITE_CSV = sharedPath('data/run297176/adc_PXDisk_-1.csv');

function dqm(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'evaluate', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '', FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'dqm-eval-'));

/** The last stderr line (the run's progress lines come before it) and exit 1. */
function expectError(r: ReturnType<typeof dqm>, line: string): void {
  expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`Error: ${line}`);
  expect(r.code).toBe(1);
}

describe('dqm evaluate', () => {
  it('judges strategies on a DQMIO export with two label sets: table, metrics.csv, predictions.csv, roc.json', () => {
    const out = tmp();
    const develop = runMask([297047, 297050]);
    const r = dqm('--histograms', ZB_CSV, '--hname', ZB_HNAME, '--develop', develop, '--labels', `pixel=${ZB_PIXEL}`, '--labels', `golden=${ZB_GOLDEN}`,
      '--strategies', 'mean_distance,mean_distance_ks,feature_zscore', '--out', out);
    expect(r.stderr).toContain("Running pipeline 'evaluate'");
    expect(r.code).toBe(0);
    const table = r.stdout.split('\n');
    expect(table[0]).toMatch(/^strategy\s+label\s+auc\s+efficiency\s+fpr\s+n_apply\s+n_bad$/);
    // apply = every LS not in develop: runs 297056 (185 LS) and 297171 (65 LS, all pixel-bad)
    const h = zerobias();
    const nApply = Array.from(h.run).filter((x) => x === 297056 || x === 297171).length;
    const metrics = parseCsv(readFileSync(path.join(out, 'metrics.csv'), 'utf8'));
    expect(Object.keys(metrics.columns)).toEqual(['strategy', 'label', 'run', 'auc', 'efficiency', 'fpr', 'n_apply', 'n_bad', 'skipped']);
    expect(Array.from({ length: metrics.rowCount }, (_, i) => metrics.columns.skipped![i] || '')).toEqual(new Array(metrics.rowCount).fill(''));
    const pooled = Array.from({ length: metrics.rowCount }, (_, i) => i).filter((i) => metrics.columns.run![i] === 'all');
    expect(pooled.map((i) => `${metrics.columns.strategy![i]}/${metrics.columns.label![i]}`)).toEqual([
      'mean_distance/pixel', 'mean_distance/golden', 'mean_distance_ks/pixel', 'mean_distance_ks/golden', 'feature_zscore/pixel', 'feature_zscore/golden',
    ]);
    const pixel = loadLumiMask(ZB_PIXEL);
    const nBad = Array.from(h.run.keys()).filter((i) => (h.run[i] === 297056 || h.run[i] === 297171) && !pixel.contains(h.run[i]!, h.lumi[i]!)).length;
    for (const i of pooled) {
      expect(metrics.columns.n_apply![i]).toBe(nApply);
      expect(Number(metrics.columns.auc![i])).toBeGreaterThan(0.9);
    }
    expect(metrics.columns.n_bad![pooled[0]!]).toBe(nBad);
    // the table prints the pooled rows as written
    const mdPixel = table.find((l) => l.startsWith('mean_distance ') && l.includes(' pixel '))!;
    expect(mdPixel.split(/\s+/)[2]).toBe(Number(metrics.columns.auc![pooled[0]!]).toFixed(4));
    // per-run rows: one per apply run and label set
    expect(metrics.rowCount).toBe(6 * 3);
    const predictions = parseCsv(readFileSync(path.join(out, 'predictions.csv'), 'utf8'));
    expect(Object.keys(predictions.columns).slice(0, 5)).toEqual(['strategy', 'run', 'lumi', 'score', 'flag']);
    expect(predictions.rowCount).toBe(3 * nApply);
    const roc = JSON.parse(readFileSync(path.join(out, 'roc.json'), 'utf8')) as { layout: { xaxis: { type: string } }; data: Array<{ name: string }> };
    expect(roc.layout.xaxis.type).toBe('log');
    expect(roc.data.some((d) => d.name.startsWith('mean_distance / pixel (AUC'))).toBe(true);
  }, 180_000);

  it('reads the website CSV export; apply defaults to the LS not in develop', () => {
    const dir = tmp();
    const develop = path.join(dir, 'develop.csv');
    writeFileSync(develop, 'run,lumisection\n297176,118\n297176,119\n297176,121\n297176,122\n297176,189\n297176,190\n');
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ 297176: [[118, 119], [121, 122], [189, 190], [192, 194]] }));
    const out = path.join(dir, 'out');
    const r = dqm('--histograms', WEBSITE_CSV, '--develop', develop, '--labels', `dqm=${good}`, '--strategies', 'mean_distance,pca,feature_zscore', '--out', out);
    expect(r.code).toBe(0);
    const predictions = parseCsv(readFileSync(path.join(out, 'predictions.csv'), 'utf8'));
    expect([...new Set(Array.from(predictions.columns.lumi as ArrayLike<number>))].sort()).toEqual([192, 193, 194, 195]);
    const metrics = parseCsv(readFileSync(path.join(out, 'metrics.csv'), 'utf8'));
    const i = Array.from({ length: metrics.rowCount }, (_, k) => k).find((k) => metrics.columns.run![k] === 'all')!;
    expect(metrics.columns.n_apply![i]).toBe(4);
    expect(metrics.columns.n_bad![i]).toBe(1);
  }, 120_000);

  it('refuses a develop mask naming LS the data lacks (file, run, LS), leaving earlier outputs untouched', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'metrics.csv'), 'earlier results\n');
    const develop = path.join(dir, 'develop.json');
    // run 297050 has no LS 264; 297056 starts at LS 14
    writeFileSync(develop, JSON.stringify({ 297050: [[260, 265]], 297056: [[1, 2]] }));
    const r = dqm('--histograms', ZB_CSV, '--hname', ZB_HNAME, '--develop', develop, '--labels', `pixel=${ZB_PIXEL}`, '--out', out);
    expectError(r, `${develop}: line 1 (run 297050, LS 264): the mask (develop) names 3 lumisections that ${ZB_CSV} lacks (run 297050 LS 264, run 297056 LS 1-2; the data has runs 297047, 297050, 297056, 297171)`);
    expect(readFileSync(path.join(out, 'metrics.csv'), 'utf8')).toBe('earlier results\n');
    expect(existsSync(path.join(out, 'predictions.csv'))).toBe(false);
  });

  it('refuses a label mask naming LS of a data run the data lacks', () => {
    const dir = tmp();
    const labels = path.join(dir, 'good.json');
    writeFileSync(labels, JSON.stringify({ 297171: [[60, 70]], 999999: [[1, 5]] }));
    const out = path.join(dir, 'out');
    const r = dqm('--histograms', ZB_CSV, '--hname', ZB_HNAME, '--develop', runMask([297050]), '--labels', `pixel=${labels}`, '--out', out);
    expectError(r, `${labels}: line 1 (run 297171, LS 66): the mask (label set pixel) names 5 lumisections that ${ZB_CSV} lacks (run 297171 LS 66-70; the data has runs 297047, 297050, 297056, 297171)`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses bad --labels, a missing --hname and a malformed mask with one clear line', () => {
    const out = path.join(tmp(), 'out');
    expectError(dqm('--histograms', ZB_CSV, '--hname', ZB_HNAME, '--develop', ZB_PIXEL, '--labels', 'pixel', '--out', out), "Invalid --labels 'pixel': expected NAME=GOOD_MASK.json (name: letters, digits, _ . -)");
    expectError(dqm('--histograms', ZB_CSV, '--hname', ZB_HNAME, '--develop', ZB_PIXEL, '--out', out), 'dqm evaluate needs at least one --labels NAME=GOOD_MASK.json (a lumi mask of the good LS)');
    expectError(dqm('--histograms', ZB_CSV, '--develop', ZB_PIXEL, '--labels', `pixel=${ZB_PIXEL}`, '--out', out), `--hname is required for the DQMIO CSV export ${ZB_CSV} (the monitoring element to read)`);
    const bad = path.join(tmp(), 'bad.json');
    writeFileSync(bad, JSON.stringify({ 297050: [[20, 10]] }));
    expectError(dqm('--histograms', ZB_CSV, '--hname', ZB_HNAME, '--develop', bad, '--labels', `pixel=${ZB_PIXEL}`, '--out', out), `Lumi mask ${bad}: run 297050 range [20, 10] is reversed (first > last)`);
    expect(existsSync(out)).toBe(false);
  });

  it('skips the supervised random_forest when the develop LS hold no bad LS under its label set, with one warning; judges the others', () => {
    const out = path.join(tmp(), 'out');
    // run 297050 is pixel-good throughout: nothing bad for the forest to learn from
    const r = dqm('--histograms', ZB_CSV, '--hname', ZB_HNAME, '--develop', runMask([297050]), '--labels', `pixel=${ZB_PIXEL}`, '--labels', `golden=${ZB_GOLDEN}`,
      '--strategies', 'mean_distance,random_forest', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const h = zerobias();
    const n = Array.from(h.run).filter((x) => x === 297050).length;
    const why = `the develop LS hold ${n} good and 0 bad under label set pixel, and a supervised strategy learns from both`;
    expect(r.stderr.split('\n').filter((l) => l.startsWith('Warning:'))).toEqual([`Warning: random_forest skipped: ${why} (develop on runs with bad LS to judge it)`]);
    const metrics = parseCsv(readFileSync(path.join(out, 'metrics.csv'), 'utf8'));
    const c = metrics.columns;
    const rows = Array.from({ length: metrics.rowCount }, (_, i) => i);
    const forest = rows.filter((i) => c.strategy![i] === 'random_forest');
    expect(forest.map((i) => `${c.label![i]}/${c.run![i]}/${c.skipped![i]}`)).toEqual([`pixel/all/${why}`, `golden/all/${why}`]);
    for (const i of forest) expect([c.auc![i], c.efficiency![i], c.fpr![i]].every((v) => v === null || v === '' || Number.isNaN(Number(v)))).toBe(true);
    // the same apply LS and bad counts as the judged strategy's pooled rows
    const md = rows.filter((i) => c.strategy![i] === 'mean_distance' && c.run![i] === 'all');
    expect(forest.map((i) => [c.n_apply![i], c.n_bad![i]])).toEqual(md.map((i) => [c.n_apply![i], c.n_bad![i]]));
    expect(md.every((i) => Number(c.auc![i]) > 0.5 && !c.skipped![i])).toBe(true);
    expect(r.stdout.split('\n').find((l) => l.startsWith('random_forest ') && l.includes(' pixel '))).toMatch(/^random_forest\s+pixel\s+skipped\s+-\s+-\s+\d+\s+\d+$/);
    const predictions = parseCsv(readFileSync(path.join(out, 'predictions.csv'), 'utf8'));
    expect(new Set(Array.from(predictions.columns.strategy as ArrayLike<string>))).toEqual(new Set(['mean_distance']));
  }, 180_000);
});
