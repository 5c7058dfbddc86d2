/**
 * The bad-input corpus, end to end through the real CLI: each broken input goes into a temp copy
 * of the DQM project (simulated data, one full run done), `node bin/dqm.js run ...` must exit 1
 * with one clear error naming the file or entry, and every existing output under data/ must stay
 * byte-identical (sha256 before/after). Binary inputs are generated here (our pandas writer,
 * python3's pickle), never committed.
 */
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetDataset, writePandasPickle } from '../../lib/io';
import { table } from '../../lib/data';

const REPO = path.resolve(__dirname, '../..');
const RAW1 = 'data/01_raw/pixel_layer_1';
const BAD_PKL = `${RAW1}/Run_357001_0_bad.pkl`;
const PREPROCESS_1 = ['run', '--nodes', 'preprocess_raw_pixel_layer_1_node'];

let dir: string;
let realPickle: Buffer;

function dqm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Async, so the in-process fake API below can answer while the CLI runs. */
function dqmAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd: dir, env: { ...process.env, DQM_PLAYGROUND_TOKEN: API_TOKEN } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A fake DQM website on loopback: every GET gets `apiBody` (a page with fields missing, broken JSON, ...). */
const API_TOKEN = 'apiTOKEN-2b9d7c1e5f3a';
let apiBody = '';
let apiServer: http.Server;
let apiUrl = '';
const apiCatalog = () => `dqm_playground_api:\n  type: api.APIDataset\n  url: ${apiUrl}\n  credentials: dqm_playground\n  load_as: client\n`;
const EXTRACT = ['run', '--pipeline', 'data_extraction', '--params', 'data_extraction.runs=[357000]'];

