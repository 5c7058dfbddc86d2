import { PipelineError } from './errors';
import { isParameter, Node, type ParameterSchemas } from './node';
import { Pipeline } from './pipeline';
import { stripTranscoding, TRANSCODING_SEPARATOR, transcodeSplit } from './transcoding';

/** Dataset names exposed unchanged (string, list) or renamed (`{inner: outer}`). */
export type DatasetMapping = string | string[] | Record<string, string>;

export interface ModularPipelineOptions {
  /** Prefix for node names and for every dataset that is not mapped or a parameter. */
  namespace?: string;
  /** Free inputs to connect to the outside, kept or renamed instead of namespaced. */
  inputs?: DatasetMapping;
  /** Outputs to expose to the outside, kept or renamed instead of namespaced. */
  outputs?: DatasetMapping;
  /** Parameters to remap: `{ "params:threshold": "params:layer_1.threshold" }` (the prefix may be omitted). */
  parameters?: DatasetMapping;
  tags?: string | string[];
  /**
   * Kedro's `prefix_datasets_with_namespace`: `false` namespaces the node names only, datasets
   * keep their names (several modular pipelines sharing one set of datasets). Default `true`.
   */
  prefixDatasetsWithNamespace?: boolean;
  /** Schemas of the parameters the nodes read (key before any `parameters` remapping). */
  parameterSchemas?: ParameterSchemas;
}

/**
 * Kedro's modular pipeline: reuse a pipeline under a namespace. Rules, as in Kedro:
 * a mapped name takes its mapping; parameters stay as they are unless mapped; every other
 * dataset becomes `namespace.name`; node names become `namespace.name`.
 */
export function pipeline(items: Pipeline | Iterable<Node | Pipeline>, options: ModularPipelineOptions = {}): Pipeline {
  const pipe = items instanceof Pipeline ? items : new Pipeline(items);
  const { namespace } = options;
  const inputs = toMapping(options.inputs);
  const outputs = toMapping(options.outputs);
  const parameters = toParamMapping(options.parameters);
  validate(pipe, inputs, outputs, parameters, namespace);

  const mapping = new Map([...inputs, ...outputs, ...parameters]);
  const prefix = options.prefixDatasetsWithNamespace !== false;
  const rename = (d: string): string => {
    const mapped = mapping.get(d);
    if (mapped !== undefined) return mapped;
    // a mapped transcoded dataset keeps its format: `{my_df: raw}` turns `my_df@pandas` into `raw@pandas`
    const [base, format] = transcodeSplit(d);
    const mappedBase = format ? mapping.get(base) : undefined;
    if (mappedBase !== undefined) return `${mappedBase}${TRANSCODING_SEPARATOR}${format}`;
    if (isParameter(d) || !prefix) return d;
    return namespace ? `${namespace}.${d}` : d;
  };
  const tags = options.tags === undefined ? [] : typeof options.tags === 'string' ? [options.tags] : options.tags;
  return new Pipeline(pipe.nodes.map((n) => n.renamed(rename, namespace, tags, options.parameterSchemas)));
}

function toMapping(m: DatasetMapping | undefined): Map<string, string> {
  if (m === undefined) return new Map();
  if (typeof m === 'string') return new Map([[m, m]]);
  if (Array.isArray(m)) return new Map(m.map((d) => [d, d]));
  return new Map(Object.entries(m));
}

function toParamMapping(m: DatasetMapping | undefined): Map<string, string> {
  const withPrefix = (p: string) => (isParameter(p) ? p : `params:${p}`);
  return new Map([...toMapping(m)].map(([k, v]) => [withPrefix(k), withPrefix(v)]));
}

function validate(
  pipe: Pipeline,
  inputs: Map<string, string>,
  outputs: Map<string, string>,
  parameters: Map<string, string>,
  namespace: string | undefined,
): void {
  const where = namespace ? ` (namespace '${namespace}')` : '';
  const strip = (names: Iterable<string>) => new Set([...names].map(stripTranscoding));
  const free = strip(pipe.inputs());
  const produced = strip(pipe.allOutputs());
  const internal = [...inputs.keys()].filter((i) => produced.has(stripTranscoding(i)));
  if (internal.length) {
    throw new PipelineError(`Inputs must not be outputs of another node in the same pipeline${where}: ${internal.join(', ')}`, { code: 'MODULAR_PIPELINE_ERROR' });
  }
  const params = pipe.parameters();
  const unknown = [
    ...[...inputs.keys()].filter((i) => !free.has(stripTranscoding(i))),
    ...[...outputs.keys()].filter((o) => !produced.has(stripTranscoding(o))),
    ...[...parameters.keys()].filter((p) => !params.has(p)),
  ];
  if (unknown.length) {
    throw new PipelineError(`Failed to map datasets and/or parameters onto the nodes provided${where}: ${unknown.join(', ')}`, { code: 'MODULAR_PIPELINE_ERROR' });
  }
}
