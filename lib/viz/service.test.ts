import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataCatalog } from '../io';
import { node, Pipeline } from '../pipeline';
import { table, type HistogramSet } from '../data';
import { lsMapOf, partitionsPreview, previewOf } from './preview';
import type { VizProject } from './project-types';
import { VizService } from './service';

export function aggregate_properties(stats: unknown) {
  return stats;
}

/** A real project folder: a nodes.ts to read source from, a CSV on disk, a real DataCatalog. */
function makeProject(): VizProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-viz-svc-'));
  fs.mkdirSync(path.join(root, 'pipelines', 'dp'), { recursive: true });
  fs.writeFileSync(path.join(root, 'pipelines', 'dp', 'nodes.ts'), 'export function aggregate_properties(stats: Table): Table {\n  return stats;\n}\n');
  fs.mkdirSync(path.join(root, 'data'), { recursive: true });
  fs.writeFileSync(path.join(root, 'data', 'stats.csv'), 'run,lumi,mean\n1,1,0.5\n1,2,0.7\n');
  const catalogConfig = {
    stats: { type: 'pandas.CSVDataset', filepath: 'data/stats.csv', layer: 'primary', credentials: 'db' },
    aggregated: { type: 'pandas.CSVDataset', filepath: 'data/aggregated.csv', layer: 'feature' },
  };
  const pipe = new Pipeline([node(aggregate_properties, ['stats', 'params:threshold'], 'aggregated', { name: 'aggregate', tags: ['t'] }), node(function plot(x: unknown) { return x; }, 'aggregated', 'figure')]);
  return {
    root,
    parameters: { threshold: 3 },
    pipelines: { __default__: pipe },
    config: { catalog: catalogConfig },
    createCatalog: () => DataCatalog.fromConfig(catalogConfig, { projectRoot: root, credentials: { db: { password: 'hunter22' } } }),
  };
}

describe('VizService', () => {
  it('describes a task: source, parameters, command', async () => {
    const project = makeProject();
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    const d = await svc.node('aggregate');
    expect(d).toEqual({
      kind: 'task',
      id: 'aggregate',
      name: 'aggregate',
      code: 'export function aggregate_properties(stats: Table): Table {\n  return stats;\n}',
      filepath: 'pipelines/dp/nodes.ts',
      line: 1,
      inputs: ['stats', 'params:threshold'],
      outputs: ['aggregated'],
      parameters: { 'params:threshold': 3 },
      tags: ['t'],
      namespace: null,
      run_command: 'dqm run --nodes aggregate',
    });
  });

  it('previews a table through the catalog, without credentials', async () => {
    const project = makeProject();
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    const d = await svc.node('stats');
    expect(d).toMatchObject({ kind: 'data', type: 'pandas.CSVDataset', filepath: 'data/stats.csv', layer: 'primary', stats: { rows: 2, columns: 3, file_size: 30 } });
    expect(d.kind === 'data' && d.preview).toEqual({ kind: 'table', columns: ['run', 'lumi', 'mean'], rows: [{ run: 1, lumi: 1, mean: 0.5 }, { run: 1, lumi: 2, mean: 0.7 }], rowCount: 2 });
    expect(JSON.stringify(await svc.main())).not.toContain('hunter22');
    expect(JSON.stringify(d)).not.toContain('hunter22');
  });

  it('says how to produce a dataset that does not exist yet, and what a memory dataset is', async () => {
    const project = makeProject();
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    expect(await svc.node('aggregated')).toMatchObject({ preview: { kind: 'none', reason: 'Not produced yet: run `dqm run --to-outputs aggregated`' } });
    expect(await svc.node('figure')).toMatchObject({ type: 'MemoryDataset', preview: { kind: 'none', reason: 'In-memory dataset: it exists only while a run is going (declare it in conf/base/catalog.yml to keep it)' } });
    expect(await svc.node('params:threshold')).toMatchObject({ kind: 'parameters', value: 3 });
  });

  it('answers unknown nodes and pipelines with 404 errors that suggest', async () => {
    const project = makeProject();
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    await expect(svc.node('aggregat')).rejects.toMatchObject({ httpStatus: 404, code: 'NODE_NOT_FOUND', message: "Node 'aggregat' not found in pipeline '__default__'. Did you mean 'aggregate' or 'aggregated'?" });
    await expect(svc.pipeline('nope')).rejects.toMatchObject({ httpStatus: 404, message: "Pipeline 'nope' not found. Available pipelines: __default__." });
  });

  it('tells subscribers about a reload', async () => {
    const project = makeProject();
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    const seen: string[] = [];
    svc.subscribe((e) => seen.push(e.type));
    await svc.reload();
    expect(seen).toEqual(['reload']);
    expect(svc.info().version).toBe(2);
  });
});

