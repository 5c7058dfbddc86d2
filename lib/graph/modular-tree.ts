import type { Node } from '../pipeline';
import { ROOT_PIPELINE, type ModularPipelineChild, type ModularPipelineEntry } from './graph-types';

/** `'a.b.c'` -> `['a', 'a.b', 'a.b.c']`. */
export function namespaceChain(namespace: string | undefined | null): string[] {
  if (!namespace) return [];
  const parts = namespace.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** Every namespace used by the nodes, with all its ancestors. */
export function collectNamespaces(nodes: readonly Node[]): Set<string> {
  const out = new Set<string>();
  for (const n of nodes) for (const ns of namespaceChain(n.namespace)) out.add(ns);
  return out;
}

/**
 * The modular pipelines a dataset sits in: the chain of the longest known namespace that
 * prefixes its name (`layer_1.mean_image` -> `['layer_1']`). Parameters stay at the root, as
 * they are shared configuration rather than a pipeline's internals.
 */
export function datasetChain(name: string, namespaces: ReadonlySet<string>, isParam: boolean): string[] {
  if (isParam) return [];
  let best = '';
  for (let i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) {
    const prefix = name.slice(0, i);
    if (namespaces.has(prefix)) best = prefix;
  }
  return namespaceChain(best);
}

export interface TreeInput {
  nodes: readonly Node[];
  namespaces: ReadonlySet<string>;
  taskId: (n: Node) => string;
  /** Dataset name -> its chain and id, for every dataset of the pipeline. */
  datasets: ReadonlyMap<string, { id: string; chain: string[]; type: 'data' | 'parameters' }>;
  pipelineId: (ns: string) => string;
}

/**
 * Kedro-Viz's `modular_pipelines` tree. Inputs of a modular pipeline are what its nodes read and
 * do not produce; outputs are what they produce and something outside reads, or what is not
 * named inside the namespace (a result exposed to the outside).
 */
export function buildModularTree(input: TreeInput): Record<string, ModularPipelineEntry> {
  const { nodes, namespaces, taskId, datasets, pipelineId } = input;
  const dsId = (d: string) => datasets.get(d)!.id;
  const tree: Record<string, ModularPipelineEntry> = {};
  const children = new Map<string, ModularPipelineChild[]>([[ROOT_PIPELINE, []]]);
  const sortedNs = [...namespaces].sort();
  for (const ns of sortedNs) children.set(ns, []);

  for (const ns of sortedNs) {
    const dot = ns.lastIndexOf('.');
    const parent = dot > 0 ? ns.slice(0, dot) : ROOT_PIPELINE;
    children.get(parent)!.push({ id: pipelineId(ns), type: 'modularPipeline' });
  }
  for (const n of nodes) children.get(n.namespace ?? ROOT_PIPELINE)!.push({ id: taskId(n), type: 'task' });
  for (const [, d] of datasets) children.get(d.chain.at(-1) ?? ROOT_PIPELINE)!.push({ id: d.id, type: d.type });

  tree[ROOT_PIPELINE] = { id: ROOT_PIPELINE, name: ROOT_PIPELINE, inputs: [], outputs: [], children: children.get(ROOT_PIPELINE)! };
  for (const ns of sortedNs) {
    const inside = (n: Node) => n.namespace === ns || (n.namespace?.startsWith(`${ns}.`) ?? false);
    const consumed = new Set<string>();
    const produced = new Set<string>();
    const consumedOutside = new Set<string>();
    for (const n of nodes) {
      if (inside(n)) {
        for (const i of n.inputs) consumed.add(i);
        for (const o of n.outputs) produced.add(o);
      } else {
        for (const i of n.inputs) consumedOutside.add(i);
      }
    }
    const inputs = [...consumed].filter((d) => !produced.has(d));
    const outputs = [...produced].filter((d) => consumedOutside.has(d) || !datasets.get(d)!.chain.includes(ns));
    const id = pipelineId(ns);
    tree[id] = { id, name: ns, inputs: inputs.map(dsId), outputs: outputs.map(dsId), children: children.get(ns)! };
  }
  return tree;
}
