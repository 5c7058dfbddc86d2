import { table, type Table } from '../data';
import { HistogramError } from './errors';
import { RAW_MAP_COLS, RAW_MAP_ROWS } from './parse-map';
import { poissonTabled } from './poisson-table';
import { Prng } from './prng';
import { ENTRIES_AT_FILL_START, LUMI_LIFETIME_LS, MODULE_EDGES } from './simulate-calibration';
import { buildLayerModel, hashSeed, IMAGE_COLS, moduleBins, type LayerModel } from './simulate-layer';
import { SLAB, type SlabPool } from './simulate-slabs';

export interface SimulateOptions {
  seed?: number;
  /** Lumisections per run. */
  lumisections?: number;
  runs?: number;
  layers?: number[];
  firstRun?: number;
  /** Lumisections per file: a long run is split into parts `Run_<run>_<part>_...`. */
  chunkSize?: number;
  /** Inject the labelled anomalies (default true). */
  anomalies?: boolean;
}

export type AnomalyKind = 'module_off' | 'hot_spot' | 'noisy_region' | 'low_statistics';

/** One ground-truth label: this LS of this layer carries this anomaly (where, when it has a place). */
export interface AnomalyLabel {
  run: number;
  lumi: number;
  layer: number;
  anomaly: AnomalyKind;
  ladder: number | null;
  module: number | null;
  phiBin: number | null;
  zBin: number | null;
}

/** An injected anomaly over lumisections [from, to] of a run (layer 0 = every layer). */
export interface PlannedAnomaly {
  kind: AnomalyKind;
  run: number;
  layer: number;
  from: number;
  to: number;
  ladder: number | null;
  module: number | null;
  /** Image bins affected (empty for low_statistics). */
  bins: number[];
  /** low_statistics: fraction of the entries kept; hot_spot: extra occupancy in units of the mean bin. */
  strength: number;
}

/** A simulated file: the same columns (run, lumi, map) as the real pickles. */
export interface SimulatedPart {
  layer: number;
  run: number;
  part: number;
  table: Table;
  /** With a slab pool: gives the maps' memory back for reuse (once nothing reads the maps any more). */
  release?: () => void;
}

export const DEFAULT_SIMULATION: Required<SimulateOptions> = {
  seed: 1, lumisections: 500, runs: 1, layers: [1, 2, 3, 4], firstRun: 357000, chunkSize: 1000, anomalies: true,
};

export function resolveOptions(options: SimulateOptions = {}): Required<SimulateOptions> {
  const o = { ...DEFAULT_SIMULATION, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<SimulateOptions>;
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new HistogramError(`Simulation option '${name}' must be a positive integer, got ${v}`, { code: 'BAD_SIMULATION_OPTION' });
  };
  positive('lumisections', o.lumisections);
  positive('runs', o.runs);
  positive('chunkSize', o.chunkSize);
  positive('firstRun', o.firstRun);
  if (!Number.isInteger(o.seed)) throw new HistogramError(`Simulation option 'seed' must be an integer, got ${o.seed}`, { code: 'BAD_SIMULATION_OPTION' });
  const bad = o.layers.filter((l) => ![1, 2, 3, 4].includes(l));
  if (!o.layers.length || bad.length) throw new HistogramError(`Simulation layers must be among 1, 2, 3, 4, got ${o.layers.join(',') || 'none'}`, { code: 'BAD_SIMULATION_OPTION' });
  return o;
}

/** Everything the maps depend on, decided up front: detector models, fills, anomalies. */
export interface SimulationPlan {
  options: Required<SimulateOptions>;
  models: Map<number, LayerModel>;
  /** Per run: relative luminosity of each LS (index lumi - 1), low-statistics LS included. */
  lumi: Map<number, Float64Array>;
  anomalies: PlannedAnomaly[];
}

