/** The framework's package name: generated code imports it as a project outside this repository does. */
export const FRAMEWORK_PACKAGE = 'dqm-playground-ds';

/**
 * The files `dqm pipeline create NAME` writes: a working two-node example (parameters in,
 * a memory dataset between the nodes) so `dqm run --pipeline NAME` runs at once.
 */
export function pipelineFiles(name: string): Record<string, string> {
  return {
    'nodes.ts': `/** Node functions of the '${name}' pipeline: plain functions of plain data, easy to test. */

export function makeSeries(length: number): number[] {
  return Array.from({ length }, (_, i) => i);
}

export function summarise(series: number[]): { count: number; mean: number } {
  const count = series.length;
  const mean = count ? series.reduce((a, b) => a + b, 0) / count : 0;
  return { count, mean };
}
`,
    'pipeline.ts': `import { node, Pipeline } from '${FRAMEWORK_PACKAGE}/pipeline';
import { makeSeries, summarise } from './nodes';

export function createPipeline(_ctx: { parameters: Record<string, unknown> }): Pipeline {
  return new Pipeline([
    node(makeSeries, 'params:${name}.length', '${name}_series', { namespace: '${name}' }),
    node(summarise, '${name}_series', '${name}_summary', { namespace: '${name}' }),
  ]);
}
`,
    'pipeline.test.ts': `import { describe, expect, it } from 'vitest';
import { makeSeries, summarise } from './nodes';
import { createPipeline } from './pipeline';

describe('${name} pipeline', () => {
  it('summarises a series', () => {
    expect(summarise(makeSeries(5))).toEqual({ count: 5, mean: 2 });
  });

  it('connects its nodes', () => {
    const p = createPipeline({ parameters: {} });
    expect(p.nodeNames()).toEqual(['${name}.makeSeries', '${name}.summarise']);
    expect([...p.inputs()]).toEqual(['params:${name}.length']);
  });
});
`,
  };
}

export function parametersFile(name: string): string {
  return `# Parameters of the '${name}' pipeline (read by its nodes as params:${name}.<key>).
${name}:
  length: 10
`;
}

/** `data_quality` -> `dataQuality`, the name the registry imports createPipeline as. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
