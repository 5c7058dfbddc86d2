/**
 * Bad per-LS histogram exports and masks, end to end through the compiled CLI (`node bin/dqm.js`
 * running dist/, rebuilt here when older than the sources): `dqm evaluate` on a DQMIO CSV and on
 * the website's CSV export, and `dqm run` with a catalog entry reading a DQMIO CSV. Each bad file
 * is a few real lines (ZeroBias 2017B, run 297176 from ../shared, copied into a temp folder) with
 * one corrupted. Each case: exit 1, ONE `Error:` line naming file, line, run and LS, no stack
 * trace, and the pre-created outputs byte-identical afterwards.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../shared-data.fixtures';

const REPO = path.resolve(__dirname, '../..');
const SHARED = sharedPath('data');
const ZB = path.join(SHARED, 'zerobias2017b/ZeroBias_2017B_chargeInner_PXLayer_1.csv');
const WEBSITE = path.join(SHARED, 'run297176/adc_PXDisk_-1.csv');
const HNAME = 'chargeInner_PXLayer_1';

let dir = '';

beforeAll(async () => {
  // The compiled CLI is what users run: make dist/ the sources (bin/dqm.js falls back to tsx otherwise).
  const { distIsFresh } = (await import(pathToFileURL(path.join(REPO, 'bin/dist-freshness.js')).href)) as { distIsFresh: (root: string) => boolean };
  if (!distIsFresh(REPO)) {
    const { buildCli } = (await import(pathToFileURL(path.join(REPO, 'scripts/build-cli.js')).href)) as { buildCli: () => Promise<unknown> };
    await buildCli();
  }
  expect(distIsFresh(REPO), 'dist/ must be the compiled sources').toBe(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-bad-exports-'));
}, 120_000);

type Result = { code: number | null; stdout: string; stderr: string };
function dqm(cwd: string, args: string[]): Result {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '', FORCE_COLOR: '0', DQM_FROM_SOURCE: '' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 1 and exactly one `Error:` line, the given one, with no stack trace. */
function expectOneError(r: Result, line: string): void {
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('Error:'));
  expect({ code: r.code, errors }, r.stderr).toEqual({ code: 1, errors: [`Error: ${line}`] });
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
}

// --- the real lines, and one-line corruptions of them ---------------------------------------

const zbLines = () => fs.readFileSync(ZB, 'utf8').split('\n');
/** Header + LS 1-6 of run 297047 + LS 1-6 of run 297050 (real rows of the export). */
function zbSample(): string[] {
  const all = zbLines();
  return [all[0]!, ...all.filter((l) => l.startsWith('297047,')).slice(0, 6), ...all.filter((l) => l.startsWith('297050,')).slice(0, 6)];
}
const websiteSample = () => fs.readFileSync(WEBSITE, 'utf8').trimEnd().split('\n');

/** The quoted list cell of a CSV line, as values, and the line rebuilt with other values. */
const listOf = (line: string) => /"\[(.*)\]"/.exec(line)![1]!.split(', ');
const withList = (line: string, values: string[]) => line.replace(/"\[.*\]"/, `"[${values.join(', ')}]"`);
/** The line with its n-th field (0-based, the quoted list counted as one) replaced. */
function withField(line: string, n: number, value: string): string {
  const fields = line.match(/"[^"]*"|[^,]+/g)!;
  fields[n] = value;
  return fields.join(',');
}
/** `lines` with line `k` (1-based, as messages count: the header is line 1) replaced. */
const edit = (lines: string[], k: number, f: (l: string) => string) => lines.map((l, i) => (i === k - 1 ? f(l) : l));

function write(name: string, lines: string[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}
function writeJson(name: string, value: unknown): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, `${JSON.stringify(value, null, 1)}\n`);
  return f;
}

/** Earlier results in `out`: bytes that a failed command must leave as they are. */
function precreate(out: string, files: string[]): () => Record<string, string> {
  fs.mkdirSync(out, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(out, f), `earlier ${f} of ${out}\n`);
  return () => Object.fromEntries(fs.readdirSync(out).sort().map((f) => [f, createHash('sha256').update(fs.readFileSync(path.join(out, f))).digest('hex')]));
}

interface Case {
  name: string;
  lines: () => string[];
  /** --hname (DQMIO) or title (website); default the file's. */
  hname?: string;
  develop?: unknown;
  apply?: unknown;
  labels?: unknown;
  /** The error line, given the bad file's path and the mask paths. */
  error: (f: string, m: { develop: string; apply?: string; labels: string }) => string;
}