export function planSimulation(options: SimulateOptions = {}): SimulationPlan {
  const o = resolveOptions(options);
  const models = new Map(o.layers.map((l) => [l, buildLayerModel(l, o.seed)]));
  const lumi = new Map<number, Float64Array>();
  const anomalies: PlannedAnomaly[] = [];
  const n = o.lumisections;
  for (let r = 0; r < o.runs; r++) {
    const run = o.firstRun + r;
    const rng = new Prng(hashSeed(o.seed, 'fill', run));
    const peak = 1 + 0.08 * rng.normal();
    const curve = new Float64Array(n);
    for (let ls = 1; ls <= n; ls++) curve[ls - 1] = peak * Math.exp(-(ls - 1) / LUMI_LIFETIME_LS) * (1 + 0.02 * rng.normal());
    lumi.set(run, curve);
    if (!o.anomalies) continue;
    const arng = new Prng(hashSeed(o.seed, 'anomalies', run));
    const lowStat = new Set<number>();
    const lowCount = Math.max(1, Math.round(n / 200));
    while (lowStat.size < Math.min(lowCount, n)) lowStat.add(arng.int(1, n));
    for (const ls of [...lowStat].sort((a, b) => a - b)) {
      const strength = 0.01 + 0.04 * arng.uniform();
      curve[ls - 1] = curve[ls - 1]! * strength;
      anomalies.push({ kind: 'low_statistics', run, layer: 0, from: ls, to: ls, ladder: null, module: null, bins: [], strength });
    }
    for (const layer of o.layers) anomalies.push(...planLayerAnomalies(models.get(layer)!, run, n, new Prng(hashSeed(o.seed, 'anomalies', run, layer))));
  }
  return { options: o, models, lumi, anomalies };
}

function planLayerAnomalies(model: LayerModel, run: number, n: number, rng: Prng): PlannedAnomaly[] {
  const out: PlannedAnomaly[] = [];
  const dead = new Set(model.defects.filter((d) => d.kind !== 'weak_module').map((d) => `${d.ladder}:${d.module}`));
  const aliveModule = (): [number, number] => {
    for (;;) {
      const ladder = rng.int(0, model.ladders - 1);
      const module = rng.int(0, 7);
      if (!dead.has(`${ladder}:${module}`)) return [ladder, module];
    }
  };
  const layer = model.layer;
  {
    const [ladder, module] = aliveModule();
    const from = Math.max(1, Math.round(n * (0.3 + 0.5 * rng.uniform())));
    out.push({ kind: 'module_off', run, layer, from, to: n, ladder, module, bins: moduleBins(model, ladder, module), strength: 0 });
  }
  const events = Math.max(1, Math.round(n / 250));
  for (let e = 0; e < events; e++) {
    const [ladder, module] = aliveModule();
    const bins = moduleBins(model, ladder, module).filter((b) => model.template[b]! > 0);
    const centre = bins[Math.floor(rng.uniform() * bins.length)]!;
    const spot = [centre, centre + 1, centre + IMAGE_COLS, centre + IMAGE_COLS + 1].filter((b) => model.template[b]! > 0);
    const from = rng.int(1, n);
    out.push({ kind: 'hot_spot', run, layer, from, to: Math.min(n, from + rng.int(0, 9)), ladder, module, bins: spot, strength: 20 + 30 * rng.uniform() });
  }
  for (let e = 0; e < events; e++) {
    const [ladder, module] = aliveModule();
    const all = moduleBins(model, ladder, module);
    const c0 = MODULE_EDGES[module]!;
    const x0 = c0 + rng.int(0, 10);
    const yMid = (model.ladderEdges[ladder]! + model.ladderEdges[ladder + 1]!) / 2;
    const upper = rng.uniform() < 0.5;
    const bins = all.filter((b) => {
      const x = b % IMAGE_COLS;
      const y = Math.floor(b / IMAGE_COLS);
      return x >= x0 && x < x0 + 5 && (upper ? y >= yMid : y < yMid) && model.template[b]! > 0;
    });
    const from = rng.int(1, n);
    out.push({ kind: 'noisy_region', run, layer, from, to: Math.min(n, from + rng.int(2, 19)), ladder, module, bins, strength: 6 });
  }
  return out;
}

/** The labels of a plan, one row per (LS, layer, anomaly), sorted by run, lumi, layer. */
export function labelsOf(plan: SimulationPlan): AnomalyLabel[] {
  const rows: AnomalyLabel[] = [];
  for (const a of plan.anomalies) {
    const layers = a.layer === 0 ? plan.options.layers : [a.layer];
    const centre = a.bins.length ? a.bins[Math.floor(a.bins.length / 2)]! : -1;
    for (let ls = a.from; ls <= a.to; ls++) {
      for (const layer of layers) {
        rows.push({
          run: a.run, lumi: ls, layer, anomaly: a.kind, ladder: a.ladder, module: a.module,
          phiBin: centre >= 0 ? Math.floor(centre / IMAGE_COLS) : null,
          zBin: centre >= 0 ? centre % IMAGE_COLS : null,
        });
      }
    }
  }
  return rows.sort((x, y) => x.run - y.run || x.lumi - y.lumi || x.layer - y.layer || x.anomaly.localeCompare(y.anomaly));
}

