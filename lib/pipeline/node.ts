import { NodeError, PipelineError } from './errors';

/** How a node's inputs map to its function's arguments (as in Kedro). */
export type NodeInputs = null | string | string[] | Record<string, string>;
/** How a node's return value maps to datasets. */
export type NodeOutputs = null | string | string[] | Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type NodeFunction = (...args: any[]) => unknown;

/**
 * What a typed parameter is checked against: a zod schema (any object with zod's `safeParse`
 * shape). lib/pipeline only carries it; the session validates before a run (Kedro 1.3's typed
 * parameters, with a schema standing in for Python's type hints, which TypeScript erases).
 */
export interface ParameterSchema {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly ParameterIssue[] } };
}

/** One problem zod reports (its issue objects carry these fields). */
export interface ParameterIssue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: unknown;
  values?: readonly unknown[];
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  keys?: readonly string[];
}

/** Parameter key (dotted, no `params:` prefix, e.g. `data_processing`) -> its schema. */
export type ParameterSchemas = Readonly<Record<string, ParameterSchema>>;

export interface NodeOptions {
  /** Defaults to the function's name (namespaced); never a hash, so it can be typed on the CLI. */
  name?: string;
  tags?: string | string[];
  namespace?: string;
  /** Schemas of the parameters this node relies on, checked before any node runs. */
  parameterSchemas?: ParameterSchemas;
}

const PARAM_PREFIX = 'params:';

/** `params:x` and `parameters` are parameter inputs, not datasets. */
export function isParameter(dataset: string): boolean {
  return dataset === 'parameters' || dataset.startsWith(PARAM_PREFIX);
}

/**
 * One step of a pipeline: a function, the datasets it reads and writes, a name and tags.
 * Immutable: `renamed` and `withNamespace` return new nodes (modular pipelines build on them).
 */
export class Node {
  readonly func: NodeFunction;
  readonly inputSpec: NodeInputs;
  readonly outputSpec: NodeOutputs;
  readonly name: string;
  readonly tags: ReadonlySet<string>;
  readonly namespace: string | undefined;
  readonly parameterSchemas: ParameterSchemas;
  /** Dataset names read, in argument order (duplicates removed). */
  readonly inputs: readonly string[];
  /** Dataset names written, in declaration order. */
  readonly outputs: readonly string[];

  constructor(func: NodeFunction, inputs: NodeInputs, outputs: NodeOutputs, options: NodeOptions = {}) {
    if (typeof func !== 'function') {
      throw new PipelineError(`Node '${options.name ?? '?'}': the first argument must be a function, got ${typeof func}`);
    }
    const baseName = options.name ?? func.name;
    if (!baseName || baseName === 'anonymous') {
      throw new PipelineError('Node with an anonymous function needs a name: node(fn, inputs, outputs, { name: "..." })');
    }
    validateSpec(baseName, 'inputs', inputs);
    validateSpec(baseName, 'outputs', outputs);
    this.func = func;
    this.inputSpec = inputs;
    this.outputSpec = outputs;
    this.namespace = options.namespace || undefined;
    // An explicit name that already carries the namespace is kept as is.
    this.name = this.namespace && !baseName.startsWith(`${this.namespace}.`) ? `${this.namespace}.${baseName}` : baseName;
    const tags = options.tags === undefined ? [] : typeof options.tags === 'string' ? [options.tags] : options.tags;
    this.tags = new Set(tags);
    this.parameterSchemas = Object.freeze({ ...options.parameterSchemas });
    this.inputs = [...new Set(specNames(inputs))];
    this.outputs = specNames(outputs);
    const dupOut = this.outputs.find((o, i) => this.outputs.indexOf(o) !== i);
    if (dupOut) throw new PipelineError(`Node '${this.name}' lists output '${dupOut}' twice`);
    const loop = this.outputs.find((o) => this.inputs.includes(o));
    if (loop) throw new PipelineError(`Node '${this.name}' reads and writes the same dataset '${loop}'`);
  }

  /** The function's own name (without namespace), e.g. `summary_statistics`. */
  get shortName(): string {
    return this.namespace && this.name.startsWith(`${this.namespace}.`) ? this.name.slice(this.namespace.length + 1) : this.name;
  }

