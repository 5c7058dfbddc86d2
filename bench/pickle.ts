/**
 * Pickle (and parquet) throughput: `npx tsx bench/pickle.ts`.
 * Decode MB/s of the two real Run 316187 pickles (ours vs pickleparser, for the record of
 * why we wrote our own), encode MB/s of a synthetic 500-LS table (~95 MB of map text, made of
 * the real maps), and HistogramSet parquet write/read for the same 500 LS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type HistogramSet, table } from '../lib/data';
import { readParquet, writeParquet, pandasPickleChunks, readPandasPickle, writeChunksAtomic } from '../lib/io';
// lib/dqm teaches lib/io's parquet the HistogramSet kind when imported.
import '../lib/dqm';
import { sharedPath } from '../tests/shared-data.fixtures';

const dataDir = sharedPath('data/run316187');
const MB = 1e6;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(runs: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < 2; i++) await fn(); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

const line = (label: string, bytes: number, ms: number): void =>
  console.log(`${label.padEnd(46)} ${(bytes / MB).toFixed(1).padStart(7)} MB  ${ms.toFixed(2).padStart(9)} ms  ${(bytes / MB / (ms / 1000)).toFixed(0).padStart(6)} MB/s`);

let pickleparser: { Parser: new () => { parse(b: Uint8Array): unknown } } | undefined;
try {
  pickleparser = (await import('pickleparser')) as typeof pickleparser;
} catch {
  pickleparser = undefined;
}

console.log(`pickle decode (median of 15 runs; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
const maps: string[] = [];
for (const layer of [1, 2]) {
  const bytes = fs.readFileSync(path.join(dataDir, `Run_316187_0_clusterposition_PXLayer_${layer}.pkl`));
  line(`  readPandasPickle  PXLayer_${layer}`, bytes.length, await time(15, () => readPandasPickle(bytes)));
  if (pickleparser) {
    const P = pickleparser.Parser;
    line(`  pickleparser.parse (objects only) PXLayer_${layer}`, bytes.length, await time(15, () => new P().parse(new Uint8Array(bytes))));
  }
  maps.push(...(readPandasPickle(bytes).columns.map as string[]));
}

const n = 500;
const big = table({
  run: new Int32Array(n).fill(316187),
  lumi: Int32Array.from({ length: n }, (_, i) => i + 1),
  map: Array.from({ length: n }, (_, i) => maps[i % maps.length]!),
});
const chunks = pandasPickleChunks(big);
const size = chunks.reduce((a, c) => a + c.length, 0);
console.log(`\npickle encode, synthetic ${n}-LS table (median of 5 runs)`);
line('  pandasPickleChunks (Buffer chunks)', size, await time(5, () => pandasPickleChunks(big)));
line('  writePandasPickle (one Buffer)', size, await time(5, () => Buffer.concat(pandasPickleChunks(big))));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pickle-'));
const file = path.join(tmp, 'big.pkl');
line('  encode + atomic write to disk', size, await time(5, () => writeChunksAtomic(file, pandasPickleChunks(big))));
const whole = fs.readFileSync(file);
line(`  readPandasPickle ${n}-LS pickle`, whole.length, await time(5, () => readPandasPickle(whole)));

const ny = 202;
const nx = 302;
const values = new Float32Array(n * ny * nx);
for (let i = 0; i < n; i++) values.set(JSON.parse(maps[i % maps.length]!) as number[], i * ny * nx);
const h: HistogramSet = {
  kind: 'histogram-set',
  title: 'clusterposition_zphi_PXLayer_1',
  run: big.columns.run as Int32Array,
  lumi: big.columns.lumi as Int32Array,
  entries: new Float64Array(n),
  ny,
  nx,
  x: { min: -26.6, max: 26.6, label: 'z' },
  y: { min: -3.2, max: 3.2, label: 'phi' },
  values,
};
console.log(`\nHistogramSet parquet, ${n} LS of ${ny}x${nx} float32 (${(values.byteLength / MB).toFixed(0)} MB of maps; median of 3 runs)`);
for (const codec of ['GZIP', 'UNCOMPRESSED', 'SNAPPY'] as const) {
  const bytes = writeParquet(h, { codec });
  line(`  write ${codec} (file ${(bytes.length / MB).toFixed(1)} MB)`, values.byteLength, await time(3, () => writeParquet(h, { codec })));
  line(`  read  ${codec}`, values.byteLength, await time(3, () => readParquet(bytes)));
}
fs.rmSync(tmp, { recursive: true, force: true });
