import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPandasPickle } from '../io';
import { type Table, mapOf, type HistogramSet, table } from '../data';
import { buildHistogramSet } from './build-histogram-set';
import { pixelMapShape } from './pixel-map';
import { labelsOf, MapGenerator, planSimulation, simulateParts, simulateStream } from './simulate';
import { SlabPool } from './simulate-slabs';
import { Prng } from './prng';
import { MODULE_EDGES } from './simulate-calibration';
import { writeSimulation } from './simulate-write';
import { simulateOnThreads } from './simulate-threads';
import { HistogramError } from './errors';
import { pythonReference, realPickle } from './real-run.fixtures';

async function simulatedSet(layer: number, lumisections: number, seed = 3): Promise<HistogramSet> {
  const plan = planSimulation({ seed, lumisections, layers: [layer] });
  const parts = [...simulateParts(plan)];
  return buildHistogramSet(parts[0]!.table, { dataset: 'sim', shape: pixelMapShape(layer) });
}

async function realSet(layer: 1 | 2): Promise<HistogramSet> {
  const ref = pythonReference(realPickle(layer));
  const t = table({ run: ref.maps.map((m) => m.run), lumi: ref.maps.map((m) => m.lumi), map: ref.maps.map((m) => m.text) });
  return buildHistogramSet(t, { dataset: 'real', shape: pixelMapShape(layer) });
}

/** Mean occupancy per bin, per LS, of each z module (alive bins of the active rows only), divided by the LS entries. */
function moduleProfile(h: HistogramSet): number[] {
  const out: number[] = [];
  for (let m = 0; m < 8; m++) {
    let s = 0;
    let n = 0;
    for (let i = 0; i < h.run.length; i++) {
      const map = mapOf(h, i);
      for (let y = 2; y < 198; y++) for (let x = MODULE_EDGES[m]!; x < MODULE_EDGES[m + 1]!; x++) (s += map[y * 300 + x]! / h.entries[i]!), n++;
    }
    out.push(s / n);
  }
  return out;
}

/** Fraction of the active area (rows 2-197, columns 82-215) empty in every LS: the dead pixels. */
function deadFraction(h: HistogramSet): number {
  let dead = 0;
  let all = 0;
  for (let y = 2; y < 198; y++) {
    for (let x = 82; x < 216; x++) {
      all++;
      let any = false;
      for (let i = 0; i < h.run.length && !any; i++) any = h.values[i * 60000 + y * 300 + x]! > 0;
      if (!any) dead++;
    }
  }
  return dead / all;
}

