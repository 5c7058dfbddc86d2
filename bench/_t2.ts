import { readFileSync } from 'node:fs';
import { parseMapCropped } from '../lib/dqm/parse-map';
import { parseX } from './_px';
const lines = readFileSync('/tmp/dqm-real/L1.txt', 'latin1').trim().split('\n').map((l) => Buffer.from(l.split('\t')[2]!, 'latin1').toString('utf8'));
const bufs = lines.map((l) => Buffer.from(l, 'latin1'));
let bytes = 0; for (const l of lines) bytes += l.length;
function simple(s: Uint8Array, out: Float32Array, off: number) {
  const n = s.length; let v = 0, k = off, inNum = false;
  for (let i = 0; i < n; i++) { const c = s[i]!; if (c >= 48 && c <= 57) { v = v * 10 + c - 48; inNum = true; } else if (inNum) { out[k++] = v; v = 0; inNum = false; } }
  return k;
}
// nested rows/cols variant
function nested(b: Uint8Array, out: Float32Array, off: number) {
  const n = b.length; let i = 1; let w = off; let sum = 0, sumSq = 0;
  for (let r = 0; r < 202; r++) {
    const inner = r >= 1 && r < 201;
    for (let col = 0; col < 302; col++) {
      let c = b[i]!; 
      if (c < 48 || c > 57) throw new Error('x');
      let v = c - 48; i++;
      while (i < n) { c = b[i]!; if (c < 48 || c > 57) break; v = v * 10 + (c - 48); i++; }
      sum += v; sumSq += v * v;
      if (inner && col >= 1 && col < 301) out[w++] = v;
      if (c === 44) { i++; if (b[i] === 32) i++; }
    }
  }
  return sum + sumSq;
}
const out = new Float32Array(61004 * lines.length);
for (let rep = 0; rep < 3; rep++) for (const mode of ['nested', 'mine', 'x']) {
  const c0 = process.cpuUsage(); const t0 = performance.now(); let reps = 0;
  while (performance.now() - t0 < 1000) { bufs.forEach((l, j) => mode === 'simple' ? simple(l, out, j * 61004) : mode === 'nested' ? nested(l, out, j * 60000) : mode === 'mine' ? parseMapCropped(l, out, j * 60000) : parseX(l, out, j*60000, 61004, {rows:202, cols:302, border:1}, {})); reps++; }
  const cu = process.cpuUsage(c0); console.log(mode, ((bytes * reps) / ((cu.user + cu.system) / 1e6) / 1e6).toFixed(0), 'MB/s cpu');
}
