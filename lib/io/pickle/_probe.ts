import { readParquet, writeParquet } from '../parquet';
import type { HistogramSet } from '../../dqm/histogram-set';
const n = 500, ny = 202, nx = 302;
const values = new Float32Array(n * ny * nx);
for (let i = 0; i < values.length; i++) values[i] = (i * 7919) % 13 < 3 ? 0 : (i % 1000);
const h: HistogramSet = { kind: 'histogram-set', title: 't', run: new Int32Array(n).fill(1), lumi: Int32Array.from({ length: n }, (_, i) => i), entries: new Float64Array(n), ny, nx, x: { min: 0, max: 1, label: 'z' }, y: { min: 0, max: 1, label: 'phi' }, values };
for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
  let t = performance.now();
  const bytes = writeParquet(h, { codec });
  const w = performance.now() - t;
  t = performance.now();
  const back = (await readParquet(bytes)) as HistogramSet;
  const r = performance.now() - t;
  console.log(codec, (bytes.length / 1e6).toFixed(1), 'MB', 'write', w.toFixed(0), 'ms', 'read', r.toFixed(0), 'ms', back.values[12345] === values[12345]);
}
