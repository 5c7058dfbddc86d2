import { readFileSync } from 'node:fs';
import { parseHistoList, firstBadCount } from '../../lib/dqm/readers/parse-histo';
import { splitFields } from '../../lib/dqm/readers/line-reader';
const buf = readFileSync('/tmp/dq/one-d.csv');
const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
const ls: number[] = []; const hs: number[] = []; const he: number[] = [];
let pos = buf.indexOf(10) + 1;
while (pos < b.length) { const nl = buf.indexOf(10, pos); const q = buf.indexOf(34, pos); const q2 = buf.indexOf(34, q + 1); ls.push(pos, nl); hs.push(q + 1); he.push(q2); pos = nl + 1; }
const row = new Float32Array(102);
const starts = new Int32Array(64), ends = new Int32Array(64);
for (let r = 0; r < 5; r++) {
  let t = performance.now();
  for (let i = 0; i < hs.length; i++) parseHistoList(b, hs[i]!, he[i]!, row);
  const tp = performance.now() - t; t = performance.now();
  for (let i = 0; i < hs.length; i++) firstBadCount(row);
  const tb = performance.now() - t; t = performance.now();
  for (let i = 0; i < hs.length; i++) splitFields(b, ls[2 * i]!, ls[2 * i + 1]!, starts, ends, 'x', i);
  const ts = performance.now() - t;
  console.log(`parse ${(b.length / 1e3 / tp).toFixed(0)} MB/s, bad ${(b.length / 1e3 / tb).toFixed(0)}, split ${(b.length / 1e3 / ts).toFixed(0)} MB/s`);
}