const ZB_DEVELOP = { 297047: [[1, 6]] };
const ZB_LABELS = { 297047: [[1, 6]], 297050: [[1, 3]] };
const WEB_DEVELOP = { 297176: [[118, 119], [121, 122]] };
const WEB_LABELS = { 297176: [[118, 119], [121, 122], [189, 190], [192, 194]] };

const DQMIO_CASES: Case[] = [
  {
    name: 'histo one value short of Xbins + 2',
    lines: () => edit(zbSample(), 4, (l) => withList(l, listOf(l).slice(0, -1))),
    error: (f) => `${f}: line 4 (run 297047, LS 3): histo has 101 values, expected 102 (Xbins 100 + 2 under/overflow)`,
  },
  {
    name: 'Xbins disagreeing with the histo',
    lines: () => edit(zbSample(), 9, (l) => withField(l, 8, '99')),
    error: (f) => `${f}: line 9 (run 297050, LS 2): '${HNAME}' has 99 bins here but 100 on the first line of it`,
  },
  {
    name: 'unknown metype',
    lines: () => edit(zbSample(), 3, (l) => withField(l, 3, '9')),
    error: (f) => `${f}: line 3 (run 297047, LS 2): unknown metype 9 for '${HNAME}' (1D histograms: 3, 4, 5; 2D: 6, 7, 8)`,
  },
  {
    name: 'selected hname missing (the names it has are listed)',
    lines: () => [...zbSample(), ...zbSample().slice(1, 3).map((l) => withField(l, 2, 'chargeOuter_PXLayer_1'))],
    hname: 'chargeInner_PXLayer_2',
    error: (f) => `${f}: no monitoring element 'chargeInner_PXLayer_2' in its 14 rows; the file has: ${HNAME}, chargeOuter_PXLayer_1`,
  },
  {
    name: 'duplicate (run, LS)',
    lines: () => {
      const s = zbSample();
      return [...s.slice(0, 10), s[3]!, ...s.slice(10)];
    },
    error: (f) => `${f}: line 11 (run 297047, LS 3): duplicate lumisection: run 297047, LS 3 of '${HNAME}' is also on line 4`,
  },
  {
    name: 'NaN count',
    lines: () => edit(zbSample(), 5, (l) => withList(l, listOf(l).map((v, i) => (i === 4 ? 'nan' : v)))),
    error: (f) => `${f}: line 5 (run 297047, LS 4): histo value 5 of 102 is NaN: bin contents must be counts ≥ 0`,
  },
  {
    name: 'negative count',
    lines: () => edit(zbSample(), 12, (l) => withList(l, listOf(l).map((v, i) => (i === 40 ? '-3.0' : v)))),
    error: (f) => `${f}: line 12 (run 297050, LS 5): histo value 41 of 102 is negative (-3): bin contents must be counts ≥ 0`,
  },
  {
    name: 'develop mask naming LS the data lacks',
    lines: zbSample,
    develop: { 297047: [[1, 8]] },
    error: (f, m) => `${m.develop}: line 2 (run 297047, LS 7): the mask (develop) names 2 lumisections that ${f} lacks (run 297047 LS 7-8; the data has runs 297047, 297050)`,
  },
  {
    name: 'apply mask naming LS the data lacks',
    lines: zbSample,
    apply: { 297050: [[1, 6]], 297056: [[14, 20]] },
    error: (f, m) => `${m.apply}: line 8 (run 297056, LS 14): the mask (apply) names 7 lumisections that ${f} lacks (run 297056 LS 14-20; the data has runs 297047, 297050)`,
  },
  {
    name: 'label mask naming LS of a data run the data lacks',
    lines: zbSample,
    labels: { 297047: [[1, 6]], 297050: [[1, 8]], 297171: [[1, 500]] },
    error: (f, m) => `${m.labels}: line 8 (run 297050, LS 7): the mask (label set pixel) names 2 lumisections that ${f} lacks (run 297050 LS 7-8; the data has runs 297047, 297050)`,
  },
];