/**
 * The simulated files, generated lazily one part at a time (runs, then layers, then parts of
 * `chunkSize` LS), so memory holds one part's maps at most. Each (run, layer) has its own
 * random stream: a layer's maps do not depend on which other layers are simulated.
 */
export function* simulateParts(plan: SimulationPlan): Generator<SimulatedPart> {
  for (const stream of simulationStreams(plan)) yield* simulateStream(plan, stream.run, stream.layer);
}

/** The independent (run, layer) streams of a plan, in file order: each can be simulated on its own thread. */
export function simulationStreams(plan: SimulationPlan): Array<{ run: number; layer: number }> {
  return [...plan.lumi.keys()].flatMap((run) => plan.options.layers.map((layer) => ({ run, layer })));
}

/** The parts of one (run, layer) stream. The maps are their text's bytes (as the pickles hold them). */
export function* simulateStream(plan: SimulationPlan, run: number, layer: number, pool?: SlabPool): Generator<SimulatedPart> {
  const o = plan.options;
  const curve = plan.lumi.get(run)!;
  const gen = new MapGenerator(plan.models.get(layer)!, new Prng(hashSeed(o.seed, 'maps', run, layer)), pool);
  const active = plan.anomalies.filter((a) => a.run === run && a.layer === layer);
  const parts = Math.ceil(o.lumisections / o.chunkSize);
  for (let part = 0; part < parts; part++) {
    const first = part * o.chunkSize + 1;
    const last = Math.min(o.lumisections, first + o.chunkSize - 1);
    const runs = new Int32Array(last - first + 1).fill(run);
    const lumis = Int32Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const maps: Uint8Array[] = [];
    for (let ls = first; ls <= last; ls++) {
      const entries = ENTRIES_AT_FILL_START[layer]! * curve[ls - 1]!;
      maps.push(gen.mapBytes(entries, active.filter((a) => ls >= a.from && ls <= a.to)));
    }
    const done = { layer, run, part, table: table({ run: runs, lumi: lumis, map: maps }) };
    if (!pool) yield done;
    else {
      const slabs = gen.endPart();
      yield { ...done, release: () => pool.give(slabs) };
    }
  }
}

/** Samples Poisson maps around a layer model and formats them as the pickles' list strings. */
export class MapGenerator {
  private readonly bins: Int32Array;
  private readonly weights: Float64Array;
  private readonly counts = new Int32Array(200 * 300);
  private readonly mult = new Float64Array(200 * 300).fill(1);
  private readonly add = new Float64Array(200 * 300);
  private readonly firstCol = new Int32Array(200);
  private readonly endCol = new Int32Array(200);
  /**
   * The maps' text is written straight into slabs of SLAB bytes, each map a view of its slab: no
   * copy out of a scratch buffer and one allocation per ~80 maps, not one per map (the GC sees
   * a few large buffers). A slab lives while a part's table holds one of its maps; with a pool,
   * slabs come from it and a part's go back through endPart() and the part's release().
   */
  private slab: Buffer = Buffer.allocUnsafe(0);
  private slabUsed = 0;
  private readonly taken: Buffer[] = [];

  constructor(private readonly model: LayerModel, private readonly rng: Prng, private readonly pool?: SlabPool) {
    const idx: number[] = [];
    model.template.forEach((t, i) => t > 0 && idx.push(i));
    this.bins = Int32Array.from(idx);
    this.weights = Float64Array.from(idx, (i) => model.template[i]!);
    // Per image row, the columns [firstCol, endCol) that hold its sampled bins (empty: 0, 0).
    for (const b of idx) {
      const r = Math.floor(b / 300);
      const c = b % 300;
      if (this.endCol[r] === 0) this.firstCol[r] = c;
      this.endCol[r] = c + 1;
    }
  }

