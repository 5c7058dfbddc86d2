import { readFileSync } from 'node:fs';
import { numberAt, splitFields, sameBytes } from '../../lib/dqm/readers/line-reader';
import { LsColumns } from '../../lib/dqm/readers/ls-columns';
const buf = readFileSync('/tmp/dq/one-d.csv');
const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
const ls: number[] = [];
let pos = buf.indexOf(10) + 1;
while (pos < b.length) { const nl = buf.indexOf(10, pos); ls.push(pos, nl); pos = nl + 1; }
const row = new Float32Array(102);
const inner = row.subarray(1, 101);
const starts = new Int32Array(64), ends = new Int32Array(64);
const n = ls.length / 2;
for (let i = 0; i < n; i++) splitFields(b, ls[2 * i]!, ls[2 * i + 1]!, starts, ends, 'x', i);
const target = Buffer.from('chargeInner_PXLayer_1');
for (let r = 0; r < 5; r++) {
  let t = performance.now();
  let acc = 0;
  for (let i = 0; i < n; i++) for (const k of [0, 1, 3, 5, 8, 11]) acc += numberAt(b, starts[k]!, ends[k]!);
  const tn = performance.now() - t; t = performance.now();
  const cols = new LsColumns(100, b.length);
  for (let i = 0; i < n; i++) { const o = cols.push(1, i, 5, i, 700, 0); cols.buffer().set(inner, o); }
  const tc = performance.now() - t; t = performance.now();
  for (let i = 0; i < n; i++) acc += sameBytes(b, starts[2]!, ends[2]!, target) ? 1 : 0;
  const ts = performance.now() - t;
  console.log(`numbers ${(tn * 1e6 / n).toFixed(0)} ns/line, push+set ${(tc * 1e6 / n).toFixed(0)} ns/line, same ${(ts * 1e6 / n).toFixed(0)}`, acc > 0);
}