const WEBSITE_CASES: Case[] = [
  {
    name: 'data one value longer than the first line',
    lines: () => edit(websiteSample(), 5, (l) => withList(l, [...listOf(l), '0.0'])),
    error: (f) => `${f}: line 5 (run 297176, LS 193): data has 35 values, expected 34 (as the first line of it; the website strips under/overflow)`,
  },
  {
    name: 'selected title missing',
    lines: websiteSample,
    hname: 'adc_PXDisk_-2',
    error: (f) => `${f}: no histogram titled 'adc_PXDisk_-2' in its 10 rows; the file has: adc_PXDisk_-1`,
  },
  {
    name: 'duplicate (run, LS)',
    lines: () => [...websiteSample(), websiteSample()[2]!],
    error: (f) => `${f}: line 12 (run 297176, LS 118): duplicate lumisection: run 297176, LS 118 of 'adc_PXDisk_-1' is also on line 3`,
  },
  {
    name: 'NaN count',
    lines: () => edit(websiteSample(), 7, (l) => withList(l, listOf(l).map((v, i) => (i === 0 ? 'NaN' : v)))),
    error: (f) => `${f}: line 7 (run 297176, LS 190): data value 1 of 34 is NaN: bin contents must be counts ≥ 0`,
  },
  {
    name: 'negative count',
    lines: () => edit(websiteSample(), 2, (l) => withList(l, listOf(l).map((v, i) => (i === 33 ? '-1.0' : v)))),
    error: (f) => `${f}: line 2 (run 297176, LS 189): data value 34 of 34 is negative (-1): bin contents must be counts ≥ 0`,
  },
  {
    name: 'develop mask (run,lumisection CSV) naming an LS the data lacks',
    lines: websiteSample,
    develop: 'run,lumisection\n297176,118\n297176,119\n297176,120\n',
    error: (f, m) => `${m.develop}: line 4 (run 297176, LS 120): the mask (develop) names 1 lumisection that ${f} lacks (run 297176 LS 120; the data has runs 297176)`,
  },
];

const OUTPUTS = ['metrics.csv', 'predictions.csv', 'roc.json'];

function masks(c: Case, id: string, develop: unknown, labels: unknown): { develop: string; apply?: string; labels: string } {
  const mask = (name: string, v: unknown) => (typeof v === 'string' ? (fs.writeFileSync(path.join(dir, `${name}.csv`), v), path.join(dir, `${name}.csv`)) : writeJson(`${name}.json`, v));
  return {
    develop: mask(`${id}-develop`, c.develop ?? develop),
    ...(c.apply ? { apply: mask(`${id}-apply`, c.apply) } : {}),
    labels: mask(`${id}-labels`, c.labels ?? labels),
  };
}