describe('the simulator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = [...simulateParts(planSimulation({ seed: 7, lumisections: 3, layers: [2, 4] }))];
    const b = [...simulateParts(planSimulation({ seed: 7, lumisections: 3, layers: [2, 4] }))];
    const c = [...simulateParts(planSimulation({ seed: 8, lumisections: 3, layers: [2, 4] }))];
    // Maps as text: a deep comparison of 61,004-byte arrays element by element is very slow.
    const texts = (parts: typeof a) => parts.map((p) => ({ ...p.table.columns, map: Array.from(p.table.columns.map as Uint8Array[], (m) => Buffer.from(m).toString('latin1')) }));
    expect(texts(a)).toEqual(texts(b));
    expect(texts(a)[0]!.map).not.toEqual(texts(c)[0]!.map);
    // A layer's maps do not depend on the other layers simulated.
    const only4 = [...simulateParts(planSimulation({ seed: 7, lumisections: 3, layers: [4] }))];
    expect(texts(only4)[0]!.map).toEqual(texts(a)[1]!.map);
  });

  it('writes maps of the real shape: 202 × 302, empty under/overflow, entries falling over the fill', async () => {
    const h = await simulatedSet(3, 60);
    expect(h.rawBins).toBe(202 * 302);
    let image = 0;
    for (let k = 0; k < 60000; k++) image += h.values[k]!;
    expect(image).toBe(h.entries[0]); // nothing in the border
    expect(h.entries[0]).toBeGreaterThan(250_000);
    const low = labelsOf(planSimulation({ seed: 3, lumisections: 60, layers: [3] })).filter((l) => l.anomaly === 'low_statistics').map((l) => l.lumi);
    const normal = Array.from(h.entries).filter((_, i) => !low.includes(h.lumi[i]!));
    expect(normal[normal.length - 1]!).toBeLessThan(normal[0]! * 1.02);
  });

  for (const layer of [1, 2] as const) {
    it(`layer ${layer}: occupancy per module and dead-area fraction comparable with the real maps`, async () => {
      const real = await realSet(layer);
      const sim = await simulatedSet(layer, 16);
      const r = moduleProfile(real);
      const s = moduleProfile(sim);
      r.forEach((v, m) => {
        expect(s[m]! / v, `module ${m}: simulated ${s[m]} vs real ${v}`).toBeGreaterThan(0.7);
        expect(s[m]! / v, `module ${m}: simulated ${s[m]} vs real ${v}`).toBeLessThan(1.4);
      });
      const meanReal = real.entries.reduce((a, b) => a + b, 0) / real.run.length;
      const meanSim = sim.entries.reduce((a, b) => a + b, 0) / sim.run.length;
      expect(meanSim / meanReal).toBeGreaterThan(0.8);
      expect(meanSim / meanReal).toBeLessThan(1.6); // the real LS sample the middle and end of the fill
      const deadReal = deadFraction(real);
      const deadSim = deadFraction(sim);
      expect(deadReal).toBeGreaterThan(0.005);
      expect(deadSim).toBeGreaterThan(deadReal / 3);
      expect(deadSim).toBeLessThan(deadReal * 3);
    });
  }

  it('labels what it injects: a module switching off, hot spots, noisy regions, low statistics', async () => {
    const plan = planSimulation({ seed: 11, lumisections: 40, layers: [2] });
    const labels = labelsOf(plan);
    const h = await buildHistogramSet(readOnly(plan), { dataset: 'sim', shape: pixelMapShape(2) });
    const kinds = new Set(labels.map((l) => l.anomaly));
    expect([...kinds].sort()).toEqual(['hot_spot', 'low_statistics', 'module_off', 'noisy_region']);
    const off = plan.anomalies.find((a) => a.kind === 'module_off')!;
    for (let i = 0; i < h.run.length; i++) {
      const map = mapOf(h, i);
      const sum = off.bins.reduce((s, b) => s + map[b]!, 0);
      if (h.lumi[i]! >= off.from) expect(sum, `LS ${h.lumi[i]}`).toBe(0);
      else expect(sum, `LS ${h.lumi[i]}`).toBeGreaterThan(0);
    }
    expect(labels.filter((l) => l.anomaly === 'module_off').map((l) => l.lumi)).toEqual(Array.from({ length: 40 - off.from + 1 }, (_, k) => off.from + k));
    const median = [...h.entries].sort((a, b) => a - b)[20]!;
    for (const l of labels.filter((x) => x.anomaly === 'low_statistics')) expect(h.entries[l.lumi - 1]!).toBeLessThan(median * 0.1);
    const hot = plan.anomalies.find((a) => a.kind === 'hot_spot')!;
    const i = hot.from - 1;
    const before = hot.bins.reduce((s, b) => s + mapOf(h, i)[b]!, 0);
    expect(before).toBeGreaterThan(hot.bins.length * 15 * (h.entries[i]! / 30000));
  });

  it('writes the pickles and labels.csv the pipelines read, replacing an older simulation', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'dqm-sim-'));
    const progress: string[] = [];
    const summary = await writeSimulation({ seed: 2, lumisections: 5, runs: 2, layers: [1, 3], chunkSize: 3 }, out, (p) => progress.push(`${p.run}/${p.layer}:${p.done}/${p.total}`), {
      threads: 1,
    });
    expect(readdirSync(path.join(out, 'pixel_layer_1')).sort()).toEqual([
      '.simulated.json',
      'Run_357000_0_clusterposition_PXLayer_1.pkl',
      'Run_357000_1_clusterposition_PXLayer_1.pkl',
      'Run_357001_0_clusterposition_PXLayer_1.pkl',
      'Run_357001_1_clusterposition_PXLayer_1.pkl',
    ]);
    expect(progress.slice(0, 3)).toEqual(['357000/1:3/5', '357000/1:5/5', '357000/3:3/5']);
    const t: Table = readPandasPickle(readFileSync(path.join(out, 'pixel_layer_3/Run_357001_1_clusterposition_PXLayer_3.pkl')));
    expect(Object.keys(t.columns)).toEqual(['run', 'lumi', 'map']);
    expect(Array.from(t.columns.lumi as Int32Array)).toEqual([4, 5]);
    const csv = readFileSync(path.join(out, 'labels.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('run,lumi,layer,anomaly,ladder,module,phi_bin,z_bin');
    expect(csv.length - 2).toBe(summary.labels);
    // A second, smaller simulation removes the old parts of the folder it made.
    writeFileSync(path.join(out, 'pixel_layer_3', 'Run_1_0_clusterposition_PXLayer_3.pkl'), 'x');
    await writeSimulation({ seed: 2, lumisections: 2, runs: 1, layers: [3] }, out);
    expect(readdirSync(path.join(out, 'pixel_layer_3')).sort()).toEqual(['.simulated.json', 'Run_357000_0_clusterposition_PXLayer_3.pkl']);
  });

  it('writes the same files, byte for byte, on worker threads', async () => {
    const options = { seed: 5, lumisections: 4, runs: 2, layers: [2, 4], chunkSize: 3 };
    const one = mkdtempSync(path.join(os.tmpdir(), 'dqm-sim-1-'));
    const two = mkdtempSync(path.join(os.tmpdir(), 'dqm-sim-2-'));
    const a = await writeSimulation(options, one, undefined, { threads: 1 });
    const progress: string[] = [];
    const b = await writeSimulation(options, two, (p) => progress.push(`${p.run}/${p.layer}:${p.done}`), { threads: 2 });
    expect(b.files.map((f) => path.relative(two, f))).toEqual(a.files.map((f) => path.relative(one, f)));
    expect(a.files).toHaveLength(8);
    a.files.forEach((f, i) => expect(readFileSync(b.files[i]!).equals(readFileSync(f))).toBe(true));
    expect(b.bytes).toBe(a.bytes);
    expect(readFileSync(b.labelsFile, 'utf8')).toBe(readFileSync(a.labelsFile, 'utf8'));
    // Each stream reports its parts in order, whichever thread wrote it.
    expect(progress.filter((p) => p.startsWith('357001/4:'))).toEqual(['357001/4:3', '357001/4:4']);
    expect(progress).toHaveLength(8);
  });

  it('a stream that fails on its thread fails the simulation with its run, layer and cause, once the others stop', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'dqm-sim-bad-'));
    // Layer 3 is not in the plan the threads make from these options: its stream throws there.
    const streams = [{ run: 357000, layer: 1 }, { run: 357000, layer: 3 }, { run: 357000, layer: 2 }];
    const parts: string[] = [];
    const error = await simulateOnThreads({ seed: 5, lumisections: 2, layers: [1, 2] }, out, streams, 2, (p) => parts.push(path.relative(out, p.file))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistogramError);
    expect((error as Error).message).toMatch(/^Simulation of run 357000, layer 3 failed: Cannot read properties of undefined/);
    // The stream already running finished its file; nothing of layer 3, no temp file anywhere.
    expect(parts).toContain('pixel_layer_1/Run_357000_0_clusterposition_PXLayer_1.pkl');
    expect(readdirSync(out, { recursive: true }).filter((f) => String(f).includes('PXLayer_3') || String(f).includes('.tmp-'))).toEqual([]);
  });

  it('map text is the counts with their empty border, as Python prints the list (1- to 4-digit counts, every layer)', () => {
    const plan = planSimulation({ seed: 4, lumisections: 3 });
    for (const layer of [1, 2, 3, 4]) {
      const model = plan.models.get(layer)!;
      const spot = plan.anomalies.find((a) => a.kind === 'hot_spot' && a.layer === layer)!;
      // Strong hot spots and a module off: counts from 0 to over 1,000 in one map.
      const anomalies = [{ ...spot, strength: 60 }, { ...spot, bins: spot.bins.slice(0, 1), strength: 2000 }, plan.anomalies.find((a) => a.kind === 'module_off' && a.layer === layer)!];
      const a = new MapGenerator(model, new Prng(11));
      const b = new MapGenerator(model, new Prng(11));
      for (const entries of [438_000, 20_000, 3_000_000]) {
        const counts = a.sample(entries, anomalies);
        const raw = new Int32Array(202 * 302);
        for (let r = 0; r < 200; r++) for (let c = 0; c < 300; c++) raw[(r + 1) * 302 + c + 1] = counts[r * 300 + c]!;
        expect(Math.max(...counts)).toBeGreaterThan(entries > 1e6 ? 999 : 99);
        expect(b.mapText(entries, anomalies)).toBe(`[${raw.join(', ')}]`);
      }
    }
  });

  it('with a slab pool, the next parts reuse the slabs of a released part, the maps unchanged', () => {
    const plan = planSimulation({ seed: 2, lumisections: 300, layers: [2], chunkSize: 100 });
    const text = (m: Uint8Array) => Buffer.from(m).toString('latin1');
    const plain = [...simulateStream(plan, 357000, 2)].map((p) => (p.table.columns.map as Uint8Array[]).map(text));
    const pool = new SlabPool();
    const slabs: Array<Set<ArrayBufferLike>> = [];
    const pooled: string[][] = [];
    for (const part of simulateStream(plan, 357000, 2, pool)) {
      const maps = part.table.columns.map as Uint8Array[];
      slabs.push(new Set(maps.map((m) => m.buffer)));
      pooled.push(maps.map(text)); // read before the part is released, as the writer does
      part.release!();
    }
    expect(pooled).toEqual(plain);
    expect(slabs[0]!.size).toBeGreaterThan(1);
    expect([...slabs[1]!].every((b) => slabs[0]!.has(b))).toBe(true);
  });

  it('rejects bad options with a clear message', () => {
    expect(() => planSimulation({ lumisections: 0 })).toThrow("Simulation option 'lumisections' must be a positive integer, got 0");
    expect(() => planSimulation({ layers: [5] })).toThrow('Simulation layers must be among 1, 2, 3, 4, got 5');
    expect(() => planSimulation({ seed: 1.5 })).toThrow("Simulation option 'seed' must be an integer, got 1.5");
  });
});

function readOnly(plan: ReturnType<typeof planSimulation>): Table {
  return [...simulateParts(plan)][0]!.table;
}
