import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFullGraph } from './build-graph';
import { smallProjectSource } from './small-project.fixtures';
import { loadGraphFile, selectPipeline } from './load-file';
import { sharedPath } from '../../tests/shared-data.fixtures';

const SHARED = sharedPath('data/kedro-viz');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-viz-load-'));
const write = (name: string, content: unknown) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};

describe('loadGraphFile', () => {
  it('loads the Kedro-Viz demo export', () => {
    const g = loadGraphFile(path.join(SHARED, 'demo.mock.json'));
    expect(g.nodes).toHaveLength(214);
    expect(g.edges).toHaveLength(434);
    expect(g.pipelines).toHaveLength(14);
    expect(g.layers[0]).toBe('raw');
    expect(g.modular_pipelines['__root__']!.children.length).toBeGreaterThan(0);
    const split = selectPipeline(g, 'split');
    expect(split.selected_pipeline).toBe('split');
    expect(split.nodes.every((n) => n.pipelines.includes('split'))).toBe(true);
    const ids = new Set(split.nodes.map((n) => n.id));
    expect(split.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
  });

  it('loads the Kedro-Viz spaceflights export', () => {
    const g = loadGraphFile(path.join(SHARED, 'spaceflights.mock.json'));
    expect(g.nodes).toHaveLength(21);
    expect(g.modular_pipelines['data_processing']!.outputs).toEqual(['23c94afb']);
    expect(selectPipeline(g, 'ds').nodes.map((n) => n.name)).not.toContain('preprocess_shuttles_node');
  });

  it('round-trips our own saved graph', () => {
    const g = buildFullGraph(smallProjectSource());
    expect(loadGraphFile(write('ours.json', g))).toEqual(g);
  });

  it('fills what old exports leave out', () => {
    const g = loadGraphFile(write('old.json', { nodes: [{ id: 'a', name: 'a', type: 'data' }, { id: 't', name: 't', type: 'task', modular_pipelines: ['mp'] }, { id: 'mp', name: 'mp', type: 'modularPipeline' }], edges: [{ source: 'a', target: 't' }], modular_pipelines: [{ id: 'mp', name: 'mp' }] }));
    expect(g.pipelines).toEqual([{ id: '__default__', name: '__default__' }]);
    expect(g.nodes[0]).toMatchObject({ tags: [], pipelines: ['__default__'], layer: null });
    expect(g.modular_pipelines['mp']!.children).toEqual([{ id: 't', type: 'task' }]);
  });

  it.each([
    ['missing file', () => path.join(tmp, 'nope.json'), "Cannot load graph file '<f>': file not found"],
    ['directory', () => tmp, "Cannot load graph file '<f>': it is a directory, expected a JSON file"],
    ['not an object', () => write('arr.json', [1, 2]), `Cannot load graph file '<f>': expected a JSON object with "nodes" and "edges" (Kedro-Viz /api/main format)`],
    ['no edges', () => write('noedges.json', { nodes: [] }), "Cannot load graph file '<f>': edges: Invalid input: expected array, received undefined"],
    ['bad node type', () => write('type.json', { nodes: [{ id: 'a', name: 'a', type: 'dataset' }], edges: [] }), `Cannot load graph file '<f>': nodes[0].type: Invalid option: expected one of "task"|"data"|"parameters"|"modularPipeline"`],
    ['dangling edge', () => write('edge.json', { nodes: [{ id: 'a', name: 'a', type: 'data' }], edges: [{ source: 'a', target: 'b' }] }), "Cannot load graph file '<f>': edges[0].target 'b' is not the id of any node"],
    ['duplicate id', () => write('dup.json', { nodes: [{ id: 'a', name: 'a', type: 'data' }, { id: 'a', name: 'b', type: 'task' }], edges: [] }), "Cannot load graph file '<f>': nodes[1].id 'a' is used by more than one node"],
  ])('explains a bad file: %s', (_label, make, message) => {
    const f = make();
    expect(() => loadGraphFile(f)).toThrow(message.replace('<f>', f));
  });

  it('explains invalid JSON', () => {
    const f = write('bad.json', '{"nodes": [}');
    expect(() => loadGraphFile(f)).toThrow(new RegExp(`^Cannot load graph file '${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': not valid JSON \\(`));
  });
});