describe('previewOf', () => {
  const h: HistogramSet = {
    kind: 'histogram-set',
    title: 'clusterposition_zphi_PXLayer_1',
    run: Int32Array.from([1, 1]),
    lumi: Int32Array.from([1, 2]),
    entries: Float64Array.from([6, 60]),
    ny: 2,
    nx: 3,
    x: { min: 0, max: 3, label: 'z' },
    y: { min: 0, max: 2, label: 'phi' },
    values: Float32Array.from([0, 1, 2, 3, 4, 5, 0, 10, 20, 30, 40, 50]),
  };

  it('draws the selected lumisection of a histogram set', () => {
    expect(previewOf(h, { ls: 1 })).toEqual({ kind: 'heatmap', title: h.title, ls: 1, lsCount: 2, run: 1, lumi: 2, entries: 60, x: h.x, y: h.y, z: [[0, 10, 20], [30, 40, 50]], zLabel: 'clusters', lsRuns: [1, 1], lsLumis: [1, 2], lsEntries: [6, 60] });
    expect(Array.from(lsMapOf(h, 1))).toEqual([0, 10, 20, 30, 40, 50]);
    expect(() => lsMapOf(h, 5)).toThrow("LS index 5 is out of range: 'clusterposition_zphi_PXLayer_1' has 2 lumisections (0..1)");
  });

  it('refuses an LS index out of range', () => {
    expect(() => previewOf(h, { ls: 2 })).toThrow("LS index 2 is out of range: 'clusterposition_zphi_PXLayer_1' has 2 lumisections (0..1)");
  });

  it('recognises Plotly figures, PNG bytes and partitions', () => {
    expect(previewOf({ data: [{ type: 'bar' }], layout: {} })).toEqual({ kind: 'plotly', figure: { data: [{ type: 'bar' }], layout: {} } });
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 4, 0, 0, 0, 2]);
    expect(previewOf(png)).toMatchObject({ kind: 'image', width: 4, height: 2 });
    expect(previewOf({ b: () => 1, a: () => 2 })).toEqual({ kind: 'table', columns: ['partition'], rows: [{ partition: 'a' }, { partition: 'b' }], rowCount: 2 });
  });

  it("previews a partitioned dataset's first partition, long cells cut", async () => {
    const t = table({ run: Int32Array.from([1]), map: ['['.repeat(500)] });
    const p = await partitionsPreview({ b: async () => 'second', a: async () => t });
    expect(p).toMatchObject({ kind: 'partitions', names: ['a', 'b'], count: 2, shown: 'a' });
    const inner = (p as { preview: unknown }).preview;
    expect(inner).toMatchObject({ kind: 'table', columns: ['run', 'map'], rowCount: 1 });
    expect(String((inner as { rows: Array<Record<string, unknown>> }).rows[0]!.map)).toBe(`${'['.repeat(160)}… (500 characters)`);
    // Raw maps read as bytes (text_as_bytes): their text, cut the same way, never a JSON object of 2 M keys.
    const bytes = table({ run: Int32Array.from([1, 2]), map: [Buffer.from('['.repeat(500)), Uint8Array.from([91, 49, 93])] });
    const rows = (previewOf(bytes) as { rows: Array<Record<string, unknown>> }).rows;
    expect(rows.map((r) => r.map)).toEqual([`${'['.repeat(160)}… (500 bytes)`, '[1]']);
    expect(await partitionsPreview({ a: async () => { throw new Error('disk gone'); } })).toMatchObject({ preview: { kind: 'none', reason: "Could not load partition 'a' for preview: disk gone" } });
  });
});
