/**
 * The framework's own overhead: a 500-node synthetic pipeline of trivial nodes (memory datasets
 * between them) in a temp project. Measures load (config + registry), catalog build + pipeline
 * resolution, and a run with each runner; prints ms per node. Run: npm run bench:framework
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import { Project } from '../lib/session';
import { makeTempProject } from '../lib/session/temp-project.fixtures';

const CHAINS = 10;
const LENGTH = 50;
const NODES = CHAINS * LENGTH;
const REPEATS = 3;

/** 10 chains of 50 nodes; every 10th node also reads the previous chain's value (cross links). */
const REGISTRY = `import { node, Pipeline } from 'dqm-playground-ds/pipeline';

export function step(prev: number, other?: number): number {
  return prev + (other ?? 0) + 1;
}
export function start(seed: number): number {
  return seed;
}

export function registerPipelines(_ctx: { parameters: Record<string, unknown> }): Record<string, Pipeline> {
  const nodes = [];
  for (let c = 0; c < ${CHAINS}; c++) {
    nodes.push(node(start, 'params:seed', \`v_\${c}_0\`, { name: \`start_\${c}\` }));
    for (let i = 1; i < ${LENGTH}; i++) {
      const inputs = [\`v_\${c}_\${i - 1}\`];
      if (c > 0 && i % 10 === 0) inputs.push(\`v_\${c - 1}_\${i - 1}\`);
      nodes.push(node(step, inputs, \`v_\${c}_\${i}\`, { name: \`step_\${c}_\${i}\` }));
    }
  }
  return { __default__: new Pipeline(nodes) };
}
`;

const root = makeTempProject({ files: { 'pipelines/registry.ts': REGISTRY, 'conf/base/parameters.yml': 'seed: 1\n' } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

try {
  let t = performance.now();
  const project = await Project.load({ root });
  const loadMs = performance.now() - t;

  const resolve: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    t = performance.now();
    project.createCatalog();
    project.selectPipeline({});
    resolve.push(performance.now() - t);
  }

  const runs: Record<string, number[]> = { sequential: [], parallel: [] };
  for (let i = 0; i < REPEATS; i++) {
    for (const runner of ['sequential', 'parallel'] as const) {
      t = performance.now();
      const result = await project.run({ runner });
      if (result.nodes.length !== NODES) throw new Error(`expected ${NODES} nodes, ran ${result.nodes.length}`);
      runs[runner]!.push(performance.now() - t);
    }
  }

  console.log(`Framework overhead: ${NODES} trivial nodes (${CHAINS} chains of ${LENGTH}, memory datasets), ${os.availableParallelism()} cores, median of ${REPEATS}`);
  console.log(`  load project (config + registry + hooks): ${ms(loadMs)} (first load, includes compiling the registry)`);
  console.log(`  build catalog + resolve pipeline:         ${ms(median(resolve))}`);
  for (const [runner, xs] of Object.entries(runs)) {
    const m = median(xs);
    console.log(`  run, ${runner.padEnd(10)} (checks + run + events): ${ms(m)} = ${(m / NODES).toFixed(3)} ms/node`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
