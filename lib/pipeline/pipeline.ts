import { suggestion } from '../errors';
import { CircularDependencyError, OutputNotUniqueError, PipelineError } from './errors';
import { isParameter, Node, type ParameterSchema, type ParameterSchemas } from './node';
import { checkTranscodedNames, stripTranscoding } from './transcoding';

/** The registry key of the pipeline `dqm run` runs when none is named (Kedro's `__default__`). */
export const DEFAULT_PIPELINE = '__default__';

/**
 * An immutable set of nodes with a topological order. Construction validates the graph at once
 * (unique node names, one producer per dataset, no cycles); every filter and every algebra
 * operation returns a new Pipeline. Transcoded names (`my_df@pandas`, `my_df@spark`) are one
 * dataset for the graph, as in Kedro: a node reading `my_df@pandas` depends on the node writing
 * `my_df@spark`.
 */
export class Pipeline {
  /** Nodes in topological order; ties broken by node name so the order is stable. */
  readonly nodes: readonly Node[];
  private readonly byName: ReadonlyMap<string, Node>;
  /** Dataset (transcoding stripped) -> the node writing it. */
  private readonly producers: ReadonlyMap<string, Node>;

  /**
   * `tags` are added to every node; `parameterSchemas` (parameter key -> zod schema) declare the
   * types of the parameters the pipeline reads, checked before a run (Kedro 1.3's typed parameters).
   */
  constructor(items: Iterable<Node | Pipeline>, options: { tags?: string | string[]; parameterSchemas?: ParameterSchemas } = {}) {
    const extra = options.tags === undefined ? [] : typeof options.tags === 'string' ? [options.tags] : options.tags;
    const schemas = options.parameterSchemas ?? {};
    const decorate = extra.length || Object.keys(schemas).length;
    const byName = new Map<string, Node>();
    for (const item of items) {
      for (const n of item instanceof Pipeline ? item.nodes : [item]) {
        if (!(n instanceof Node)) throw new PipelineError('A pipeline can only contain nodes and pipelines');
        const tagged = decorate ? n.renamed((d) => d, undefined, extra, schemas) : n;
        const prev = byName.get(n.name);
        // The same node reached twice (e.g. `add(a, a)`) is fine; two different nodes sharing a name is not.
        if (prev && prev !== n && !sameNode(prev, n)) {
          throw new PipelineError(`Pipeline contains duplicate node names: '${n.name}'. Give the nodes distinct names with node(..., { name })`, { code: 'DUPLICATE_NODE_NAME' });
        }
        byName.set(n.name, tagged);
      }
    }
    checkTranscodedNames([...byName.values()].flatMap((n) => [...n.inputs, ...n.outputs]));
    const producers = new Map<string, Node>();
    for (const n of byName.values()) {
      for (const o of n.outputs) {
        const other = producers.get(stripTranscoding(o));
        if (other) throw new OutputNotUniqueError(o, [other.name, n.name].sort());
        producers.set(stripTranscoding(o), n);
      }
    }
    this.byName = byName;
    this.producers = producers;
    this.nodes = toposort([...byName.values()], producers);
  }

  /** Datasets read by some node and written by none: what the catalog must provide. */
  inputs(): Set<string> {
    const out = new Set<string>();
    for (const n of this.nodes) for (const i of n.inputs) if (!this.producers.has(stripTranscoding(i))) out.add(i);
    return out;
  }

  /** Datasets written by some node and read by none: the pipeline's results. */
  outputs(): Set<string> {
    const consumed = new Set(this.nodes.flatMap((n) => n.inputs.map(stripTranscoding)));
    return new Set([...this.allOutputs()].filter((d) => !consumed.has(stripTranscoding(d))));
  }

  allInputs(): Set<string> {
    return new Set(this.nodes.flatMap((n) => n.inputs));
  }

  allOutputs(): Set<string> {
    return new Set(this.nodes.flatMap((n) => n.outputs));
  }

