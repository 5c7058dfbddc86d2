/** `dqm repl` (kedro ipython's equivalent) driven through a pipe: real process, real project. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempProjects } from '../../lib/session/temp-project.fixtures';

const project = tempProjects();
const repl = (cwd: string, lines: string[], ...args: string[]) =>
  spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), 'repl', ...args], { cwd, input: `${lines.join('\n')}\n.exit\n`, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '' }, timeout: 120_000 });

describe('dqm repl', () => {
  it('has project, catalog, pipelines and session loaded; awaits run in order', () => {
    const root = project({ 'conf/ci/parameters.yml': 'factor: 10\n' });
    const r = repl(root, ['pipelines.main.nodeNames()', "await catalog.load('numbers')", "const result = await session.run({ pipeline: 'main', nodeNames: ['scale', 'total_of'] })", 'result.status', 'project.env'], '--env', 'ci');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout.split('\n');
    expect(out.slice(0, 2)).toEqual([`DQM Playground DS REPL: project ${root}, env 'ci'`, 'Defined: project, catalog (3 datasets), pipelines (__default__, failing, main), session']);
    expect(r.stdout).toContain("dqm> [ 'scale', 'count_of', 'total_of', 'make_report' ]\ndqm> [ 1, 2, 3, 4 ]\ndqm> Running pipeline 'main' (2 nodes, run ");
    expect(r.stdout).toMatch(/2\/2 nodes completed, 2 datasets saved \(sequential runner\)\nundefined\ndqm> 'success'\ndqm> 'ci'\ndqm> $/);
    expect(JSON.parse(readFileSync(path.join(root, 'data/03_primary/total.json'), 'utf8'))).toBe(100);
  });

  it('.reload picks up edited configuration; errors stay in the REPL', () => {
    const root = project();
    const params = path.join(root, 'conf/base/parameters.yml');
    const r = repl(root, [
      "catalog.load('params:factor')",
      `require('node:fs').writeFileSync(${JSON.stringify(params)}, 'factor: 7\\nmodel:\\n  offset: 1\\n')`,
      '.reload',
      "await catalog.load('params:factor')",
      "await catalog.load('no_such_dataset')",
      '1 + 1',
    ]);
    expect(r.stdout).toContain('dqm> Reloaded: 3 pipelines, 3 datasets\ndqm> 7\n');
    expect(r.stdout).toContain("Dataset 'no_such_dataset' not found in the catalog.");
    expect(r.stdout).toMatch(/dqm> 2\ndqm> $/);
  });
});