  /** One lumisection's counts (inner 200 × 300) with `entries` expected clusters. */
  sample(entries: number, anomalies: PlannedAnomaly[] = []): Int32Array {
    const { bins, weights, counts, mult, add, rng } = this;
    const meanBin = entries / bins.length;
    for (const a of anomalies) {
      for (const b of a.bins) {
        if (a.kind === 'module_off') mult[b] = 0;
        else if (a.kind === 'hot_spot') add[b] = add[b]! + a.strength * meanBin;
        else if (a.kind === 'noisy_region') mult[b] = 1 + a.strength * rng.uniform() * rng.uniform() * 2;
      }
    }
    counts.fill(0);
    for (let j = 0; j < bins.length; j++) {
      const b = bins[j]!;
      counts[b] = poissonTabled(rng, entries * weights[j]! * mult[b]! + add[b]!);
    }
    for (const a of anomalies) for (const b of a.bins) (mult[b] = 1), (add[b] = 0);
    return counts;
  }

  /** The map as the pickles hold it: `[0, 0, 3, ...]`, 202 × 302 with empty under/overflow. */
  mapText(entries: number, anomalies: PlannedAnomaly[] = []): string {
    return Buffer.from(this.mapBytes(entries, anomalies)).toString('latin1');
  }

  /** The slabs the maps since the last call are in; the next map starts a new slab (a part's slabs hold only its maps). */
  endPart(): Buffer[] {
    this.slabUsed = this.slab.length;
    return this.taken.splice(0);
  }

  /** mapText's bytes (a view of a slab, not shared with another map): what the pickle writer writes as they are. */
  mapBytes(entries: number, anomalies: PlannedAnomaly[] = []): Buffer {
    const counts = this.sample(entries, anomalies);
    if (this.slab.length - this.slabUsed < MAX_MAP_BYTES) {
      this.slab = this.pool ? this.pool.take() : Buffer.allocUnsafe(SLAB);
      this.slabUsed = 0;
      if (this.pool) this.taken.push(this.slab);
    }
    const t = this.slab;
    const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
    const { firstCol, endCol } = this;
    const start = this.slabUsed;
    t[start] = 91; // [
    // The first row (empty border) and the next row's left border cell.
    let p = zeros(t, start + 1, RAW_MAP_COLS + 1);
    for (let r = 0; r < RAW_MAP_ROWS - 2; r++) {
      const row = r * 300;
      // Columns outside the row's sampled bins are always 0: copied as a run of "0, ".
      p = zeros(t, p, firstCol[r]!);
      for (let c = firstCol[r]!, end = endCol[r]!; c < end; c++) {
        const v = counts[row + c]!;
        if (v < 100) {
          // "d, " or "dd, " as one little-endian 32-bit word (the 4th byte of "d, " is
          // overwritten by the next value), advancing by its length: no branch on the digits.
          dv.setUint32(p, TEXT_WORD[v]!, true);
          p += TEXT_LENGTH[v]!;
        } else {
          for (const ch of String(v)) t[p++] = ch.charCodeAt(0);
          t[p++] = 44; // ,
          t[p++] = 32;
        }
      }
      // The rest of the row, its right border cell and the next row's left one.
      p = zeros(t, p, 300 - endCol[r]! + 2);
    }
    p = zeros(t, p, RAW_MAP_COLS - 1);
    t[p - 2] = 93; // ] replaces the last ", "
    this.slabUsed = p - 1;
    return t.subarray(start, p - 1);
  }
}

/** The longest map text: every value up to 6 digits (a count per LS per bin stays far below). */
const MAX_MAP_BYTES = RAW_MAP_ROWS * RAW_MAP_COLS * 8 + 2;

/** For v < 100: the bytes of "v, " as a little-endian 32-bit word, and their count (3 or 4). */
const TEXT_WORD = new Uint32Array(100);
const TEXT_LENGTH = new Uint8Array(100);
for (let v = 0; v < 100; v++) {
  const text = `${v}, `;
  TEXT_LENGTH[v] = text.length;
  for (let i = 0; i < text.length; i++) TEXT_WORD[v] = TEXT_WORD[v]! | (text.charCodeAt(i) << (8 * i));
}

/** "0, " repeated n times, for every n zeros() is asked for (views made once: a subarray per call costs more than the copy). */
const ZERO_TEXT = Buffer.from('0, '.repeat(RAW_MAP_COLS + 2), 'latin1');
const ZERO_RUNS = Array.from({ length: RAW_MAP_COLS + 3 }, (_, n) => new Uint8Array(ZERO_TEXT.buffer, ZERO_TEXT.byteOffset, 3 * n));

/** Writes `n` times "0, " into `t` at `p` (n ≤ RAW_MAP_COLS + 2); returns the position after. */
function zeros(t: Uint8Array, p: number, n: number): number {
  t.set(ZERO_RUNS[n]!, p);
  return p + 3 * n;
}