  /** Every dataset and parameter name the pipeline touches. */
  datasets(): Set<string> {
    return new Set([...this.allInputs(), ...this.allOutputs()]);
  }

  /** Parameter inputs (`params:x`, `parameters`). */
  parameters(): Set<string> {
    return new Set([...this.allInputs()].filter(isParameter));
  }

  /** Declared parameter schemas: key -> the schemas and the nodes declaring them. */
  parameterSchemas(): Map<string, Array<{ schema: ParameterSchema; node: string }>> {
    const out = new Map<string, Array<{ schema: ParameterSchema; node: string }>>();
    for (const n of this.nodes) {
      for (const [key, schema] of Object.entries(n.parameterSchemas)) {
        const list = out.get(key) ?? out.set(key, []).get(key)!;
        if (!list.some((s) => s.schema === schema)) list.push({ schema, node: n.name });
      }
    }
    return out;
  }

  nodeNames(): string[] {
    return this.nodes.map((n) => n.name);
  }

  getNode(name: string): Node | undefined {
    return this.byName.get(name);
  }

  /** The node writing the dataset, whichever transcoding either side names. */
  producerOf(dataset: string): Node | undefined {
    return this.producers.get(stripTranscoding(dataset));
  }

  /** The nodes reading the dataset, whichever transcoding either side names. */
  consumersOf(dataset: string): Node[] {
    const base = stripTranscoding(dataset);
    return this.nodes.filter((n) => n.inputs.some((i) => stripTranscoding(i) === base));
  }

  tags(): Set<string> {
    return new Set(this.nodes.flatMap((n) => [...n.tags]));
  }

  /** Nodes grouped by dependency level: every node's producers are in earlier groups. */
  grouped(): Node[][] {
    const level = new Map<string, number>();
    const groups: Node[][] = [];
    for (const n of this.nodes) {
      let l = 0;
      for (const i of n.inputs) {
        const p = this.producerOf(i);
        if (p) l = Math.max(l, level.get(p.name)! + 1);
      }
      level.set(n.name, l);
      (groups[l] ??= []).push(n);
    }
    return groups;
  }

  /** Only the named nodes. Unknown names are an error listing close matches. */
  onlyNodes(...names: string[]): Pipeline {
    return new Pipeline(this.resolveNodes(names));
  }

  /** The named nodes and everything downstream of them. */
  fromNodes(...names: string[]): Pipeline {
    const start = this.resolveNodes(names);
    return this.downstreamOf([], start);
  }

  /** The named nodes and everything upstream of them. */
  toNodes(...names: string[]): Pipeline {
    const end = this.resolveNodes(names);
    return this.upstreamOf(end.flatMap((n) => n.inputs), end);
  }

  /** Nodes that depend, directly or not, on any of these datasets (`my_df` = every `my_df@...`). */
  fromInputs(...datasets: string[]): Pipeline {
    this.resolveDatasets(datasets, this.allInputs(), 'inputs');
    const reads = (i: string) => datasets.some((d) => d === i || (d === stripTranscoding(d) && d === stripTranscoding(i)));
    return this.downstreamOf([], this.nodes.filter((n) => n.inputs.some(reads)));
  }

  /** Nodes needed to produce these datasets. */
  toOutputs(...datasets: string[]): Pipeline {
    this.resolveDatasets(datasets, this.allOutputs(), 'outputs');
    const end = datasets.map((d) => this.producerOf(d)!);
    return this.upstreamOf(end.flatMap((n) => n.inputs), end);
  }

  /** Nodes carrying any of the tags. */
  onlyNodesWithTags(...tags: string[]): Pipeline {
    return new Pipeline(this.nodes.filter((n) => tags.some((t) => n.tags.has(t))));
  }

  /** Nodes in the namespace (or a namespace nested in it). */
  onlyNodesWithNamespace(namespace: string): Pipeline {
    const nodes = this.nodes.filter((n) => n.namespace === namespace || n.namespace?.startsWith(`${namespace}.`));
    if (!nodes.length) throw new PipelineError(`Pipeline does not contain nodes in namespace '${namespace}'`);
    return new Pipeline(nodes);
  }

