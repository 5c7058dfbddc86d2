import { PartitionedDataset } from '../io';
import { DEFAULT_PIPELINE, type Pipeline } from '../pipeline';
import { datasetFreshness, projectFiles, type FreshnessProject } from './freshness';
import type { RunStore } from './run-store';
import type { PartitionCell, PartitionMatrix, PartitionState } from '../services';

/** The CMS run a partition belongs to: `Run_316187_...`, `run316187/...`, else the first 5+ digit number. */
export function cmsRunOf(partition: string): string {
  const m = /run[_-]?(\d+)/i.exec(partition) ?? /(\d{5,})/.exec(partition);
  return m ? m[1]! : partition;
}

/**
 * The run x layer view (Dagster's partitions, for DQM): one column per partitioned input of the
 * pipeline (a pixel layer's or a monitoring element's folder of per-run files), one row per CMS
 * run found in them. A cell is `processed` when the files of that run were read by the last
 * write of the column's first output and everything derived from it is fresh; `missing` when
 * they were not (a new run arrived, or nothing was processed yet); `stale` when they changed
 * since, or a parameter or node code downstream did; `failed` when the last attempt at a node
 * downstream failed after the outputs were written.
 */
export function partitionMatrix(project: FreshnessProject, store: RunStore, pipelineName: string = DEFAULT_PIPELINE): PartitionMatrix {
  const files = projectFiles(project, pipelineName);
  const { pipeline, catalog, persisted, stat } = files;
  const fps = store.fingerprints();
  const inputs = [...pipeline.inputs()].filter((d) => catalog.has(d) && catalog.getDataset(d) instanceof PartitionedDataset).sort();
  const rows = new Map<string, Record<string, PartitionCell | null>>();
  const columns: PartitionMatrix['columns'] = [];
  for (const dataset of inputs) {
    const suffix = String(catalog.getDataset(dataset).describe?.().filename_suffix ?? '');
    const down = downstream(pipeline, dataset);
    const outputs = down.datasets.filter(persisted);
    const consumers = pipeline.nodes.filter((n) => n.inputs.includes(dataset)).map((n) => n.name);
    columns.push({ dataset, label: labelOf(dataset), consumers, outputs });
    const primary = pipeline.nodes.filter((n) => n.inputs.includes(dataset)).flatMap((n) => n.outputs.filter(persisted))[0];
    const fp = primary ? fps.get(primary) : undefined;
    const readThen = fp?.inputs[dataset]?.files;
    const now = stat(dataset).files ?? {};
    const failure = lastFailure(store, down.nodes, outputs, fps);
    // Staleness from anything but this input's files (a new run's file must not make the others stale).
    const then = fp?.inputs[dataset];
    const freshness = datasetFreshness(project, store, pipelineName, then ? { [dataset]: then } : {});
    const why = (o: string) => `'${o}' is ${freshness[o]!.state}${freshness[o]!.reasons[0] ? `: ${freshness[o]!.reasons[0]}` : ''}`;
    const staleDown = outputs.filter((o) => freshness[o]?.state === 'stale').map(why);
    const missingDown = outputs.filter((o) => freshness[o]?.state === 'missing').map(why);
    const byRun = new Map<string, string[]>();
    for (const file of Object.keys(now).sort()) {
      if (suffix && !file.endsWith(suffix)) continue;
      const run = cmsRunOf(file);
      byRun.set(run, [...(byRun.get(run) ?? []), file]);
    }
    for (const [run, parts] of byRun) {
      const cell = cellOf(parts, now, readThen, primary && stat(primary).exists ? fp : undefined, failure, { stale: staleDown, missing: missingDown });
      cell.ls = fp?.ls?.[run] ?? null;
      const layer = /layer_?(\d+)/i.exec(dataset)?.[1];
      cell.plotsUrl = layer ? `/plots?layer=${layer}${cell.ls ? `&run=${run}&lumi=${cell.ls.first}` : ''}` : null;
      const row = rows.get(run) ?? Object.fromEntries(inputs.map((d) => [d, null]));
      row[dataset] = cell;
      rows.set(run, row);
    }
  }
  const sorted = [...rows.entries()].sort(([a], [b]) => (Number(a) - Number(b)) || a.localeCompare(b));
  return { pipeline: pipelineName, columns, rows: sorted.map(([run, cells]) => ({ run, cells })) };
}

function cellOf(
  parts: string[],
  now: Record<string, [number, number]>,
  readThen: Record<string, [number, number]> | undefined,
  fp: { savedAt: string } | undefined,
  failure: string | undefined,
  downstream: { stale: string[]; missing: string[] },
): PartitionCell {
  const cell = (state: PartitionState, reasons: string[]): PartitionCell => ({ state, partitions: parts, ls: null, reasons, plotsUrl: null });
  if (failure) return cell('failed', [failure]);
  if (!fp || !readThen) return cell('missing', ['not processed yet']);
  const unread = parts.filter((p) => !readThen[p]);
  if (unread.length) return cell('missing', [`not processed yet: ${unread.join(', ')}`]);
  const changed = parts.filter((p) => readThen[p]![0] !== now[p]![0] || readThen[p]![1] !== now[p]![1]);
  if (changed.length) return cell('stale', [`changed since it was processed: ${changed.join(', ')}`]);
  if (downstream.missing.length) return cell('missing', downstream.missing);
  if (downstream.stale.length) return cell('stale', downstream.stale);
  return cell('processed', []);
}

/** `node 'x' failed in run R: message`, when the last attempt at a downstream node failed after its outputs were written. */
function lastFailure(store: RunStore, nodes: string[], outputs: string[], fps: ReturnType<RunStore['fingerprints']>): string | undefined {
  const last = store.lastNodeRuns(nodes);
  for (const node of nodes) {
    const l = last.get(node);
    if (l?.status !== 'failed') continue;
    const written = outputs.map((o) => fps.get(o)).filter((fp) => fp?.node === node).map((fp) => fp!.savedAt);
    if (written.every((at) => at < l.startedAt)) return `node '${node}' failed in run ${l.runId}${l.error ? `: ${l.error}` : ''}`;
  }
  return undefined;
}

/** The nodes and datasets downstream of a dataset, in topological order. */
function downstream(pipeline: Pipeline, dataset: string): { nodes: string[]; datasets: string[] } {
  const reached = new Set([dataset]);
  const nodes: string[] = [];
  const datasets: string[] = [];
  for (const n of pipeline.nodes) {
    if (!n.inputs.some((i) => reached.has(i))) continue;
    nodes.push(n.name);
    for (const o of n.outputs) if (!reached.has(o)) {
      reached.add(o);
      datasets.push(o);
    }
  }
  return { nodes, datasets };
}

function labelOf(dataset: string): string {
  const layer = /layer_?(\d+)$/i.exec(dataset);
  return layer ? `layer ${layer[1]}` : dataset;
}