describe('dqm evaluate on bad exports and masks (compiled CLI)', () => {
  const cases = [...DQMIO_CASES.map((c) => ['DQMIO', c] as const), ...WEBSITE_CASES.map((c) => ['website', c] as const)];
  it.each(cases.map(([kind, c], i) => [`${kind} CSV: ${c.name}`, kind, c, i] as const))('%s: one clear line, exit 1, outputs untouched', (_name, kind, c, i) => {
    const id = `eval-${i}`;
    const file = write(`${id}.csv`, c.lines());
    const m = masks(c, id, kind === 'DQMIO' ? ZB_DEVELOP : WEB_DEVELOP, kind === 'DQMIO' ? ZB_LABELS : WEB_LABELS);
    const out = path.join(dir, `${id}-out`);
    const hashes = precreate(out, OUTPUTS);
    const before = hashes();
    const hname = c.hname ?? (kind === 'DQMIO' ? HNAME : undefined);
    const r = dqm(REPO, [
      'evaluate', '--histograms', file, ...(hname ? ['--hname', hname] : []), '--develop', m.develop, ...(m.apply ? ['--apply', m.apply] : []),
      '--labels', `pixel=${m.labels}`, '--strategies', 'mean_distance', '--out', out,
    ]);
    expectOneError(r, c.error(file, m));
    expect(hashes()).toEqual(before);
  }, 60_000);

  it('names the export as the user typed it (a relative path), not as resolved', () => {
    const file = write('typed.csv', DQMIO_CASES[0]!.lines());
    const typed = path.relative(REPO, file);
    const m = masks({ name: 'typed', lines: zbSample, error: () => '' }, 'typed', ZB_DEVELOP, ZB_LABELS);
    const r = dqm(REPO, ['evaluate', '--histograms', typed, '--hname', HNAME, '--develop', m.develop, '--labels', `pixel=${m.labels}`, '--strategies', 'mean_distance', '--out', path.join(dir, 'typed-out')]);
    expectOneError(r, DQMIO_CASES[0]!.error(typed, m));
    expect(typed.startsWith('..')).toBe(true);
  }, 60_000);

  it('the same sample, uncorrupted, evaluates (the cases fail for their one defect)', () => {
    const file = write('fine.csv', zbSample());
    const m = masks({ name: 'fine', lines: zbSample, error: () => '' }, 'fine', ZB_DEVELOP, ZB_LABELS);
    const out = path.join(dir, 'fine-out');
    const r = dqm(REPO, ['evaluate', '--histograms', file, '--hname', HNAME, '--develop', m.develop, '--labels', `pixel=${m.labels}`, '--strategies', 'mean_distance', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').split('\n')[1]).toMatch(/^mean_distance,pixel,all,/);
    const web = write('fine-web.csv', websiteSample());
    const w = masks({ name: 'fine-web', lines: websiteSample, error: () => '' }, 'fine-web', WEB_DEVELOP, WEB_LABELS);
    const r2 = dqm(REPO, ['evaluate', '--histograms', web, '--develop', w.develop, '--labels', `pixel=${w.labels}`, '--strategies', 'mean_distance', '--out', path.join(dir, 'fine-web-out')]);
    expect(r2.code, r2.stderr).toBe(0);
  }, 60_000);
});

describe('dqm run with a catalog entry reading a bad DQMIO CSV (compiled CLI)', () => {
  /** A project: this one's conf and pipelines, the export at data/01_raw/zb/export.csv, evaluate's outputs pre-created. */
  function project(id: string, lines: string[], params: { develop?: unknown; apply?: unknown; labels?: unknown } = {}): { root: string; file: string; hashes: () => Record<string, string> } {
    const root = path.join(dir, id);
    for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(root, f), { recursive: true });
    fs.copyFileSync(path.join(REPO, 'package.json'), path.join(root, 'package.json'));
    for (const f of ['lib', 'node_modules']) fs.symlinkSync(path.join(REPO, f), path.join(root, f));
    const file = 'data/01_raw/zb/export.csv';
    fs.mkdirSync(path.join(root, 'data/01_raw/zb'), { recursive: true });
    fs.writeFileSync(path.join(root, file), `${lines.join('\n')}\n`);
    fs.mkdirSync(path.join(root, 'conf/local'), { recursive: true });
    fs.writeFileSync(path.join(root, 'conf/local/catalog.yml'), `evaluate.histograms:\n  type: dqm.DQMIOCSVDataset\n  filepath: ${file}\n  load_args:\n    hname: ${HNAME}\n`);
    const mask = (name: string, v: unknown) => {
      const f = path.join(root, `${name}.json`);
      fs.writeFileSync(f, `${JSON.stringify(v, null, 1)}\n`);
      return f;
    };
    const develop = mask('develop', params.develop ?? ZB_DEVELOP);
    const labels = mask('pixel_good', params.labels ?? ZB_LABELS);
    const apply = params.apply ? mask('apply', params.apply) : null;
    fs.writeFileSync(
      path.join(root, 'conf/local/parameters.yml'),
      `evaluate:\n  histograms: ${file}\n  develop: ${develop}\n  apply: ${apply ?? 'null'}\n  labels:\n    pixel: ${labels}\n  strategies: [mean_distance]\n`,
    );
    const outputs = ['data/08_reporting/evaluate/metrics.csv', 'data/07_model_output/evaluate/predictions.csv', 'data/08_reporting/evaluate/roc.json', 'data/05_model_input/evaluate/selection.json'];
    for (const o of outputs) {
      fs.mkdirSync(path.dirname(path.join(root, o)), { recursive: true });
      fs.writeFileSync(path.join(root, o), `earlier ${o}\n`);
    }
    const hashes = () => Object.fromEntries(outputs.map((o) => [o, createHash('sha256').update(fs.readFileSync(path.join(root, o))).digest('hex')]));
    return { root, file, hashes };
  }

  const RUN_CASES = DQMIO_CASES.filter((c) => !c.hname && !c.develop && !c.apply && !c.labels);
  it.each(RUN_CASES.map((c, i) => [c.name, c, i] as const))('%s: the dataset and the reader line, exit 1, outputs untouched', (_name, c, i) => {
    const p = project(`run-${i}`, c.lines());
    const before = p.hashes();
    const r = dqm(p.root, ['run', '--pipeline', 'evaluate']);
    expectOneError(r, `Node 'evaluate.prepare_evaluation' failed: Failed while loading data from dataset 'evaluate.histograms': ${c.error(p.file, { develop: '', labels: '' })}. Resume the run with: dqm run --from-nodes evaluate.prepare_evaluation --pipeline evaluate`);
    expect(p.hashes()).toEqual(before);
  }, 60_000);

  it('a develop mask naming LS the export lacks: the mask file, its line, run and LS', () => {
    const p = project('run-mask', zbSample(), { develop: { 297047: [[1, 6]], 297050: [[1, 9]] } });
    const before = p.hashes();
    const r = dqm(p.root, ['run', '--pipeline', 'evaluate']);
    expectOneError(
      r,
      `Node 'evaluate.prepare_evaluation' failed: ${path.join(p.root, 'develop.json')}: line 8 (run 297050, LS 7): the mask (develop) names 3 lumisections that ${p.file} lacks (run 297050 LS 7-9; the data has runs 297047, 297050). Resume the run with: dqm run --from-nodes evaluate.prepare_evaluation --pipeline evaluate`,
    );
    expect(p.hashes()).toEqual(before);
  }, 60_000);
});
