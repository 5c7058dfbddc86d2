import { table, type Table, createHistogramSet, type HistogramSet } from '../../data';
import { pixelMapShape } from '../pixel-map';
import { centerOfMass, imagesRmse, meanImage, summaryStatistics } from '../kernels';
import { labelsOf, MapGenerator, planSimulation, type SimulateOptions, type SimulationPlan } from '../simulate';
import { LumiMask, type GoldenJson } from '../tasks';
import { ENTRIES_AT_FILL_START } from '../simulate-calibration';
import { hashSeed } from '../simulate-layer';
import { Prng } from '../prng';

/**
 * One layer of a simulation straight into a HistogramSet, with the same random streams as
 * `simulateParts` (so the same maps the pipeline would parse), skipping the text round trip:
 * strategy tests and the bench need maps, not the pickle format.
 */
export function simulatedLayer(plan: SimulationPlan, layer: number): HistogramSet {
  const o = plan.options;
  const n = o.runs * o.lumisections;
  const h = createHistogramSet(pixelMapShape(layer), n);
  const size = h.ny * h.nx;
  let i = 0;
  for (const [run, curve] of plan.lumi) {
    const gen = new MapGenerator(plan.models.get(layer)!, new Prng(hashSeed(o.seed, 'maps', run, layer)));
    const active = plan.anomalies.filter((a) => a.run === run && a.layer === layer);
    for (let ls = 1; ls <= o.lumisections; ls++, i++) {
      const counts = gen.sample(ENTRIES_AT_FILL_START[layer]! * curve[ls - 1]!, active.filter((a) => ls >= a.from && ls <= a.to));
      let sum = 0;
      for (let b = 0; b < size; b++) sum += counts[b]!;
      h.values.set(counts, i * size);
      h.run[i] = run;
      h.lumi[i] = ls;
      h.entries[i] = sum;
    }
  }
  return h;
}

export function simulation(options: SimulateOptions): SimulationPlan {
  return planSimulation(options);
}

/** The labels as the table the evaluation reads (run, lumi, layer, anomaly). */
export function labelsTable(plan: SimulationPlan): Table {
  const rows = labelsOf(plan);
  return table({
    run: Int32Array.from(rows, (r) => r.run),
    lumi: Int32Array.from(rows, (r) => r.lumi),
    layer: Int32Array.from(rows, (r) => r.layer),
    anomaly: rows.map((r) => r.anomaly),
  });
}

/** A stand-in for `layer_N.aggregated_properties`, from D's kernels (reference: the set's mean image). */
export function aggregatedProperties(h: HistogramSet): Table {
  const stats = summaryStatistics(h);
  const com = centerOfMass(h);
  const { rmse, meanDiff } = imagesRmse(h, meanImage(h));
  return table({
    run: Int32Array.from(h.run),
    lumi: Int32Array.from(h.lumi),
    entries: Float64Array.from(h.entries),
    mean: stats.mean,
    std: stats.std,
    center_phi: com.phi,
    center_z: com.z,
    rmse,
    mean_diff: meanDiff,
  });
}

/**
 * The task the shipped conf/base/tasks/simulated.yml holds, computed from a plan: develop = LS
 * before the first module switches off with no injected anomaly in any layer (what a certified
 * Golden JSON would keep), apply = every other LS.
 */
export function certifiedTask(plan: SimulationPlan): { develop: GoldenJson; apply: GoldenJson } {
  const firstOff = Math.min(...plan.anomalies.filter((a) => a.kind === 'module_off').map((a) => a.from));
  const labelled = new Set(labelsOf(plan).map((l) => `${l.run}:${l.lumi}`));
  const dev: [number[], number[]] = [[], []];
  const app: [number[], number[]] = [[], []];
  for (const run of plan.lumi.keys()) {
    for (let ls = 1; ls <= plan.options.lumisections; ls++) {
      const target = run === plan.options.firstRun && ls < firstOff && !labelled.has(`${run}:${ls}`) ? dev : app;
      target[0].push(run);
      target[1].push(ls);
    }
  }
  return { develop: LumiMask.fromPairs(...dev).toGoldenJson(), apply: LumiMask.fromPairs(...app).toGoldenJson() };
}
