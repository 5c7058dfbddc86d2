/**
 * Previews of HDF5 histogram sets read one chunk: the set's header and the shown LS's map,
 * never the whole file (a 5,000-LS set is 1.2 GB). Real catalog, real files, real service.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataCatalog } from '../io';
import { node, Pipeline } from '../pipeline';
import { createHistogramSet, mapOf } from '../data';
import { HistogramSetDataset, pixelMapShape } from '../dqm';
import { workerPoolStats } from '../io';
import type { VizProject } from './project-types';
import { VizService } from './service';

export function preprocess(raw: unknown) {
  return raw;
}

async function makeProject(n: number) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-viz-h5-'));
  const set = createHistogramSet(pixelMapShape(1), n);
  set.run.fill(316187);
  set.lumi.set(Array.from({ length: n }, (_, i) => i + 1));
  set.values.forEach((_, k) => (set.values[k] = (k % 1013) / 8));
  await new HistogramSetDataset({ filepath: 'data/maps.h5' }, { projectRoot: root }).save(set);
  const catalogConfig = { maps: { type: 'dqm.HistogramSetDataset', filepath: 'data/maps.h5', layer: 'intermediate' } };
  const project: VizProject = {
    root,
    parameters: {},
    pipelines: { __default__: new Pipeline([node(preprocess, 'raw', 'maps')]) },
    config: { catalog: catalogConfig },
    createCatalog: () => DataCatalog.fromConfig(catalogConfig, { projectRoot: root }),
  };
  return { project, set, chunkBytes: set.ny * set.nx * 4, fileBytes: fs.statSync(path.join(root, 'data/maps.h5')).size };
}

function bytesRead(): number {
  return Number(/^rchar: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'))![1]);
}

describe('previews of HDF5 histogram sets', () => {
  it('the node panel shows LS N from one chunk, with stats from the header', async () => {
    const { project, set, chunkBytes, fileBytes } = await makeProject(150);
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    // The reads run on a decode thread of this process (its start-up reads modules: not counted).
    await new HistogramSetDataset({ filepath: 'data/maps.h5' }, { projectRoot: project.root }).loadHeader();
    const tasks = workerPoolStats()['hdf5-read']!.tasks;
    const before = bytesRead();
    const details = await svc.node('maps', { ls: 97 });
    const read = bytesRead() - before;
    expect(workerPoolStats()['hdf5-read']!.tasks).toBe(tasks + 2); // the header, then LS 97's chunk
    if (details.kind !== 'data' || details.preview.kind !== 'heatmap') throw new Error(`expected a heatmap preview, got ${JSON.stringify(details).slice(0, 300)}`);
    expect(details.stats).toEqual({ file_size: fileBytes, ls_count: 150, shape: [set.ny, set.nx] });
    const p = details.preview;
    expect([p.ls, p.lsCount, p.run, p.lumi]).toEqual([97, 150, 316187, 98]);
    const map = mapOf(set, 97);
    expect(p.z[3]!.slice(0, 5)).toEqual(Array.from(map.subarray(3 * set.nx, 3 * set.nx + 5), (v) => Math.round(v * 1000) / 1000));
    expect(p.z.flat().length).toBe(set.ny * set.nx);
    expect(fileBytes).toBeGreaterThan(140 * chunkBytes);
    expect(read).toBeLessThan(2 * chunkBytes);
  });

  it('the LS slider (/api/nodes/{id}/map) reads one chunk per step, and refuses an LS out of range', async () => {
    const { project, set, chunkBytes } = await makeProject(120);
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    await svc.lsMap('maps', { ls: 0 });
    const before = bytesRead();
    const map = await svc.lsMap('maps', { ls: 77 });
    const read = bytesRead() - before;
    expect(Array.from(map)).toEqual(Array.from(mapOf(set, 77)));
    expect(read).toBeGreaterThanOrEqual(chunkBytes);
    expect(read).toBeLessThan(2 * chunkBytes);
    await expect(svc.lsMap('maps', { ls: 120 })).rejects.toThrow(`LS index 120 is out of range: '${set.title}' has 120 lumisections (0..119)`);
  });

  it('a truncated file shows why in the panel, and the slider answers with the reason', async () => {
    const { project } = await makeProject(3);
    const file = path.join(project.root, 'data/maps.h5');
    fs.truncateSync(file, 4000);
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    const details = await svc.node('maps', {});
    const reason = "Failed while loading data from dataset 'maps' (data/maps.h5): the file cannot be opened as HDF5: H5F__super_read(): truncated file: eof = 4000";
    expect(details.kind === 'data' && details.preview.kind === 'none' && details.preview.reason).toMatch(new RegExp(`^Could not load for preview: ${reason.replace(/[()]/g, '\\$&')}, sblock->base_addr = 0, stored_eof = \\d+$`));
    await expect(svc.lsMap('maps', { ls: 0 })).rejects.toThrow(reason);
  });

  it('a rerun that rewrites the same bytes keeps the details and map objects (no preview rebuilt); new bytes give new ones', async () => {
    const { project, set } = await makeProject(40);
    const svc = await VizService.open({ kind: 'project', root: project.root, load: async () => project });
    const file = path.join(project.root, 'data/maps.h5');
    const dataset = new HistogramSetDataset({ filepath: 'data/maps.h5' }, { projectRoot: project.root });
    const details = await svc.node('maps', { ls: 7 });
    const map = await svc.lsMap('maps', { ls: 7 });
    const stampOf = () => `${fs.statSync(file).mtimeMs}:${fs.statSync(file).size}`;
    const before = stampOf();
    await new Promise((r) => setTimeout(r, 20)); // a new mtime
    await dataset.save(set);
    expect(stampOf()).not.toBe(before);
    expect(await svc.node('maps', { ls: 7 })).toBe(details);
    expect(await svc.lsMap('maps', { ls: 7 })).toBe(map);
    // One bin of LS 7 changes: the panel and the slider show it.
    set.values[7 * set.ny * set.nx + 5] = 123.5;
    await new Promise((r) => setTimeout(r, 20));
    await dataset.save(set);
    const changed = await svc.node('maps', { ls: 7 });
    expect(changed).not.toBe(details);
    if (changed.kind !== 'data' || changed.preview.kind !== 'heatmap') throw new Error('expected a heatmap preview');
    expect(changed.preview.z[0]![5]).toBe(123.5);
    const newMap = await svc.lsMap('maps', { ls: 7 });
    expect(newMap).not.toBe(map);
    expect(newMap[5]).toBe(123.5);
  });
});