  /** Nodes in any of the namespaces (Kedro's `--namespaces`); a namespace with no nodes is an error. */
  onlyNodesWithNamespaces(namespaces: string[]): Pipeline {
    const inNamespace = (n: Node, ns: string) => n.namespace === ns || n.namespace?.startsWith(`${ns}.`) === true;
    const unmatched = namespaces.filter((ns) => !this.nodes.some((n) => inNamespace(n, ns)));
    if (unmatched.length) {
      throw new PipelineError(`Pipeline does not contain nodes with the following namespaces: ${unmatched.map((ns) => `'${ns}'`).join(', ')}.${suggestion(unmatched[0]!, this.namespaces())}`, { code: 'UNKNOWN_NAMESPACE' });
    }
    return new Pipeline(this.nodes.filter((n) => namespaces.some((ns) => inNamespace(n, ns))));
  }

  /** Every namespace of the nodes, nested ones as their own entries (`a`, `a.b`), sorted. */
  namespaces(): string[] {
    const out = new Set<string>();
    for (const n of this.nodes) {
      const parts = n.namespace?.split('.') ?? [];
      for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('.'));
    }
    return [...out].sort();
  }

  /** Kedro's combined filter: each given criterion narrows the result (intersection). */
  filter(f: PipelineFilter): Pipeline {
    let result: Pipeline = this;
    if (f.tags?.length) result = intersect(result, this.onlyNodesWithTags(...f.tags));
    if (f.nodeNames?.length) result = intersect(result, this.onlyNodes(...f.nodeNames));
    if (f.fromNodes?.length) result = intersect(result, this.fromNodes(...f.fromNodes));
    if (f.toNodes?.length) result = intersect(result, this.toNodes(...f.toNodes));
    if (f.fromInputs?.length) result = intersect(result, this.fromInputs(...f.fromInputs));
    if (f.toOutputs?.length) result = intersect(result, this.toOutputs(...f.toOutputs));
    if (f.namespace) result = intersect(result, this.onlyNodesWithNamespace(f.namespace));
    if (f.namespaces?.length) result = intersect(result, this.onlyNodesWithNamespaces(f.namespaces));
    if (!result.nodes.length) {
      throw new PipelineError('Pipeline contains no nodes after applying the filters (check --tags, --nodes, --from-nodes, --to-nodes, --from-inputs, --to-outputs, --namespaces)', { code: 'EMPTY_PIPELINE' });
    }
    return result;
  }

  toString(): string {
    return `Pipeline([\n${this.nodes.map((n) => `  ${n}`).join(',\n')}\n])`;
  }

  private resolveNodes(names: string[]): Node[] {
    return names.map((name) => {
      const found = this.byName.get(name);
      if (!found) {
        throw new PipelineError(`Pipeline does not contain a node named '${name}'.${suggestion(name, this.byName.keys())}`, { code: 'UNKNOWN_NODE' });
      }
      return found;
    });
  }

  private resolveDatasets(datasets: string[], names: Set<string>, what: string): void {
    // a transcoded dataset may be named without its format, as in Kedro
    const known = new Set([...names, ...[...names].map(stripTranscoding)]);
    for (const d of datasets) {
      if (!known.has(d)) {
        throw new PipelineError(`Pipeline does not have '${d}' among its ${what}.${suggestion(d, known)}`, { code: 'UNKNOWN_DATASET' });
      }
    }
  }

  private downstreamOf(datasets: string[], start: Node[]): Pipeline {
    const seen = new Set(start.map((n) => n.name));
    // The start nodes' own outputs count too: `fromInputs` starts from consumers of the inputs.
    const queue = [...datasets, ...start.flatMap((n) => n.outputs)];
    while (queue.length) {
      const d = queue.pop()!;
      for (const n of this.consumersOf(d)) {
        if (!seen.has(n.name)) {
          seen.add(n.name);
          queue.push(...n.outputs);
        }
      }
    }
    return new Pipeline(this.nodes.filter((n) => seen.has(n.name)));
  }

  private upstreamOf(datasets: string[], end: Node[]): Pipeline {
    const seen = new Set(end.map((n) => n.name));
    const queue = [...datasets];
    while (queue.length) {
      const p = this.producerOf(queue.pop()!);
      if (p && !seen.has(p.name)) {
        seen.add(p.name);
        queue.push(...p.inputs);
      }
    }
    return new Pipeline(this.nodes.filter((n) => seen.has(n.name)));
  }
}

