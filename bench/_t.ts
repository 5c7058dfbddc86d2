import { readFileSync } from 'node:fs';
import { parseMapText, parseMapCropped } from '../lib/dqm/parse-map';
const lines = readFileSync('/tmp/dqm-real/L1.txt', 'latin1').trim().split('\n').map((l) => Buffer.from(l.split('\t')[2]!, 'latin1').toString('utf8'));
const bufs = lines.map((l) => Buffer.from(l, 'latin1'));
const out = new Float32Array(61004 * lines.length);
let bytes = 0; for (const l of lines) bytes += l.length;
for (const mode of ['full', 'crop', 'cropbytes', 'full', 'crop', 'cropbytes']) {
  const t0 = performance.now(); let reps = 0;
  while (performance.now() - t0 < 1500) { lines.forEach((l, j) => mode === 'full' ? parseMapText(l, out, j * 61004) : mode === 'crop' ? parseMapCropped(l, out, j * 60000) : parseMapCropped(bufs[j]!, out, j * 60000)); reps++; }
  const dt = (performance.now() - t0) / 1000;
  console.log(mode, ((bytes * reps) / dt / 1e6).toFixed(0), 'MB/s');
}
console.log(parseMapText(lines[0]!, out, 0));