  /** Calls the function with loaded inputs (keyed by dataset name) and returns outputs by dataset name. */
  async run(inputs: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const missing = this.inputs.filter((i) => !(i in inputs));
    if (missing.length) throw new NodeError(`Node '${this.name}' is missing inputs: ${missing.join(', ')}`, this.name);
    const spec = this.inputSpec;
    let result: unknown;
    if (spec === null) result = await this.func();
    else if (typeof spec === 'string') result = await this.func(inputs[spec]);
    else if (Array.isArray(spec)) result = await this.func(...spec.map((d) => inputs[d]));
    else result = await this.func(Object.fromEntries(Object.entries(spec).map(([arg, d]) => [arg, inputs[d]])));
    return this.mapOutputs(result);
  }

  private mapOutputs(result: unknown): Record<string, unknown> {
    const spec = this.outputSpec;
    if (spec === null) return {};
    if (typeof spec === 'string') return { [spec]: result };
    if (Array.isArray(spec)) {
      if (!Array.isArray(result) || result.length !== spec.length) {
        const got = Array.isArray(result) ? `an array of ${result.length}` : typeof result;
        throw new NodeError(`Node '${this.name}' must return an array of ${spec.length} values (${spec.join(', ')}), got ${got}`, this.name);
      }
      return Object.fromEntries(spec.map((d, i) => [d, result[i]]));
    }
    if (result === null || typeof result !== 'object') {
      throw new NodeError(`Node '${this.name}' must return an object with keys ${Object.keys(spec).join(', ')}, got ${result === null ? 'null' : typeof result}`, this.name);
    }
    const missing = Object.keys(spec).filter((k) => !(k in result));
    if (missing.length) throw new NodeError(`Node '${this.name}' returned no value for ${missing.join(', ')}`, this.name);
    const record = result as Record<string, unknown>;
    return Object.fromEntries(Object.entries(spec).map(([k, d]) => [d, record[k]]));
  }

  /** A copy with datasets renamed through `rename` (used by modular pipelines). */
  renamed(rename: (dataset: string) => string, namespace: string | undefined, extraTags: string[] = [], extraSchemas: ParameterSchemas = {}): Node {
    const mapSpec = <S extends NodeInputs>(s: S): S => {
      if (s === null) return s;
      if (typeof s === 'string') return rename(s) as S;
      if (Array.isArray(s)) return s.map(rename) as S;
      return Object.fromEntries(Object.entries(s).map(([k, d]) => [k, rename(d)])) as S;
    };
    const ns = namespace ? (this.namespace ? `${namespace}.${this.namespace}` : namespace) : this.namespace;
    const name = namespace ? `${namespace}.${this.name}` : this.name;
    // a remapped parameter (`{threshold: 'layer_1.threshold'}`) takes its schema along
    const schemas = Object.entries({ ...extraSchemas, ...this.parameterSchemas }).map(([key, schema]) => {
      const renamedKey = rename(`${PARAM_PREFIX}${key}`);
      return [renamedKey.startsWith(PARAM_PREFIX) ? renamedKey.slice(PARAM_PREFIX.length) : key, schema] as const;
    });
    // node(), not `new Node` here: a class naming itself in its body is bundled by esbuild as
    // `class _Node`, and stack traces of the compiled CLI would read `_Node.run`.
    return node(this.func, mapSpec(this.inputSpec), mapSpec(this.outputSpec), {
      name,
      namespace: ns,
      tags: [...this.tags, ...extraTags],
      parameterSchemas: Object.fromEntries(schemas),
    });
  }

  toString(): string {
    return `${this.name}([${this.inputs.join(', ')}]) -> [${this.outputs.join(', ')}]`;
  }
}

/** Builds a node, as Kedro's `node(func, inputs, outputs, name=..., tags=...)`. */
export function node(func: NodeFunction, inputs: NodeInputs, outputs: NodeOutputs, options: NodeOptions = {}): Node {
  return new Node(func, inputs, outputs, options);
}

function specNames(spec: NodeInputs): string[] {
  if (spec === null) return [];
  if (typeof spec === 'string') return [spec];
  if (Array.isArray(spec)) return spec;
  return Object.values(spec);
}

function validateSpec(name: string, what: string, spec: NodeInputs): void {
  if (spec === null || typeof spec === 'string') {
    if (spec === '') throw new PipelineError(`Node '${name}': ${what} has an empty dataset name`);
    return;
  }
  const names = Array.isArray(spec) ? spec : typeof spec === 'object' ? Object.values(spec) : undefined;
  if (!names || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new PipelineError(`Node '${name}': ${what} must be a dataset name, a list of names or an {argument: name} mapping`);
  }
}
