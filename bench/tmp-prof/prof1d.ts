import { readDqmioCsv } from '/work/wt/dqmio/lib/dqm/readers';
import { createHistogramSet } from '/work/wt/dqmio/lib/data';
import { DQMIO_HEADER, dqmioRow } from '/work/wt/dqmio/lib/dqm/readers/dqmio-write';
import { writeFileSync, statSync } from 'node:fs';
const f = '/tmp/dq/one-d.csv';
const n = 512;
const h = createHistogramSet({ title: 'c', name: 'chargeInner_PXLayer_1', ny: 1, nx: 100, x: { min: 0, max: 80000, label: 'x' }, y: { min: 0, max: 1, label: 'y' } }, n);
let s = 1;
for (let i = 0; i < n; i++) { h.run[i] = 297000; h.lumi[i] = i + 1; let t = 0; for (let k = 0; k < 100; k++) { s = (s * 1103515245 + 12345) >>> 0; const v = Math.floor(2000 * Math.exp(-(((k - 25) / 12.5) ** 2)) + (s % 40)); h.values[i * 100 + k] = v; t += v; } h.entries[i] = t; }
const bodies = Array.from({ length: n }, (_, i) => dqmioRow(h, i).replace(/^\d+,\d+,/, ''));
const lines = [DQMIO_HEADER];
for (let i = 0; i < 200000; i++) lines.push(`${297000 + Math.floor(i / 2000)},${(i % 2000) + 1},` + bodies[i % n]);
writeFileSync(f, lines.join('\n') + '\n');
const bytes = statSync(f).size;
for (let r = 0; r < 6; r++) { const t = performance.now(); readDqmioCsv(f, { hname: 'chargeInner_PXLayer_1' }); console.log((bytes / 1e6 / ((performance.now() - t) / 1000)).toFixed(0), 'MB/s'); }
