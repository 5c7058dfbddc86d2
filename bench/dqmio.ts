/**
 * DQMIO CSV reading: throughput (MB/s wall and MB per CPU-second) for a 1D and a 2D ME, an ME
 * picked out of a file of several, where the time goes (read() of the page-cached file, line
 * splitting, the number parse) beside this machine's memory bandwidth (the physical limit of a
 * streaming parse), and the peak RSS of reading one ME of a 2 GB synthetic export in a child
 * process (/usr/bin/time), which must follow that ME's LS, not the file.
 * Run: npx tsx bench/dqmio.ts   (BENCH_DQMIO_GB=0.5 for a smaller big file)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHistogramSet, type HistogramSet } from '../lib/data';
import { readDqmioCsv } from '../lib/dqm/readers';
import { DQMIO_HEADER, dqmioRow } from '../lib/dqm/readers/dqmio-write';
import { forEachLine, splitFields } from '../lib/dqm/readers/line-reader';

const HERE = fileURLToPath(import.meta.url);
const BIG_GB = Number(process.env.BENCH_DQMIO_GB ?? 2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Child mode: read one ME of a file, print LS count and bins (the parent measures RSS).
if (process.argv[2] === '--read') {
  const h = readDqmioCsv(process.argv[3]!, { hname: process.argv[4]! });
  console.log(`${h.run.length} ${h.ny * h.nx}`);
  process.exit(0);
}

/** A set of `n` LS with counts like a charge spectrum (1D) or an occupancy map (2D). */
function synthetic(name: string, ny: number, nx: number, n: number, seed: number): HistogramSet {
  const h = createHistogramSet({ title: name, name, ny, nx, x: { min: 0, max: 80000, label: 'x' }, y: { min: -3.2, max: 3.2, label: 'y' } }, n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    h.run[i] = 297000 + Math.floor(i / 1000);
    h.lumi[i] = (i % 1000) + 1;
    let total = 0;
    for (let k = 0; k < ny * nx; k++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const v = ny === 1 ? Math.floor(2000 * Math.exp(-(((k - nx / 4) / (nx / 8)) ** 2)) + (s % 40)) : s % 23;
      h.values[i * ny * nx + k] = v;
      total += v;
    }
    h.entries[i] = total;
  }
  return h;
}

/**
 * Writes `rows` LS per set (sets interleaved LS by LS, as the exports are) into `file`, the lines
 * built by dqmio-write's dqmioRow from `templates` distinct LS each (only run and LS differ
 * beyond them: the parse cost is the same, the writing is not the benchmark).
 */
function writeExport(file: string, sets: HistogramSet[], rows: number): number {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `${DQMIO_HEADER}\n`);
    const bodies = sets.map((s) => Array.from(s.run, (_, i) => dqmioRow(s, i).replace(/^\d+,\d+,/, '')));
    let chunk: string[] = [];
    for (let i = 0; i < rows; i++) {
      const prefix = `${297000 + Math.floor(i / 2000)},${(i % 2000) + 1},`;
      for (const b of bodies) chunk.push(prefix + b[i % b.length]!);
      if (chunk.length >= 64) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  return statSync(file).size;
}