function python(code: string): Buffer {
  const r = spawnSync('python3', ['-c', `import pickle, sys\n${code}`], { encoding: 'buffer' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr.toString()}`);
  return r.stdout;
}

const pyDump = (expr: string, protocol = 5) => python(`sys.stdout.buffer.write(pickle.dumps(${expr}, protocol=${protocol}))`);

/** A DataFrame pickle (columns run, lumi, map) as the website exports, with these map strings. */
function framePickle(maps: string[], extra: Record<string, string[] | Int32Array> = {}): Buffer {
  const n = maps.length;
  return writePandasPickle(table({ run: Int32Array.from({ length: n }, () => 357001), lumi: Int32Array.from({ length: n }, (_, i) => i + 1), map: maps, ...extra }));
}

const mapOf = (values: (number | string)[]) => `[${values.join(', ')}]`;
const FULL = 202 * 302;

function hashes(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else out[path.relative(dir, f)] = createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    }
  };
  walk(path.join(dir, 'data'));
  return out;
}

interface Case {
  name: string;
  /** What the fake API answers (API cases only). */
  api?: string;
  /** Files written for the case (relative to the project); removed or restored afterwards. */
  files: () => Record<string, Buffer | string>;
  /** Files moved away for the case (relative to the project; e.g. a layer's other pickles), put back afterwards. */
  hide?: () => string[];
  args: string[];
  /** The one error line must match (and it must name the file or entry). */
  error: RegExp;
}

const corruptPickle = () => {
  const b = Buffer.from(realPickle);
  for (let i = 400; i < 700; i++) b[i] = (i * 131) % 256; // deterministic garbage in the header region
  return b;
};

const AGGREGATED = 'data/04_feature/layer_1/aggregated_properties.csv';
const PLOT = ['run', '--nodes', 'layer_1.plot_time_series_node'];
const aggregatedCsv = () => fs.readFileSync(path.join(dir, AGGREGATED), 'utf8');
/** A pandas DataFrame pickle with the website's columns and no rows. */
const emptyFramePickle = () => writePandasPickle(table({ run: new Int32Array(0), lumi: new Int32Array(0), map: [] }));
/** Every file of layer 1's raw folder (the case's own files are written after they are moved away). */
const otherRawFiles = () => fs.readdirSync(path.join(dir, RAW1)).map((f) => `${RAW1}/${f}`);

const CASES: Case[] = [
  // Pickles
  { name: 'truncated pickle', files: () => ({ [BAD_PKL]: realPickle.subarray(0, 3000) }), args: PREPROCESS_1, error: /Run_357001_0_bad\.pkl\): truncated pickle: stream ended at byte 3000/ },
  { name: 'corrupt pickle (garbage bytes inside)', files: () => ({ [BAD_PKL]: corruptPickle() }), args: PREPROCESS_1, error: /data\/01_raw\/pixel_layer_1\/Run_357001_0_bad\.pkl\): \S/ },
  { name: 'empty pickle file', files: () => ({ [BAD_PKL]: Buffer.alloc(0) }), args: PREPROCESS_1, error: /Run_357001_0_bad\.pkl\): empty file: not a pickle \(0 bytes\)/ },
  { name: 'text file named .pkl', files: () => ({ [BAD_PKL]: 'run,lumi,map\n1,2,[0]\n' }), args: PREPROCESS_1, error: /Run_357001_0_bad\.pkl\): .*pickle/i },
  { name: 'pickle of a Python dict', files: () => ({ [BAD_PKL]: pyDump("{'run': [1], 'map': ['[0]']}") }), args: PREPROCESS_1, error: /Run_357001_0_bad\.pkl\): not a pandas DataFrame pickle \(found builtins\.dict\)/ },
  { name: 'pickle of a Python list (protocol 2)', files: () => ({ [BAD_PKL]: pyDump('[1, 2, 3]', 2) }), args: PREPROCESS_1, error: /Run_357001_0_bad\.pkl\): not a pandas DataFrame pickle \(found builtins\.list\)/ },
  { name: 'pickle of a Fraction object', files: () => ({ [BAD_PKL]: python('import fractions\nsys.stdout.buffer.write(pickle.dumps(fractions.Fraction(1, 3), protocol=4))') }), args: PREPROCESS_1, error: /Run_357001_0_bad\.pkl\): .*fractions\.Fraction/ },
  { name: 'pickle of a datetime', files: () => ({ [BAD_PKL]: python('import datetime\nsys.stdout.buffer.write(pickle.dumps(datetime.datetime(2024, 5, 1), protocol=3))') }), args: PREPROCESS_1, error: /Run_357001_0_bad\.pkl\): .*datetime/ },
  { name: 'pickle of a set', files: () => ({ [BAD_PKL]: pyDump('{1, 2}') }), args: PREPROCESS_1, error: /Run_357001_0_bad\.pkl\): .*builtins\.(set|frozenset)/ },
  // DataFrames with broken maps
  { name: 'map of the wrong length', files: () => ({ [BAD_PKL]: framePickle([mapOf([1, 2, 3])]) }), args: PREPROCESS_1, error: /Run_357001_0_bad/ },
  { name: 'map one value short', files: () => ({ [BAD_PKL]: framePickle([mapOf(new Array(FULL - 1).fill(0))]) }), args: PREPROCESS_1, error: /Run_357001_0_bad/ },
  { name: 'NaN count in a map', files: () => ({ [BAD_PKL]: framePickle([mapOf(['nan', ...new Array(FULL - 1).fill(0)])]) }), args: PREPROCESS_1, error: /Run_357001_0_bad/ },
  { name: 'negative count in a map', files: () => ({ [BAD_PKL]: framePickle([mapOf([...new Array(FULL - 1).fill(0), -5])]) }), args: PREPROCESS_1, error: /Run_357001_0_bad/ },
  { name: 'DataFrame without a map column', files: () => ({ [BAD_PKL]: writePandasPickle(table({ run: Int32Array.of(357001), lumi: Int32Array.of(1), histo: ['[0]'] })) }), args: PREPROCESS_1, error: /Run_357001_0_bad|map/ },
  // 0-LS inputs (issue 15 item 5): an error at data_processing naming the file(s); the last good .h5 stays
  { name: "empty DataFrame pickle as a layer's only file", files: () => ({ [BAD_PKL]: emptyFramePickle() }), hide: otherRawFiles, args: PREPROCESS_1, error: /^Error: Node 'preprocess_raw_pixel_layer_1_node' failed: raw_pixel_layer_1 has no lumisections to process: data\/01_raw\/pixel_layer_1\/Run_357001_0_bad\.pkl holds 0 lumisections; nothing was written\. Resume the run with: dqm run --from-nodes preprocess_raw_pixel_layer_1_node$/ },
  { name: "empty DataFrame pickle as a layer's only file, whole data_processing pipeline", files: () => ({ [BAD_PKL]: emptyFramePickle() }), hide: otherRawFiles, args: ['run', '--pipeline', 'data_processing'], error: /^Error: Node 'preprocess_raw_pixel_layer_1_node' failed: raw_pixel_layer_1 has no lumisections to process: data\/01_raw\/pixel_layer_1\/Run_357001_0_bad\.pkl holds 0 lumisections; nothing was written\. Resume the run with: dqm run --from-nodes preprocess_raw_pixel_layer_1_node,preprocess_raw_pixel_layer_2_node,preprocess_raw_pixel_layer_3_node,preprocess_raw_pixel_layer_4_node --pipeline data_processing$/ },
  { name: 'two empty DataFrame pickles as a layer\'s files', files: () => ({ [BAD_PKL]: emptyFramePickle(), [`${RAW1}/Run_357002_0_bad.pkl`]: emptyFramePickle() }), hide: otherRawFiles, args: PREPROCESS_1, error: /^Error: Node 'preprocess_raw_pixel_layer_1_node' failed: raw_pixel_layer_1 has no lumisections to process: data\/01_raw\/pixel_layer_1\/Run_357001_0_bad\.pkl, data\/01_raw\/pixel_layer_1\/Run_357002_0_bad\.pkl hold 0 lumisections; nothing was written\. Resume the run with: dqm run --from-nodes preprocess_raw_pixel_layer_1_node$/ },
  { name: 'every LS filtered out by min_entries', files: () => ({ 'conf/local/parameters.yml': 'data_processing:\n  min_entries: 1e15\n  normalisation: none\n' }), args: PREPROCESS_1, error: /^Error: Node 'preprocess_raw_pixel_layer_1_node' failed: raw_pixel_layer_1 has no lumisections to process: all 6 lumisections of data\/01_raw\/pixel_layer_1\/Run_357000_0_clusterposition_PXLayer_1\.pkl have fewer than 1000000000000000 entries \(min_entries\); nothing was written\. Resume the run with: dqm run --from-nodes preprocess_raw_pixel_layer_1_node$/ },
  { name: 'map column of numbers, not strings', files: () => ({ [BAD_PKL]: writePandasPickle(table({ run: Int32Array.of(357001), lumi: Int32Array.of(1), map: Float64Array.of(3) })) }), args: PREPROCESS_1, error: /Run_357001_0_bad|map/ },
  // YAML configuration
  { name: 'catalog with a duplicate key', files: () => ({ 'conf/local/catalog.yml': 'website_runs:\n  type: pandas.CSVDataset\n  filepath: a.csv\nwebsite_runs:\n  type: pandas.CSVDataset\n  filepath: b.csv\n' }), args: ['run'], error: /Duplicate key 'website_runs' in conf\/local\/catalog\.yml at line 4/ },
  { name: 'parameters indented with a tab', files: () => ({ 'conf/local/parameters.yml': 'data_processing:\n\tmin_entries: 3\n' }), args: ['run'], error: /conf\/local\/parameters\.yml at line 2.*tab/ },
  { name: 'YAML syntax error', files: () => ({ 'conf/local/parameters.yml': 'data_processing: [1, 2\nother: {a: \n' }), args: ['run'], error: /Malformed YAML in conf\/local\/parameters\.yml at line \d+/ },
  { name: 'catalog entry with a wrong type (filepath a list)', files: () => ({ 'conf/local/catalog.yml': 'website_runs:\n  type: pandas.CSVDataset\n  filepath: [a, b]\n' }), args: ['run'], error: /website_runs/ },
  { name: 'catalog entry that is a string', files: () => ({ 'conf/local/catalog.yml': 'website_runs: data/runs.csv\n' }), args: ['run'], error: /website_runs/ },
  { name: 'catalog entry with an unknown dataset type', files: () => ({ 'conf/local/catalog.yml': 'website_runs:\n  type: pandas.ExcelDataSet\n  filepath: runs.xlsx\n' }), args: ['run'], error: /website_runs.*pandas\.ExcelDataSet|pandas\.ExcelDataSet.*website_runs/ },
  { name: 'catalog entry with an unknown key', files: () => ({ 'conf/local/catalog.yml': 'website_runs:\n  type: pandas.CSVDataset\n  filepth: data/01_raw/website/runs.csv\n' }), args: ['run'], error: /^Error: Catalog entry 'website_runs' \(conf\/local\/catalog\.yml\) has unknown key 'filepth' \(did you mean 'filepath'\?\) for type 'pandas\.CSVDataset'\. Keys it takes: credentials, filepath, fs_args, layer, load_args, metadata, save_args, type, versioned$/ },
  { name: "catalog entry with 'versoned: true'", files: () => ({ 'conf/local/catalog.yml': 'preprocessed_raw_pixel_layer_{n}:\n  type: dqm.HistogramSetDataset\n  filepath: data/02_intermediate/preprocessed_raw_pixel_layer_{n}.h5\n  versoned: true\n' }), args: PREPROCESS_1, error: /^Error: Catalog entry 'preprocessed_raw_pixel_layer_\{n\}' \(conf\/local\/catalog\.yml\) has unknown key 'versoned' \(did you mean 'versioned'\?\) for type 'dqm\.HistogramSetDataset'\. Keys it takes: cache, credentials, filepath, fs_args, layer, lazy, metadata, type, versioned$/ },
  { name: "catalog entry with 'save_arg'", files: () => ({ 'conf/local/catalog.yml': '"{layer}.summary_statistics":\n  type: pandas.ParquetDataSet\n  filepath: data/03_primary/{layer}/summary_statistics.parquet\n  save_arg:\n    compression: zstd\n' }), args: ['run', '--nodes', 'layer_1.aggregate_properties'], error: /^Error: Catalog entry '\{layer\}\.summary_statistics' \(conf\/local\/catalog\.yml\) has unknown key 'save_arg' \(did you mean 'save_args'\?\) for type 'pandas\.ParquetDataSet'\. Keys it takes: credentials, filepath, fs_args, layer, load_args, metadata, save_args, type, versioned$/ },
  { name: 'parameters of the wrong type', files: () => ({ 'conf/local/parameters.yml': 'data_processing:\n  min_entries: lots\n  normalisation: none\n' }), args: PREPROCESS_1, error: /min_entries/ },
  { name: 'enormous YAML (alias bomb)', files: () => ({ 'conf/local/parameters.yml': `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${new Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`).join('\n')}\n` }), args: ['run'], error: /conf\/local\/parameters\.yml/ },
  { name: 'enormous number for a parameter', files: () => ({ 'conf/local/parameters.yml': 'data_processing:\n  min_entries: 1e999\n  normalisation: none\n' }), args: PREPROCESS_1, error: /Parameter 'data_processing\.min_entries' must be a number ≥ 0, got Infinity/ },
  { name: 'unknown normalisation value', files: () => ({ 'conf/local/parameters.yml': 'data_processing:\n  min_entries: 0\n  normalisation: maximum\n' }), args: PREPROCESS_1, error: /normalisation/ },
  { name: '--params with a broken value', files: () => ({}), args: ['run', '--params', 'data_processing.min_entries=[1,'], error: /--params|min_entries/ },
  // API pages (the fake website on loopback)
  { name: "API page missing 'next'", api: JSON.stringify({ count: 1, results: [{ id: 1 }] }), files: () => ({ 'conf/local/catalog.yml': apiCatalog() }), args: EXTRACT, error: /page 1 of http:\/\/127\.0\.0\.1:\d+\/api\/lumisections\/\S* is missing field 'next' \(keys present: count, results\)/ },
  { name: "API page missing 'results' and 'next'", api: JSON.stringify({ detail: 'Not found.' }), files: () => ({ 'conf/local/catalog.yml': apiCatalog() }), args: EXTRACT, error: /is missing fields 'next', 'results' \(keys present: detail\)/ },
  { name: 'API page with results not a list', api: JSON.stringify({ next: null, results: 'none' }), files: () => ({ 'conf/local/catalog.yml': apiCatalog() }), args: EXTRACT, error: /field 'results' must be a list of objects/ },
  { name: 'API answer that is not JSON', api: '<html>maintenance</html>', files: () => ({ 'conf/local/catalog.yml': apiCatalog() }), args: EXTRACT, error: /malformed JSON from GET http:\/\/127\.0\.0\.1/ },
  // CSV (issue 15 item 9): a BOM, CRLF and blank lines are fine (tests/fuzz/csv.fuzz.test.ts); broken rows and quotes are not
  { name: 'aggregated_properties CSV with a short row', files: () => ({ [AGGREGATED]: `${aggregatedCsv()}357000\n` }), args: PLOT, error: /^Error: Node 'layer_1\.plot_time_series_node' failed: Failed while loading data from dataset 'layer_1\.aggregated_properties' \(data\/04_feature\/layer_1\/aggregated_properties\.csv\): CSV line 8 has 1 field, expected 9 \(as the header\)\. Resume the run with: dqm run --from-nodes layer_1\.plot_time_series_node$/ },
  { name: 'aggregated_properties CSV with an unterminated quote', files: () => ({ [AGGREGATED]: `${aggregatedCsv()}"357000,1\n` }), args: PLOT, error: /^Error: Node 'layer_1\.plot_time_series_node' failed: Failed while loading data from dataset 'layer_1\.aggregated_properties' \(data\/04_feature\/layer_1\/aggregated_properties\.csv\): CSV line 8 opens a quoted field that is never closed\. Resume the run with: dqm run --from-nodes layer_1\.plot_time_series_node$/ },
  { name: 'aggregated_properties CSV, UTF-8 BOM and CRLF, with text after a closing quote', files: () => ({ [AGGREGATED]: `\uFEFF${aggregatedCsv().replace(/\n/g, '\r\n')}"357000"x,1\r\n` }), args: PLOT, error: /^Error: Node 'layer_1\.plot_time_series_node' failed: Failed while loading data from dataset 'layer_1\.aggregated_properties' \(data\/04_feature\/layer_1\/aggregated_properties\.csv\): CSV line 8 has text after a closing quote \(a quote inside a quoted field is written as two\)\. Resume the run with: dqm run --from-nodes layer_1\.plot_time_series_node$/ },
  // Parquet, binary histogram sets
  { name: 'Parquet with a wrong schema', files: () => ({ 'data/03_primary/layer_1/summary_statistics.parquet': wrongParquet() }), args: ['run', '--nodes', 'layer_1.aggregate_properties'], error: /summary_statistics/ },
  { name: 'Parquet file that is empty', files: () => ({ 'data/03_primary/layer_1/summary_statistics.parquet': Buffer.alloc(0) }), args: ['run', '--nodes', 'layer_1.aggregate_properties'], error: /summary_statistics\.parquet/ },
  { name: 'Parquet file truncated', files: () => ({ 'data/03_primary/layer_1/geometrical_properties.parquet': fs.readFileSync(path.join(dir, 'data/03_primary/layer_1/geometrical_properties.parquet')).subarray(0, 100) }), args: ['run', '--nodes', 'layer_1.aggregate_properties'], error: /geometrical_properties\.parquet/ },
  { name: 'histogram set truncated', files: () => ({ 'data/02_intermediate/preprocessed_raw_pixel_layer_1.h5': fs.readFileSync(path.join(dir, 'data/02_intermediate/preprocessed_raw_pixel_layer_1.h5')).subarray(0, 1000) }), args: ['run', '--nodes', 'layer_1.compute_summary_statistics_node'], error: /preprocessed_raw_pixel_layer_1\.h5\): the file cannot be opened as HDF5: H5F__super_read\(\): truncated file: eof = 1000/ },
];

