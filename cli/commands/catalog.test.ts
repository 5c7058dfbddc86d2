/** `dqm catalog describe-datasets | list-patterns | resolve-patterns`, Kedro 1.0's catalog commands, in a real process. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_CATALOG, registrySource, REPO, tempProjects } from '../../lib/session/temp-project.fixtures';

const project = tempProjects();
const dqm = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '' } });

const root = project({
  'conf/base/catalog.yml': `${DEFAULT_CATALOG}"{name}_table":\n  type: pandas.CSVDataset\n  filepath: data/02_intermediate/{name}.csv\n  credentials: db\n"{default}_json":\n  type: json.JSONDataset\n  filepath: data/{default}.json\n`,
  'conf/base/credentials.yml': 'db:\n  password: hunter2\n',
  'pipelines/registry.ts': registrySource({ pipelines: { tables: "new Pipeline([node(count_of, 'numbers', 'counts_table'), node(total_of, 'counts_table', 'summary_json'), node(count_of, 'summary_json', 'left', { name: 'count_left' })])" } }),
});

describe('dqm catalog', () => {
  it('describe-datasets groups a pipeline\'s datasets as Kedro does, in YAML or JSON', () => {
    const r = dqm(root, 'catalog', 'describe-datasets', '--pipeline', 'tables');
    expect(r.stderr).toBe('');
    expect(parse(r.stdout)).toEqual({
      tables: {
        datasets: { 'json.JSONDataset': ['numbers'] },
        factories: { 'pandas.CSVDataset': ['counts_table'], 'json.JSONDataset': ['summary_json'] },
        defaults: { MemoryDataset: ['left'] },
      },
    });
    const json = dqm(root, 'catalog', 'describe-datasets', '-p', 'tables,main', '--json');
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(['tables', 'main']);
  });

  it('list-patterns ranks the patterns as they are matched, the default last', () => {
    const r = dqm(root, 'catalog', 'list-patterns');
    expect(r.stdout).toBe('- "{name}_table"\n- "{default}_json"\n- "{default}"\n');
    expect(JSON.parse(dqm(root, 'catalog', 'list-patterns', '--json').stdout)).toEqual(['{name}_table', '{default}_json', '{default}']);
  });

  it('resolve-patterns fills in the placeholders, keeps credential names and never their values', () => {
    const r = dqm(root, 'catalog', 'resolve-patterns', '--pipeline', 'tables', '--json');
    expect(r.stderr).toBe('');
    const resolved = JSON.parse(r.stdout);
    expect(resolved.counts_table).toEqual({ type: 'pandas.CSVDataset', filepath: 'data/02_intermediate/counts.csv', credentials: 'db' });
    expect(resolved.summary_json).toEqual({ type: 'json.JSONDataset', filepath: 'data/summary.json' });
    expect(resolved.left).toEqual({ type: 'MemoryDataset' });
    expect(Object.keys(resolved)).toEqual(['numbers', 'total', 'report', 'counts_table', 'left', 'summary_json']);
    expect(r.stdout).not.toContain('hunter2');
  });

  it('an unknown pipeline is one error line, before any output', () => {
    const r = dqm(root, 'catalog', 'resolve-patterns', '--pipeline', 'tabels');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("Error: Unknown pipeline 'tabels'. Registered pipelines: __default__, failing, main, tables. Did you mean 'tables'?\n");
    expect(r.status).toBe(1);
  });
});
