import { promises as fs } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { pandasPickleChunks, writeFileAtomic } from '../io';
import { writeDqmioCsv } from './readers/dqmio-write';
import { labelsOf, planSimulation, simulateStream, simulationStreams, type AnomalyLabel, type SimulateOptions, type SimulationPlan } from './simulate';
import { simulateClusterCharge } from './simulate-charge';
import { PartWriter } from './simulate-part-writer';
import { SlabPool } from './simulate-slabs';
import { simulateOnThreads } from './simulate-threads';
import type { WrittenPart } from './simulate-worker.types';

export type { WrittenPart } from './simulate-worker.types';

export interface SimulationProgress {
  layer: number;
  run: number;
  /** Lumisections of this (run, layer) written so far, and in all. */
  done: number;
  total: number;
  file: string;
}

export interface SimulationSummary {
  files: string[];
  labelsFile: string;
  /** The 1D cluster-charge ME of every layer, one DQMIO CSV (`cluster_charge/chargeInner_PXLayer.csv`). */
  chargeFile: string;
  labels: number;
  lumisections: number;
  bytes: number;
  durationMs: number;
}

/** Where the simulated 1D ME goes, below the output folder (conf/base/catalog_cluster_charge.yml reads it). */
export const CHARGE_FILE = 'cluster_charge/chargeInner_PXLayer.csv';

/** Marks a folder as written by the simulator, so a new simulation may remove its old parts. */
const MARKER = '.simulated.json';

export interface WriteSimulationOptions {
  /**
   * Threads to simulate on (default: the machine's cores). The (run, layer) streams are
   * independent, so the files are the same byte for byte whatever the number.
   */
  threads?: number;
}

/**
 * Simulates and writes the raw data the pipelines read: for each layer
 * `<out>/pixel_layer_<N>/Run_<run>_<part>_clusterposition_PXLayer_<N>.pkl` (pandas DataFrame
 * pickles with run, lumi, map, like the real files), the layers' 1D cluster-charge ME as one DQMIO
 * CSV (`<out>/cluster_charge/chargeInner_PXLayer.csv`, hname `chargeInner_PXLayer_<N>`) and
 * `<out>/labels.csv`. Each file is written
 * atomically; parts of an earlier simulation in the same folders are removed (only in folders
 * the simulator created, never a folder of real data). The (run, layer) streams run on worker
 * threads when there are several cores.
 */
export async function writeSimulation(
  options: SimulateOptions,
  outDir: string,
  onProgress?: (p: SimulationProgress) => void,
  how: WriteSimulationOptions = {},
): Promise<SimulationSummary> {
  const started = Date.now();
  const plan = planSimulation(options);
  const o = plan.options;
  for (const layer of o.layers) await prepareFolder(path.join(outDir, `pixel_layer_${layer}`), o);
  const done = new Map<string, number>();
  const onPart = (p: WrittenPart) => {
    const key = `${p.run}:${p.layer}`;
    const n = (done.get(key) ?? 0) + p.rows;
    done.set(key, n);
    onProgress?.({ layer: p.layer, run: p.run, done: n, total: o.lumisections, file: p.file });
  };
  const streams = simulationStreams(plan);
  const threads = Math.max(1, Math.min(how.threads ?? os.availableParallelism(), streams.length));
  const written = threads > 1 ? await simulateOnThreads(options, outDir, streams, threads, onPart) : undefined;
  const parts: WrittenPart[] = written ?? [];
  if (!written) {
    const writer = new PartWriter();
    const pool = new SlabPool();
    for (const st of streams) await writeStream(plan, st.run, st.layer, outDir, writer, pool, (p) => (parts.push(p), onPart(p)));
    await writer.flush();
  }
  // File order as a single thread writes them: runs, then layers, then parts.
  const rank = new Map(streams.map((st, i) => [`${st.run}:${st.layer}`, i]));
  parts.sort((a, b) => rank.get(`${a.run}:${a.layer}`)! - rank.get(`${b.run}:${b.layer}`)! || a.file.localeCompare(b.file, 'en', { numeric: true }));
  const chargeFile = path.join(outDir, CHARGE_FILE);
  await fs.mkdir(path.dirname(chargeFile), { recursive: true });
  await writeDqmioCsv(chargeFile, o.layers.map((layer) => simulateClusterCharge(plan, layer)));
  const labels = labelsOf(plan);
  const labelsFile = path.join(outDir, 'labels.csv');
  await writeFileAtomic(labelsFile, labelsCsv(labels));
  const bytes = parts.reduce((s, p) => s + p.bytes, 0) + (await fs.stat(chargeFile)).size;
  return { files: parts.map((p) => p.file), labelsFile, chargeFile, labels: labels.length, lumisections: o.lumisections * o.runs, bytes, durationMs: Date.now() - started };
}

/**
 * Simulates one (run, layer) stream and writes its part files through `writer` (this thread):
 * a file is written while the next part is simulated. Resolves once the stream's last file is
 * started; `writer.flush()` waits for it. `onPart` runs as each file is in place.
 */
export async function writeStream(plan: SimulationPlan, run: number, layer: number, outDir: string, writer: PartWriter, pool: SlabPool, onPart?: (p: WrittenPart) => void): Promise<void> {
  for (const part of simulateStream(plan, run, layer, pool)) {
    const file = path.join(outDir, `pixel_layer_${part.layer}`, `Run_${part.run}_${part.part}_clusterposition_PXLayer_${part.layer}.pkl`);
    const chunks = pandasPickleChunks(part.table);
    // Once the file is written its maps' slabs are free for the parts to come.
    const written = (p: WrittenPart) => (part.release?.(), onPart?.(p));
    await writer.write({ layer, run, rows: part.table.rowCount, file, bytes: chunks.reduce((s, c) => s + c.length, 0) }, chunks, written);
  }
}

export function labelsCsv(labels: AnomalyLabel[]): string {
  const cell = (v: number | string | null) => (v === null ? '' : String(v));
  const lines = ['run,lumi,layer,anomaly,ladder,module,phi_bin,z_bin'];
  for (const l of labels) lines.push([l.run, l.lumi, l.layer, l.anomaly, l.ladder, l.module, l.phiBin, l.zBin].map(cell).join(','));
  return `${lines.join('\n')}\n`;
}

async function prepareFolder(folder: string, options: object): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  const entries = await fs.readdir(folder);
  const simulated = entries.includes(MARKER) || entries.length === 0;
  if (simulated) {
    for (const name of entries) {
      if (/^Run_\d+_\d+_clusterposition_PXLayer_\d+\.pkl$/.test(name)) await fs.rm(path.join(folder, name), { force: true });
    }
  }
  await writeFileAtomic(path.join(folder, MARKER), `${JSON.stringify({ generator: 'dqm simulate', options }, null, 2)}\n`);
}
