/**
 * The HDF5 files are the contract with Python users: Debian's h5py (python3-h5py, installed by
 * .ci/run) reads what the product writes value by value, and the product reads what h5py writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistogramSet, forEachBlock, mapOf, table, type HistogramSet } from '../../data';
import { buildHistogramSet } from '../build-histogram-set';
import { histogramSetStream } from '../stream-histogram-set';
import { HistogramSetDataset } from '../histogram-set-dataset';
import { pixelMapShape } from '../pixel-map';

const PYTHON = '/usr/bin/python3';

function python(script: string, ...args: string[]): string {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${PYTHON} failed (is python3-h5py installed? .ci/run installs it): ${r.stderr}`);
  return r.stdout;
}

const READ = `
import sys, json, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
v = f['values']
out = {
  'attrs': {k: (v2.item() if hasattr(v2, 'item') else v2) for k, v2 in f.attrs.items()},
  'keys': sorted(f.keys()),
  'shape': list(v.shape), 'dtype': str(v.dtype), 'chunks': list(v.chunks),
  'values': v[:].astype(np.float64).ravel().tolist(),
  'run': f['run'][:].tolist(), 'lumi': f['lumi'][:].tolist(), 'entries': f['entries'][:].tolist(),
  'run_dtype': str(f['run'].dtype), 'entries_dtype': str(f['entries'].dtype),
}
print(json.dumps(out))
`;

describe('HDF5 histogram sets and h5py', () => {
  it('h5py reads a set the product wrote, value by value, with its metadata', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'h5py-'));
    const h = createHistogramSet({ ...pixelMapShape(3), ny: 6, nx: 7, source: { format: 'pickle', path: 'data/01_raw/Run_316187.pkl' }, name: 'PixelPhase1/Phase1_MechanicalView/PXBarrel/clusterposition_zphi_PXLayer_3' }, 5, { normalisation: 'entries', rawBins: 202 * 302 });
    h.run.fill(316187);
    h.lumi.set([1, 2, 3, 5, 8]);
    h.entries.set([10.5, 20, 30, 0, 1e9]);
    h.values.forEach((_, k) => (h.values[k] = Math.fround(Math.sin(k) * 1000)));
    await new HistogramSetDataset({ filepath: 'set.h5' }, { projectRoot: root }).save(h);
    const py = JSON.parse(python(READ, path.join(root, 'set.h5')));
    expect(py.keys).toEqual(['entries', 'lumi', 'run', 'values']);
    expect([py.shape, py.dtype, py.chunks, py.run_dtype, py.entries_dtype]).toEqual([[5, 6, 7], 'float32', [390, 6, 7], 'int32', 'float64']);
    expect(py.values).toEqual(Array.from(h.values));
    expect(py.run).toEqual(Array.from(h.run));
    expect(py.lumi).toEqual([1, 2, 3, 5, 8]);
    expect(py.entries).toEqual([10.5, 20, 30, 0, 1e9]);
    expect(py.attrs).toEqual({
      format: 'dqm-histogram-set', version: 1,
      title: h.title, me: h.name, source: 'pickle', source_path: 'data/01_raw/Run_316187.pkl',
      x_title: h.x.label, x_min: h.x.min, x_max: h.x.max, x_bins: 7,
      y_title: h.y.label, y_min: h.y.min, y_max: h.y.max, y_bins: 6,
      normalisation: 'entries', raw_bins: 202 * 302,
    });
  });

  it('the product reads a set h5py wrote (plain numpy arrays and a few attributes)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'h5py-'));
    python(`
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], 'w') as f:
    f['values'] = (np.arange(4 * 3 * 2, dtype=np.float64) * 0.5).reshape(4, 3, 2)
    f['run'] = np.array([297176] * 4, dtype=np.int64)
    f['lumi'] = np.arange(10, 14)
    f['entries'] = np.array([1.0, 2.0, 3.0, 4.0])
    f.attrs['title'] = 'my map'
    f.attrs['me'] = 'PXBarrel/my_map'
    f.attrs['x_title'] = 'z'
    f.attrs['x_unit'] = 'cm'
    f.attrs['x_min'] = -26.6
    f.attrs['x_max'] = 26.6
    f.attrs['source'] = 'dials'
`, path.join(root, 'py.h5'));
    const ds = new HistogramSetDataset({ filepath: 'py.h5' }, { projectRoot: root });
    const h = await ds.load();
    expect(h).toEqual({
      kind: 'histogram-set', title: 'my map', name: 'PXBarrel/my_map', source: { format: 'dials' },
      run: Int32Array.from([297176, 297176, 297176, 297176]), lumi: Int32Array.from([10, 11, 12, 13]), entries: Float64Array.from([1, 2, 3, 4]),
      ny: 3, nx: 2, x: { min: -26.6, max: 26.6, label: 'z', unit: 'cm' }, y: { min: 0, max: 3, label: '' },
      values: Float32Array.from({ length: 24 }, (_, k) => k * 0.5),
    });
    expect(Array.from((await ds.loadLs(3)).map)).toEqual(Array.from(mapOf(h as HistogramSet, 3)));
    // Lazily too: float64 /values (not the raw float32 fast path) in blocks, as float32 maps.
    const lazy = await new HistogramSetDataset({ filepath: 'py.h5', lazy: true }, { projectRoot: root }).load();
    const blocks: number[] = [];
    forEachBlock(lazy, (b, start) => blocks.push(start, ...Array.from(b.values)), 3);
    expect(blocks).toEqual([0, ...Array.from((h as HistogramSet).values.subarray(0, 18)), 3, ...Array.from((h as HistogramSet).values.subarray(18))]);
  });

  it('a one-LS read of a pixel-map set reads about one chunk, not the file', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'h5py-'));
    const h = createHistogramSet(pixelMapShape(1), 200);
    h.values.forEach((_, k) => (h.values[k] = k % 977));
    const ds = new HistogramSetDataset({ filepath: 'big.h5' }, { projectRoot: root });
    await ds.save(h);
    const fileBytes = statSync(path.join(root, 'big.h5')).size;
    const chunkBytes = h.ny * h.nx * 4;
    const before = bytesReadByThisProcess();
    const one = await new HistogramSetDataset({ filepath: 'big.h5' }, { projectRoot: root }).loadLs(137);
    const read = bytesReadByThisProcess() - before;
    expect(Array.from(one.map)).toEqual(Array.from(mapOf(h, 137)));
    expect(fileBytes).toBeGreaterThan(190 * chunkBytes);
    // One chunk plus the header, run/lumi/entries and HDF5's B-tree: far below 2 chunks.
    expect(read).toBeGreaterThanOrEqual(chunkBytes);
    expect(read).toBeLessThan(2 * chunkBytes);
  });

  it('h5py reads a set data_processing streamed to its file (pixel maps, one LS a chunk), as the set built in memory', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'h5py-stream-'));
    const map = (base: number) => `[${Array.from({ length: 202 * 302 }, (_, k) => (base * 7 + k) % 13).join(', ')}]`;
    // Out of order (through the scratch file), and in order (straight to the file: values first, header last).
    for (const lumis of [[9, 2, 5], [2, 5, 9]]) {
      const raw = table({ run: Int32Array.of(316187, 316187, 316187), lumi: Int32Array.from(lumis), map: lumis.map(map) });
      const options = { dataset: 'raw_pixel_layer_2', shape: pixelMapShape(2), normalisation: 'max' as const };
      const ds = new HistogramSetDataset({ filepath: 'streamed.h5', lazy: true }, { projectRoot: root });
      await ds.save(histogramSetStream(raw, options));
      const py = JSON.parse(python(READ, path.join(root, 'streamed.h5')));
      const built = await buildHistogramSet(raw, options);
      expect([py.shape, py.dtype, py.chunks]).toEqual([[3, 200, 300], 'float32', [1, 200, 300]]);
      expect(py.lumi).toEqual([2, 5, 9]);
      expect(py.entries).toEqual(Array.from(built.entries));
      expect(py.values).toEqual(Array.from(built.values));
      expect(py.attrs).toMatchObject({ format: 'dqm-histogram-set', title: built.title, normalisation: 'max', raw_bins: 202 * 302 });
    }
  });
});

/** `rchar` of /proc/self/io: bytes this process got from read() calls, whatever the caller. */
function bytesReadByThisProcess(): number {
  const io = readFileSync('/proc/self/io', 'utf8');
  return Number(/^rchar: (\d+)$/m.exec(io)![1]);
}
