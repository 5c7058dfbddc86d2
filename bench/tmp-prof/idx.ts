import { readFileSync } from 'node:fs';
const buf = readFileSync('/tmp/dq/one-d.csv');
const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
const qs: number[] = [];
let pos = buf.indexOf(10) + 1;
while (pos < b.length) { const nl = buf.indexOf(10, pos); qs.push(buf.indexOf(34, pos)); pos = nl + 1; }
for (let r = 0; r < 4; r++) {
  let t = performance.now(); let a = 0;
  for (const q of qs) a += b.indexOf(34, q + 1);
  const t1 = performance.now() - t; t = performance.now();
  for (const q of qs) a += buf.indexOf(34, q + 1);
  const t2 = performance.now() - t; t = performance.now();
  for (const q of qs) { let p = q + 1; while (b[p] !== 34) p++; a += p; }
  const t3 = performance.now() - t;
  console.log(`u8.indexOf ${(t1 * 1e6 / qs.length).toFixed(0)} ns, Buffer.indexOf ${(t2 * 1e6 / qs.length).toFixed(0)} ns, loop ${(t3 * 1e6 / qs.length).toFixed(0)} ns`, a > 0);
}
const bi = Buffer.prototype.indexOf;
for (let r = 0; r < 3; r++) {
  let t = performance.now(); let a = 0;
  for (const q of qs) a += bi.call(b, 34, q + 1);
  const t1 = performance.now() - t; t = performance.now();
  for (const q of qs) a += b.indexOf(44, q - 5);
  const t2 = performance.now() - t; t = performance.now();
  for (const q of qs) a += bi.call(b, 44, q - 5);
  const t3 = performance.now() - t;
  console.log(`call quote ${(t1 * 1e6 / qs.length).toFixed(0)} ns; short comma u8 ${(t2 * 1e6 / qs.length).toFixed(0)} ns, Buffer ${(t3 * 1e6 / qs.length).toFixed(0)}`, a > 0, bi.call(b, 34, qs[0]! + 1) === b.indexOf(34, qs[0]! + 1));
}
