/**
 * Small real projects in temp dirs for the runner, session and CLI tests: conf/base YAML and a
 * pipelines/registry.ts that imports the framework by absolute path (so it runs from /tmp).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LIB = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const REPO = path.dirname(LIB);

export interface TempProjectSpec {
  /** Files relative to the project root; `{{lib}}` is replaced by the framework's absolute lib path. */
  files?: Record<string, string>;
}

export const DEFAULT_CATALOG = `numbers:
  type: json.JSONDataset
  filepath: data/01_raw/numbers.json
total:
  type: json.JSONDataset
  filepath: data/03_primary/total.json
  layer: primary
report:
  type: json.JSONDataset
  filepath: data/08_reporting/report.json
`;

export const DEFAULT_PARAMETERS = `factor: 2
model:
  offset: 1
`;

/**
 * numbers ─ scale ─ scaled ─┬─ total_of ─ total ─┐
 *                           └─ count_of ─ count ─┴─ make_report ─ report
 * `scaled` and `count` are memory datasets. Node `explode` (pipeline 'failing') throws.
 */
export const DEFAULT_REGISTRY = `import { node, Pipeline } from '{{lib}}/pipeline';
import { reportProgress } from '{{lib}}/runner';

export function scale(xs: number[], factor: number): number[] {
  return xs.map((x, i) => {
    reportProgress(i + 1, xs.length, 'numbers');
    return x * factor;
  });
}
export function total_of(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
export function count_of(xs: number[]): number {
  return xs.length;
}
export function make_report(total: number, count: number, offset: number) {
  return { total, count, mean: total / count + offset };
}
export function explode(_xs: number[]): number {
  throw new Error('boom: the detector is on fire');
}

export function registerPipelines(ctx: { parameters: Record<string, unknown> }): Record<string, Pipeline> {
  const main = new Pipeline([
    node(scale, ['numbers', 'params:factor'], 'scaled', { tags: 'prep' }),
    node(total_of, 'scaled', 'total'),
    node(count_of, 'scaled', 'count'),
    node(make_report, ['total', 'count', 'params:model.offset'], 'report', { tags: 'report' }),
  ]);
  const failing = new Pipeline([
    node(scale, ['numbers', 'params:factor'], 'scaled'),
    node(total_of, 'scaled', 'total'),
    node(explode, 'total', 'never'),
  ]);
  return { __default__: main, main, failing };
}
`;

export function makeTempProject(spec: TempProjectSpec = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-project-'));
  const files: Record<string, string> = {
    // ESM, as the real project: without it tsx compiles the registry as CommonJS
    'package.json': '{ "name": "temp-dqm-project", "private": true, "type": "module" }\n',
    'conf/base/catalog.yml': DEFAULT_CATALOG,
    'conf/base/parameters.yml': DEFAULT_PARAMETERS,
    'conf/local/.gitkeep': '',
    'data/01_raw/numbers.json': '[1, 2, 3, 4]',
    'pipelines/registry.ts': DEFAULT_REGISTRY,
    ...spec.files,
  };
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text.replaceAll('{{lib}}', LIB));
  }
  return root;
}
