const n = 200000;
const row = new Float32Array(102);
const inner = row.subarray(1, 101);
for (let r = 0; r < 5; r++) {
  const out = new Float32Array(n * 100);
  let t = performance.now();
  for (let i = 0; i < n; i++) out.set(inner, i * 100);
  const t1 = performance.now() - t; t = performance.now();
  for (let i = 0; i < n; i++) out.set(inner, i * 100);
  const t2 = performance.now() - t; t = performance.now();
  for (let i = 0; i < n; i++) { const o = i * 100; for (let j = 0; j < 100; j++) out[o + j] = row[j + 1]!; }
  const t3 = performance.now() - t;
  console.log(`fresh ${(t1 * 1e6 / n).toFixed(0)} ns, touched ${(t2 * 1e6 / n).toFixed(0)} ns, loop ${(t3 * 1e6 / n).toFixed(0)} ns`);
}