/** Median wall MB/s and MB per CPU-second over `reps` calls of `fn` on `bytes` (after one warm-up). */
function rate(bytes: number, reps: number, fn: () => void): { wall: number; cpu: number } {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    wall.push(bytes / ((performance.now() - t0) / 1000) / 1e6);
    cpu.push(bytes / ((c.user + c.system) / 1e6) / 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}
const fmt = (r: { wall: number; cpu: number }) => `${r.wall.toFixed(0)} MB/s wall, ${r.cpu.toFixed(0)} MB/CPU-s`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-bench-dqmio-'));
try {
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} cores (wall figures shrink under load; MB/CPU-s less so)`);

  // The physical limit: copying a 256 MB buffer (read + write of every byte) and summing it (read only).
  const big = Buffer.alloc(256 << 20, 7);
  const copy = Buffer.allocUnsafe(big.length);
  const bw = rate(big.length, 5, () => big.copy(copy));
  const u32 = new Uint32Array(big.buffer, big.byteOffset, big.length / 4);
  const scan = rate(big.length, 5, () => {
    let s = 0;
    for (let i = 0; i < u32.length; i++) s = (s + u32[i]!) | 0;
    if (s === 1) console.log('');
  });
  // A reader writes its values into fresh memory: the kernel faults in and zeroes every page first.
  const fresh = rate(big.length, 3, () => {
    const out = new Float32Array(big.length / 4);
    for (let i = 0; i < out.length; i += 1024) out[i] = 1;
  });
  console.log(`memory: copy ${(bw.wall / 1000).toFixed(1)} GB/s, JS scan ${(scan.wall / 1000).toFixed(1)} GB/s, first touch of fresh pages ${(fresh.wall / 1000).toFixed(1)} GB/s (one core)`);

  // 1D: 100 bins, 200,000 LS; 2D: 200 × 300 maps, 300 LS; and a file of both (pick the 1D one).
  const f1 = path.join(dir, 'one-d.csv');
  const f2 = path.join(dir, 'two-d.csv');
  const fm = path.join(dir, 'mixed.csv');
  const b1 = writeExport(f1, [synthetic('chargeInner_PXLayer_1', 1, 100, 512, 1)], 200_000);
  const b2 = writeExport(f2, [synthetic('clusterposition_zphi_PXLayer_1', 200, 300, 16, 2)], 300);
  const bm = writeExport(fm, [synthetic('chargeInner_PXLayer_1', 1, 100, 512, 1), synthetic('clusterposition_zphi_PXLayer_1', 200, 300, 16, 2)], 300);
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;

  const lines = (f: string) => () => {
    const starts = new Int32Array(64);
    const ends = new Int32Array(64);
    forEachLine(f, f, (b, s, e, line) => void splitFields(b, s, e, starts, ends, f, line));
  };
  const readOnly = (f: string) => () => {
    const fd = openSync(f, 'r');
    const buf = Buffer.allocUnsafe(8 << 20);
    while (readSync(fd, buf, 0, buf.length, null) > 0);
    closeSync(fd);
  };
  for (const [label, f, bytes, hname] of [
    [`1D (100 bins, 200,000 LS, ${mb(b1)})`, f1, b1, 'chargeInner_PXLayer_1'],
    [`2D (200×300, 300 LS, ${mb(b2)})`, f2, b2, 'clusterposition_zphi_PXLayer_1'],
    [`1D ME of a 1D+2D file (${mb(bm)}, 2D rows skipped)`, fm, bm, 'chargeInner_PXLayer_1'],
  ] as const) {
    const full = rate(bytes, 5, () => readDqmioCsv(f, { hname }));
    const split = rate(bytes, 3, lines(f));
    const raw = rate(bytes, 3, readOnly(f));
    const share = (r: { cpu: number }) => `${((full.cpu / r.cpu) * 100).toFixed(0)}%`;
    console.log(`DQMIO read ${label}: ${fmt(full)}`);
    console.log(`  where the time goes: read() ${raw.cpu.toFixed(0)} MB/CPU-s (${share(raw)} of the time), + line/field split ${split.cpu.toFixed(0)} MB/CPU-s (${share(split)}), the rest is the number parse`);
  }
  rmSync(f1);
  rmSync(f2);
  rmSync(fm);

  // Peak RSS: one ME of a BIG_GB export (a 1D ME and a 2D ME interleaved), read in a child process.
  const fb = path.join(dir, 'big.csv');
  const rowBytes = dqmioRow(synthetic('chargeInner_PXLayer_1', 1, 100, 1, 1), 0).length + dqmioRow(synthetic('clusterposition_zphi_PXLayer_1', 200, 300, 1, 2), 0).length + 2;
  const t0 = performance.now();
  const bb = writeExport(fb, [synthetic('chargeInner_PXLayer_1', 1, 100, 512, 1), synthetic('clusterposition_zphi_PXLayer_1', 200, 300, 16, 2)], Math.ceil((BIG_GB * 1e9) / rowBytes));
  console.log(`synthetic export: ${(bb / 1e9).toFixed(2)} GB written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const child = (file: string, hname: string) => {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, '--import', 'tsx', HERE, '--read', file, hname], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child read failed: ${r.stderr}`);
    const [wall, rssKb, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    const [ls, bins] = r.stdout.trim().split(' ').map(Number);
    return { wall: wall!, rssMb: rssKb! / 1024, cpu: user! + sys!, ls: ls!, bins: bins! };
  };
  const tiny = path.join(dir, 'tiny.csv');
  writeExport(tiny, [synthetic('chargeInner_PXLayer_1', 1, 100, 1, 1)], 1);
  const base = child(tiny, 'chargeInner_PXLayer_1');
  console.log(`  baseline (node + tsx, a 1-LS file): peak RSS ${base.rssMb.toFixed(0)} MB`);
  for (const hname of ['chargeInner_PXLayer_1', 'clusterposition_zphi_PXLayer_1']) {
    const r = child(fb, hname);
    const setMb = (r.ls * r.bins * 4) / 1e6;
    console.log(
      `  ${hname} of the ${(bb / 1e9).toFixed(2)} GB file: ${r.ls} LS × ${r.bins} bins (${setMb.toFixed(0)} MB of values), peak RSS ${r.rssMb.toFixed(0)} MB ` +
        `(${(r.rssMb - base.rssMb).toFixed(0)} MB above baseline), ${r.wall.toFixed(1)} s wall, ${(bb / 1e6 / r.cpu).toFixed(0)} MB/CPU-s`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