export interface PipelineFilter {
  tags?: string[];
  nodeNames?: string[];
  fromNodes?: string[];
  toNodes?: string[];
  fromInputs?: string[];
  toOutputs?: string[];
  namespace?: string;
  /** Nodes in any of these namespaces (`--namespaces a,b`). */
  namespaces?: string[];
}

/** `a + b + ...`: every node of every pipeline. */
export function add(...pipelines: Pipeline[]): Pipeline {
  return new Pipeline(pipelines);
}

/** `a - b`: the nodes of `a` that are not in `b` (by name). */
export function subtract(a: Pipeline, b: Pipeline): Pipeline {
  const drop = new Set(b.nodeNames());
  return new Pipeline(a.nodes.filter((n) => !drop.has(n.name)));
}

/** `a & b`: the nodes in both. */
export function intersect(a: Pipeline, b: Pipeline): Pipeline {
  const keep = new Set(b.nodeNames());
  return new Pipeline(a.nodes.filter((n) => keep.has(n.name)));
}

/** `a | b`: the nodes in either (same as add). */
export function union(a: Pipeline, b: Pipeline): Pipeline {
  return new Pipeline([a, b]);
}

function sameNode(a: Node, b: Node): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return a.func === b.func && same(a.inputs, b.inputs) && same(a.outputs, b.outputs);
}

/** Kahn's algorithm; among ready nodes the smallest name goes first, so the order is stable. */
function toposort(nodes: Node[], producers: ReadonlyMap<string, Node>): Node[] {
  const deps = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    const d = new Set<string>();
    for (const i of n.inputs) {
      const p = producers.get(stripTranscoding(i));
      if (p && p.name !== n.name) d.add(p.name);
    }
    deps.set(n.name, d);
    for (const p of d) (dependents.get(p) ?? dependents.set(p, []).get(p)!).push(n.name);
  }
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const ready = nodes.filter((n) => deps.get(n.name)!.size === 0).map((n) => n.name).sort();
  const order: Node[] = [];
  while (ready.length) {
    const name = ready.shift()!;
    order.push(byName.get(name)!);
    let added = false;
    for (const m of dependents.get(name) ?? []) {
      const d = deps.get(m)!;
      d.delete(name);
      if (d.size === 0) {
        ready.push(m);
        added = true;
      }
    }
    if (added) ready.sort();
  }
  if (order.length !== nodes.length) throw new CircularDependencyError(findCycle(deps));
  return order;
}

/** One cycle among the nodes left with unresolved dependencies, for the error message. */
function findCycle(deps: Map<string, Set<string>>): string[] {
  const left = [...deps.entries()].filter(([, d]) => d.size > 0);
  const start = left.map(([n]) => n).sort()[0]!;
  const path: string[] = [];
  const seenAt = new Map<string, number>();
  let cur = start;
  while (!seenAt.has(cur)) {
    seenAt.set(cur, path.length);
    path.push(cur);
    cur = [...deps.get(cur)!].sort()[0]!;
  }
  // deps point upstream; reverse so the cycle reads in execution order.
  const cycle = path.slice(seenAt.get(cur)).reverse();
  // Start at the smallest name so the message is the same whichever node the walk began at.
  const first = cycle.indexOf([...cycle].sort()[0]!);
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0]!];
}
