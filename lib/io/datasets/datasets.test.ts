import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { table, type Table } from '../../data';
import { DataCatalog, MemoryDataset, type Partitions } from '../index';
import { sharedPath } from '../../../tests/shared-data.fixtures';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'dqm-ds-'));

async function rejects(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

describe('MemoryDataset', () => {
  it('copy mode (default) copies structure but keeps typed arrays by reference', async () => {
    const ds = new MemoryDataset();
    const values = new Float32Array([1, 2, 3]);
    const data = { values, list: [1, 2], nested: { a: 1 } };
    await ds.save(data);
    data.list.push(3);
    const loaded = (await ds.load()) as typeof data;
    expect(loaded.list).toEqual([1, 2]);
    expect(loaded.values).toBe(values);
    loaded.nested.a = 5;
    expect(((await ds.load()) as typeof data).nested.a).toBe(1);
  });

  it('deepcopy copies typed arrays too; assign keeps the reference', async () => {
    const deep = new MemoryDataset({ copy_mode: 'deepcopy' });
    const values = new Float32Array([1]);
    await deep.save({ values });
    expect(((await deep.load()) as { values: Float32Array }).values).not.toBe(values);
    const assign = new MemoryDataset({ copy_mode: 'assign' });
    const obj = { a: 1 };
    await assign.save(obj);
    expect(await assign.load()).toBe(obj);
  });

  it('errors: empty load, undefined save, bad copy_mode', async () => {
    const ds = new MemoryDataset();
    ds.name = 'mean_image';
    expect((await rejects(ds.load())).message).toBe("Data for MemoryDataset 'mean_image' has not been saved yet");
    expect((await rejects(ds.save(undefined))).message).toBe("Saving 'undefined' to dataset 'mean_image' is not allowed (did the node return a value?)");
    expect(() => new MemoryDataset({ copy_mode: 'clone' })).toThrow("MemoryDataset 'copy_mode' must be 'copy', 'deepcopy' or 'assign', got \"clone\"");
    expect(ds.persisted).toBe(false);
  });
});

describe('file datasets round trip', () => {
  it('JSONDataset: values, typed arrays as lists, indent, invalid JSON', async () => {
    const root = tmp();
    const catalog = DataCatalog.fromConfig(
      { j: { type: 'JSONDataset', filepath: 'data/j.json' }, k: { type: 'JSONDataset', filepath: 'k.json', save_args: { indent: 0 } } },
      { projectRoot: root },
    );
    await catalog.save('j', { a: [1, 'x', null], f: new Float64Array([0.1, 1e-300]), m: new Map([['k', 1]]) });
    expect(await catalog.load('j')).toEqual({ a: [1, 'x', null], f: [0.1, 1e-300], m: { k: 1 } });
    await catalog.save('k', { a: 1 });
    expect(readFileSync(path.join(root, 'k.json'), 'utf8')).toBe('{"a":1}\n');
    writeFileSync(path.join(root, 'k.json'), '{"a": ');
    expect((await rejects(catalog.load('k'))).message).toMatch(/^Failed while loading data from dataset 'k' \(k\.json\): invalid JSON: /);
  });

  it('TextDataset', async () => {
    const catalog = DataCatalog.fromConfig({ t: { type: 'text.TextDataset', filepath: 'notes/t.txt' } }, { projectRoot: tmp() });
    await catalog.save('t', 'héllo\nworld');
    expect(await catalog.load('t')).toBe('héllo\nworld');
    expect((await rejects(catalog.save('t', 3))).message).toBe("Failed while saving data to dataset 't' (notes/t.txt): TextDataset saves a string, got number");
  });

  it('CSVDataset: full-precision doubles, ints, strings with quotes, missing values, sep', async () => {
    const root = tmp();
    const catalog = DataCatalog.fromConfig(
      {
        c: { type: 'pandas.CSVDataset', filepath: 'data/c.csv' },
        s: { type: 'pandas.CSVDataset', filepath: 'data/s.csv', load_args: { sep: ';' }, save_args: { sep: ';', index: false } },
      },
      { projectRoot: root },
    );
    const t = table({
      run: Int32Array.from([316187, 316187, 316188]),
      x: Float64Array.from([0.1 + 0.2, 1 / 3, NaN]),
      whole: Float64Array.from([1, -2, 1e21]),
      label: ['a,b', 'say "hi"', null],
      numeric_text: ['1', '2.5', ''],
      flag: [true, false, null],
      multi: ['line\nbreak', 'x', 'y'],
    });
    await catalog.save('c', t);
    const back = (await catalog.load('c')) as Table;
    expect(back).toEqual(t);
    expect(back.columns.x).toBeInstanceOf(Float64Array);
    expect(back.columns.run).toBeInstanceOf(Int32Array);
    expect(readFileSync(path.join(root, 'data/c.csv'), 'utf8').split('\n')[1]).toBe('316187,0.30000000000000004,1.0,"a,b","1",True,"line');
    await catalog.save('s', table({ a: Float64Array.from([1.5]), b: ['x;y'] }));
    expect(readFileSync(path.join(root, 'data/s.csv'), 'utf8')).toBe('a;b\n1.5;"x;y"\n');
    expect(await catalog.load('s')).toEqual(table({ a: Float64Array.from([1.5]), b: ['x;y'] }));
    expect((await rejects(catalog.save('c', [1, 2]))).message).toBe(
      "Failed while saving data to dataset 'c' (data/c.csv): CSVDataset saves a Table (see lib/data/table.ts), got object",
    );
  });

  it('CSVDataset reads the shared DQM csv as pandas would', async () => {
    const shared = sharedPath('data/run297176');
    const catalog = DataCatalog.fromConfig({ task: { type: 'pandas.CSVDataset', filepath: path.join(shared, 'task.csv') } }, { projectRoot: tmp() });
    const t = (await catalog.load('task')) as Table;
    expect(Object.keys(t.columns)).toEqual(['run', 'lumisection']);
    expect(t.columns.run).toBeInstanceOf(Int32Array);
    expect(t.columns.run![0]).toBe(297176);
  });

  it('PlotlyDataset: figure round trip and validation', async () => {
    const root = tmp();
    const catalog = DataCatalog.fromConfig({ fig: { type: 'plotly.PlotlyDataset', filepath: 'data/08_reporting/fig.json' } }, { projectRoot: root });
    const fig = { data: [{ type: 'heatmap', z: new Float32Array([1, 2]) }], layout: { title: { text: 'mean image' } } };
    await catalog.save('fig', fig);
    expect(await catalog.load('fig')).toEqual({ data: [{ type: 'heatmap', z: [1, 2] }], layout: { title: { text: 'mean image' } } });
    expect((await rejects(catalog.save('fig', { layout: {} }))).message).toBe(
      "Failed while saving data to dataset 'fig' (data/08_reporting/fig.json): a Plotly figure needs a 'data' list of traces, got no data key",
    );
    expect((await rejects(catalog.save('fig', [1]))).message).toBe(
      "Failed while saving data to dataset 'fig' (data/08_reporting/fig.json): a Plotly figure must be an object {data: [...], layout: {...}}, got a list",
    );
    writeFileSync(path.join(root, 'data/08_reporting/fig.json'), '{"data": 3}');
    expect((await rejects(catalog.load('fig'))).message).toBe(
      "Failed while loading data from dataset 'fig' (data/08_reporting/fig.json): a Plotly figure needs a 'data' list of traces, got number",
    );
  });
});

describe('PartitionedDataset', () => {
  const entry = { type: 'partitions.PartitionedDataset', path: 'data/01_raw/runs', dataset: 'json.JSONDataset', filename_suffix: '.json' };

  it('saves values and thunks, loads lazily by partition id', async () => {
    const root = tmp();
    const catalog = DataCatalog.fromConfig({ runs: entry }, { projectRoot: root });
    let computed = 0;
    await catalog.save('runs', {
      run_1: { lumi: 1 },
      'sub/run_2': () => {
        computed++;
        return { lumi: 2 };
      },
    });
    expect(computed).toBe(1);
    mkdirSync(path.join(root, 'data/01_raw/runs/.hidden'), { recursive: true });
    writeFileSync(path.join(root, 'data/01_raw/runs/notes.txt'), 'ignored: other suffix');
    const parts = (await catalog.load('runs')) as Partitions<unknown>;
    expect(Object.keys(parts)).toEqual(['run_1', 'sub/run_2']);
    expect(await parts['sub/run_2']!()).toEqual({ lumi: 2 });
    expect(await catalog.exists('runs')).toBe(true);
    expect(catalog.describe('runs')).toMatchObject({ type: 'partitions.PartitionedDataset', filepath: 'data/01_raw/runs', dataset: 'json.JSONDataset' });
  });

  it('partition errors name the partition; an empty folder says so; overwrite replaces', async () => {
    const root = tmp();
    const catalog = DataCatalog.fromConfig({ runs: entry, fresh: { ...entry, path: 'data/fresh', overwrite: true } }, { projectRoot: root });
    expect((await rejects(catalog.load('runs'))).message).toBe(
      "Failed while loading data from dataset 'runs' (data/01_raw/runs): no partitions found in data/01_raw/runs/ (files ending in '.json')",
    );
    await catalog.save('runs', { bad: { x: 1 } });
    writeFileSync(path.join(root, 'data/01_raw/runs/bad.json'), '{');
    const parts = (await catalog.load('runs')) as Partitions<unknown>;
    expect((await rejects(parts.bad!())).message).toMatch(/^Failed while loading data from dataset 'runs\[bad\]' \(data\/01_raw\/runs\/bad\.json\): invalid JSON/);
    expect((await rejects(catalog.save('runs', { '../escape': 1 }))).message).toBe(
      "Failed while saving data to dataset 'runs' (data/01_raw/runs): invalid partition id '../escape' (ids are relative paths inside the folder)",
    );
    await catalog.save('fresh', { a: 1, b: 2 });
    await catalog.save('fresh', { c: 3 });
    expect(readdirSync(path.join(root, 'data/fresh'))).toEqual(['c.json']);
    // overwrite is atomic: a partition failing half-way leaves the old folder as it was
    await expect(catalog.save('fresh', { d: 4, e: { big: 1n } })).rejects.toThrow(
      "Failed while saving data to dataset 'fresh' (data/fresh): partition 'e': Do not know how to serialize a BigInt",
    );
    expect(readdirSync(path.join(root, 'data/fresh'))).toEqual(['c.json']);
    expect(readdirSync(path.join(root, 'data'))).toEqual(['01_raw', 'fresh']);
  });

  it('config errors name the entry', () => {
    expect(() => DataCatalog.fromConfig({ p: { type: 'PartitionedDataset', path: 'x' } }, { projectRoot: tmp() })).toThrow(
      "Catalog entry 'p': PartitionedDataset needs 'dataset': a dataset type name or a mapping with 'type'",
    );
    expect(() => DataCatalog.fromConfig({ p: { type: 'PartitionedDataset', path: 'x', dataset: 'nope.Nope' } }, { projectRoot: tmp() })).toThrow(
      /^Catalog entry 'p' has unknown type 'nope.Nope'\. Supported types: /,
    );
  });
});