let wrongParquetBytes: Buffer | undefined;
function wrongParquet(): Buffer {
  if (!wrongParquetBytes) throw new Error('not prepared');
  return wrongParquetBytes;
}

beforeAll(async () => {
  apiServer = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(apiBody);
  });
  await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(apiServer.address() as { port: number }).port}/api/`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-bad-inputs-'));
  for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  for (const f of ['lib', 'node_modules']) fs.symlinkSync(path.join(REPO, f), path.join(dir, f));
  for (const args of [['simulate', '--lumisections', '6'], ['run']]) {
    const r = dqm(args);
    if (r.status !== 0) throw new Error(`dqm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  }
  realPickle = fs.readFileSync(path.join(dir, RAW1, 'Run_357000_0_clusterposition_PXLayer_1.pkl'));
  const tmp = path.join(dir, 'wrong.parquet');
  await new ParquetDataset({ filepath: tmp }, { projectRoot: dir }).save(table({ colour: ['red', 'blue'], weight: Float64Array.of(1, 2) }));
  wrongParquetBytes = fs.readFileSync(tmp);
  fs.rmSync(tmp);
}, 300_000);
afterAll(() => {
  apiServer?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('bad-input corpus through `dqm run`', () => {
  it(`has ${CASES.length} cases`, () => expect(CASES.length).toBeGreaterThanOrEqual(44));
  it.each(CASES.map((c) => [c.name, c] as const))('%s: exit 1, a clear error naming the file or entry, outputs unchanged', async (_name, c) => {
    apiBody = c.api ?? '';
    const files = c.files();
    const hidden = c.hide?.() ?? [];
    const backups = new Map<string, Buffer | undefined>();
    for (const rel of hidden) backups.set(rel, fs.readFileSync(path.join(dir, rel)));
    for (const rel of Object.keys(files)) {
      const abs = path.join(dir, rel);
      backups.set(rel, fs.existsSync(abs) ? fs.readFileSync(abs) : undefined);
    }
    const before = hashes();
    try {
      for (const rel of hidden) fs.rmSync(path.join(dir, rel));
      for (const [rel, data] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), data);
      }
      const r = await dqmAsync(c.args);
      const errorLines = r.stderr.trim().split('\n').filter((l) => l.startsWith('Error:'));
      expect({ status: r.status, errorLines: errorLines.length }, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toEqual({ status: 1, errorLines: 1 });
      expect(errorLines[0]).toMatch(c.error);
      expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
      // Every existing output byte-identical (nodes that completed before the failure may add new files).
      const after = hashes();
      for (const rel of [...Object.keys(files), ...hidden]) delete before[rel];
      const changed = Object.keys(before).filter((rel) => after[rel] !== before[rel]);
      expect(changed).toEqual([]);
      expect(r.stderr + r.stdout).not.toContain(API_TOKEN);
    } finally {
      for (const [rel, old] of backups) {
        if (old === undefined) fs.rmSync(path.join(dir, rel), { force: true });
        else fs.writeFileSync(path.join(dir, rel), old);
      }
    }
  });
});

describe('CSV saved by other tools reads as pandas reads it, through `dqm run`', () => {
  it('aggregated_properties.csv with a UTF-8 BOM, CRLF and trailing blank lines: the same plot as from the file as written', async () => {
    const csv = path.join(dir, AGGREGATED);
    const plot = path.join(dir, 'data/08_reporting/layer_1/time_series.json');
    const original = fs.readFileSync(csv);
    try {
      const first = await dqmAsync(PLOT);
      expect(first.status, first.stderr).toBe(0);
      const want = fs.readFileSync(plot, 'utf8');
      fs.writeFileSync(csv, `\uFEFF${original.toString('utf8').replace(/\n/g, '\r\n')}\r\n\r\n`);
      const second = await dqmAsync(PLOT);
      expect(second.status, second.stderr).toBe(0);
      expect(fs.readFileSync(plot, 'utf8')).toBe(want);
    } finally {
      fs.writeFileSync(csv, original);
    }
  });
});
