import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { withAtomicPath, writeFileAtomic, pandasPickleChunks } from '../io';
import { writeDqmioCsv } from './readers/dqmio-write';
import { labelsOf, planSimulation, simulateParts, type AnomalyLabel, type SimulateOptions } from './simulate';
import { simulateClusterCharge } from './simulate-charge';

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

/**
 * Simulates and writes the raw data the pipelines read: for each layer
 * `<out>/pixel_layer_<N>/Run_<run>_<part>_clusterposition_PXLayer_<N>.pkl` (pandas DataFrame
 * pickles with run, lumi, map, like the real files), the layers' 1D cluster-charge ME as one DQMIO
 * CSV (`<out>/cluster_charge/chargeInner_PXLayer.csv`, hname `chargeInner_PXLayer_<N>`) and
 * `<out>/labels.csv`. Each file is written
 * atomically; parts of an earlier simulation in the same folders are removed (only in folders
 * the simulator created, never a folder of real data).
 */
export async function writeSimulation(options: SimulateOptions, outDir: string, onProgress?: (p: SimulationProgress) => void): Promise<SimulationSummary> {
  const started = Date.now();
  const plan = planSimulation(options);
  const o = plan.options;
  for (const layer of o.layers) await prepareFolder(path.join(outDir, `pixel_layer_${layer}`), o);
  const files: string[] = [];
  let bytes = 0;
  const done = new Map<string, number>();
  for (const part of simulateParts(plan)) {
    const file = path.join(outDir, `pixel_layer_${part.layer}`, `Run_${part.run}_${part.part}_clusterposition_PXLayer_${part.layer}.pkl`);
    const chunks = pandasPickleChunks(part.table);
    await withAtomicPath(file, async (tmp) => {
      const fh = await fs.open(tmp, 'w');
      try {
        await fh.writev(chunks);
      } finally {
        await fh.close();
      }
    });
    for (const c of chunks) bytes += c.length;
    files.push(file);
    const key = `${part.run}:${part.layer}`;
    const n = (done.get(key) ?? 0) + part.table.rowCount;
    done.set(key, n);
    onProgress?.({ layer: part.layer, run: part.run, done: n, total: o.lumisections, file });
  }
  const chargeFile = path.join(outDir, CHARGE_FILE);
  await fs.mkdir(path.dirname(chargeFile), { recursive: true });
  await writeDqmioCsv(chargeFile, o.layers.map((layer) => simulateClusterCharge(plan, layer)));
  bytes += (await fs.stat(chargeFile)).size;
  const labels = labelsOf(plan);
  const labelsFile = path.join(outDir, 'labels.csv');
  await writeFileAtomic(labelsFile, labelsCsv(labels));
  return { files, labelsFile, chargeFile, labels: labels.length, lumisections: o.lumisections * o.runs, bytes, durationMs: Date.now() - started };
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
