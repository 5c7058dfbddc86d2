/**
 * Histogram-set file formats side by side: the retired `.hset` (raw buffer) and HDF5 (h5wasm,
 * /values chunked per LS) for one pixel layer of BENCH_FORMATS_LS lumisections (default 5,000,
 * 200×300 float32 = 1.2 GB), on tmpfs (/dev/shm: format cost alone) and on the temp disk.
 * Prints save/load time and MB/s (of map bytes) and one-LS read time; median of 3 repetitions.
 * Run: npm run bench:formats   (BENCH_FORMATS_LS=1000 for a quicker run)
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { createHistogramSet } from '../lib/data';
import { HistogramSetDataset, pixelMapShape, readLegacyHsetFile, writeLegacyHsetFile } from '../lib/dqm';

const N = Number(process.env.BENCH_FORMATS_LS ?? 5000);
const REPS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const set = createHistogramSet(pixelMapShape(1), N);
for (let i = 0; i < N; i++) {
  set.run[i] = 357000;
  set.lumi[i] = i + 1;
  set.entries[i] = 1e5 + i;
}
for (let k = 0; k < set.values.length; k++) set.values[k] = (k * 2654435761) % 1000;
const mb = set.values.byteLength / 1e6;

interface Format {
  name: string;
  file: string;
  save(file: string): Promise<void>;
  load(file: string): Promise<unknown>;
  oneLs(file: string): Promise<unknown>;
}

const h5 = (file: string) => new HistogramSetDataset({ filepath: path.basename(file), cache: false }, { projectRoot: path.dirname(file) });
const formats: Format[] = [
  { name: '.hset (old)', file: 'set.hset', save: (f) => writeLegacyHsetFile(f, set), load: (f) => readLegacyHsetFile(f), oneLs: async (f) => (await readLegacyHsetFile(f)).values.subarray(0, set.ny * set.nx) },
  { name: 'HDF5 (new)', file: 'set.h5', save: (f) => h5(f).save(set), load: (f) => h5(f).load(), oneLs: (f) => h5(f).loadLs(Math.floor(N / 2)) },
];

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

console.log(`${N} LS × ${set.ny}×${set.nx} float32 = ${mb.toFixed(0)} MB of maps; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
const places = [['tmpfs', '/dev/shm'], ['disk', os.tmpdir()]].filter(([, dir]) => existsSync(dir!));
for (const [place, base] of places) {
  const dir = mkdtempSync(path.join(base!, 'dqm-bench-formats-'));
  try {
    const rows: string[][] = [];
    for (const f of formats) {
      const file = path.join(dir, f.file);
      const save: number[] = [];
      const load: number[] = [];
      const one: number[] = [];
      for (let r = 0; r < REPS; r++) {
        save.push(await time(() => f.save(file)));
        load.push(await time(() => f.load(file)));
      }
      for (let r = 0; r < 2 * REPS; r++) one.push(await time(() => f.oneLs(file)));
      const s = median(save);
      const l = median(load);
      rows.push([f.name, `${(statSync(file).size / 1e6).toFixed(0)} MB`, `${s.toFixed(0)} ms`, `${(mb / (s / 1000)).toFixed(0)} MB/s`, `${l.toFixed(0)} ms`, `${(mb / (l / 1000)).toFixed(0)} MB/s`, `${median(one).toFixed(1)} ms`]);
      rmSync(file, { force: true });
    }
    console.log(`\n${place} (${base}):`);
    const header = ['format', 'file', 'save', 'save MB/s', 'load', 'load MB/s', 'one LS'];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    for (const r of [header, ...rows]) console.log('  ' + r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
