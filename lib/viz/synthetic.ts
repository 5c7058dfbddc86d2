import { node, Pipeline, pipeline, type Node } from '../pipeline';
import { buildFullGraph, type GraphSource } from './build-graph';
import type { GraphJson } from '../graph';

const LAYERS = ['raw', 'intermediate', 'primary', 'feature', 'model_output'];

/**
 * A deterministic pipeline-shaped graph of about `size` nodes (tasks + datasets + parameters):
 * modular pipelines of 20 tasks, each task reading one or two earlier datasets and a parameter
 * now and then, datasets spread over five layers. For benchmarks and layout tests.
 */
export function syntheticSource(size: number, seed = 1): GraphSource {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const tasks = Math.max(1, Math.round(size / 2.15));
  const perNs = 20;
  const namespaces = Math.ceil(tasks / perNs);
  const layerOf: Record<string, string> = {};
  const pipes: Pipeline[] = [];
  const shared: string[] = [];
  for (let k = 0; k < namespaces; k++) {
    const ns = `part_${String(k).padStart(3, '0')}`;
    const count = Math.min(perNs, tasks - k * perNs);
    const raw = `raw_${k}`;
    // Two stages, as in real projects: the first half refines raw data, the second models it.
    const stage2 = k >= Math.ceil(namespaces / 2);
    const nodes: Node[] = [];
    const made: string[] = ['input'];
    for (let j = 0; j < count; j++) {
      const a = made[Math.max(0, made.length - 1 - Math.floor(rand() * 3))]!;
      const ins = [a];
      if (rand() < 0.35 && made.length > 2) ins.push(made[Math.floor(rand() * made.length)]!);
      if (rand() < 0.25) ins.push(`params:${ns}.p${j % 3}`);
      const out = `d${j}`;
      const fn = function step(...xs: unknown[]) {
        return xs.length;
      };
      nodes.push(node(fn, [...new Set(ins)], out, { name: `step_${j}`, tags: j % 2 ? ['odd'] : ['even'] }));
      made.push(out);
      layerOf[`${ns}.${out}`] = LAYERS[(stage2 ? 3 : 1) + (j * 2 < count ? 0 : 1)]!;
    }
    const last = `${ns}_result`;
    const from = stage2 ? shared[Math.floor(rand() * shared.length)]! : raw;
    layerOf[raw] = 'raw';
    layerOf[last] = stage2 ? 'model_output' : 'primary';
    pipes.push(pipeline(nodes, { namespace: ns, inputs: { input: from }, outputs: { [`d${count - 1}`]: last } }));
    if (!stage2) shared.push(last);
  }
  const all = new Pipeline(pipes);
  return {
    pipelines: { __default__: all, first_half: new Pipeline(pipes.slice(0, Math.ceil(pipes.length / 2))) },
    parameters: {},
    describeDataset: (name) => ({ type: 'CSVDataset', layer: layerOf[name] ?? null }),
  };
}

export function syntheticGraph(size: number, seed = 1): GraphJson {
  return buildFullGraph(syntheticSource(size, seed));
}
