import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataCatalog } from '../io';
import { catalogFacts } from './node-details';
import type { VizCatalog, VizProject } from './project-types';

// A real DataCatalog, its describe() counted: facts are worked out once per catalog and dataset,
// except for a versioned dataset (its path moves with each save), and a new catalog (a reload) asks again.
function setUp() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-viz-facts-'));
  const config = {
    stats: { type: 'pandas.CSVDataset', filepath: 'data/stats.csv', layer: 'primary' },
    model: { type: 'pickle.PickleDataset', filepath: 'data/model.pkl', versioned: true, layer: 'models' },
  };
  const project: VizProject = { root, parameters: {}, pipelines: {}, config: { catalog: config } };
  const counted = () => {
    const real = DataCatalog.fromConfig(config, { projectRoot: root });
    const calls: string[] = [];
    const catalog: VizCatalog = { has: (n) => real.has(n), load: (n) => real.load(n), describe: (n) => (calls.push(n), real.describe(n)) };
    return { catalog, calls };
  };
  return { root, project, counted };
}

describe('catalogFacts', () => {
  it('describes a dataset once per catalog; a versioned one every time; a new catalog again', () => {
    const { root, project, counted } = setUp();
    try {
      const { catalog, calls } = counted();
      const first = catalogFacts(project, catalog, 'stats');
      expect(first).toEqual({ type: 'pandas.CSVDataset', layer: 'primary', filepath: 'data/stats.csv' });
      expect(catalogFacts(project, catalog, 'stats')).toEqual(first);
      expect(calls).toEqual(['stats']);
      expect(catalogFacts(project, catalog, 'model')).toMatchObject({ type: 'pickle.PickleDataset', layer: 'models' });
      catalogFacts(project, catalog, 'model');
      expect(calls).toEqual(['stats', 'model', 'model']);
      const reloaded = counted();
      expect(catalogFacts(project, reloaded.catalog, 'stats')).toEqual(first);
      expect(reloaded.calls).toEqual(['stats']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
