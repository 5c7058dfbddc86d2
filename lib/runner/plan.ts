import { didYouMean } from '../errors';
import { isParameter, stripTranscoding, type Node, type Pipeline } from '../pipeline';
import { isPersisted, type RunnerCatalog } from './catalog';
import { RunnerError } from './errors';

/**
 * Checks made before anything runs, so a bad run fails at once and writes nothing:
 * every free input is in the catalog (or is a parameter that exists)...
 */
export function checkInputsInCatalog(pipeline: Pipeline, catalog: RunnerCatalog, opts: { env?: string; fullPipeline?: Pipeline } = {}): void {
  checkTranscodedInCatalog(pipeline, catalog, opts.env);
  const missing = [...pipeline.inputs()].filter((d) => !catalog.has(d)).sort();
  if (!missing.length) return;
  const known = catalog.listDatasets();
  const describe = (d: string): string => {
    const producer = opts.fullPipeline?.producerOf(d);
    if (producer && !pipeline.getNode(producer.name)) {
      return `'${d}' (a memory dataset of node '${producer.name}', which is not part of this run)`;
    }
    const close = didYouMean(d, known);
    const kind = isParameter(d) ? 'no such parameter' : 'no catalog entry';
    return `'${d}' (${kind}${close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : ''})`;
  };
  const env = opts.env ? ` (env '${opts.env}')` : '';
  const plural = missing.length > 1;
  throw new RunnerError(
    `Pipeline input${plural ? 's' : ''} not found in the DataCatalog${env} and produced by no node of this run: ${missing.map(describe).join(', ')}`,
    { code: 'MISSING_INPUTS' },
  );
}

/**
 * ...and every dataset of the run that the catalog knows is built now, outputs too: an entry
 * materialised from a factory pattern (`{name}_data`) with a bad key or type fails here, not
 * when the node that produced its data saves it (as Kedro's runner resolves patterns up front).
 */
export function resolveRunDatasets(pipeline: Pipeline, catalog: RunnerCatalog): void {
  for (const d of [...pipeline.datasets()].sort()) if (!isParameter(d) && catalog.has(d)) catalog.getDataset(d);
}

/**
 * A transcoded dataset (`my_df@spark` written, `my_df@pandas` read) passes through its file:
 * each reading must be a catalog entry (both pointing at one filepath), never a memory dataset.
 */
function checkTranscodedInCatalog(pipeline: Pipeline, catalog: RunnerCatalog, env: string | undefined): void {
  const missing = [...pipeline.datasets()].filter((d) => stripTranscoding(d) !== d && !catalog.has(d)).sort();
  if (!missing.length) return;
  throw new RunnerError(
    `Transcoded dataset${missing.length > 1 ? 's' : ''} ${missing.map((d) => `'${d}'`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the DataCatalog${env ? ` (env '${env}')` : ''}: ` +
      `each '<name>@<format>' needs its own catalog entry, all of them with the same filepath`,
    { code: 'MISSING_INPUTS' },
  );
}

/** ...and every persisted free input has data (file or folder present). */
export async function checkInputsExist(pipeline: Pipeline, catalog: RunnerCatalog, opts: { env?: string } = {}): Promise<void> {
  const missing: string[] = [];
  for (const d of [...pipeline.inputs()].sort()) {
    if (isParameter(d)) continue;
    const ds = catalog.getDataset(d);
    if (ds.persisted && ds.filepath !== undefined && !(await ds.exists())) missing.push(`'${d}' (${ds.filepath} does not exist)`);
  }
  if (!missing.length) return;
  const env = opts.env ? ` (env '${opts.env}')` : '';
  throw new RunnerError(`Input dataset${missing.length > 1 ? 's have' : ' has'} no data${env}: ${missing.join(', ')}`, { code: 'MISSING_INPUT_DATA' });
}

/**
 * `--only-missing-outputs`: the nodes that must run. A node runs if one of its persisted outputs
 * is missing or if a node it depends on runs for that reason (its inputs change); producers of
 * memory inputs of running nodes run too (memory datasets do not survive between runs).
 */
export async function nodesToRun(pipeline: Pipeline, catalog: RunnerCatalog): Promise<Set<string>> {
  const exists = new Map<string, boolean>();
  for (const n of pipeline.nodes) {
    for (const o of n.outputs) if (isPersisted(catalog, o)) exists.set(o, await catalog.getDataset(o).exists());
  }
  const dirty = new Set<string>();
  for (const n of pipeline.nodes) {
    const missingOutput = n.outputs.some((o) => exists.get(o) === false);
    const changedInput = n.inputs.some((i) => dirty.has(pipeline.producerOf(i)?.name ?? ''));
    if (missingOutput || changedInput) dirty.add(n.name);
  }
  const run = new Set(dirty);
  for (const n of [...pipeline.nodes].reverse()) {
    if (!run.has(n.name)) continue;
    for (const i of n.inputs) {
      const p = pipeline.producerOf(i);
      if (p && !isPersisted(catalog, i)) run.add(p.name);
    }
  }
  return run;
}

/**
 * Kedro's resume suggestion: from the unfinished nodes, walk upstream through memory datasets
 * (lost with the run) to nodes whose inputs are all persisted; resume from the first group.
 */
export function resumeNodes(pipeline: Pipeline, unfinished: Node[], catalog: RunnerCatalog): string[] {
  const toRun = new Set(unfinished.map((n) => n.name));
  const queue = [...unfinished];
  while (queue.length) {
    const n = queue.pop()!;
    for (const i of n.inputs) {
      const p = pipeline.producerOf(i);
      if (p && !toRun.has(p.name) && !isPersisted(catalog, i)) {
        toRun.add(p.name);
        queue.push(p);
      }
    }
  }
  if (!toRun.size) return [];
  return pipeline.onlyNodes(...toRun).grouped()[0]!.map((n) => n.name);
}
