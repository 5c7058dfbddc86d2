import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTasks, loadTask, resolveTask, TaskError, taskFromConfig } from './index';
import { sharedPath } from '../../../tests/shared-data.fixtures';

const REPO = path.resolve(__dirname, '../../..');
const SHARED = sharedPath('data');

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'task-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TaskError);
    return (error as Error).message;
  }
  throw new Error('expected a TaskError');
}

describe('task files', () => {
  it('loads a YAML task with an inline mask, a Golden JSON file and a CSV list', () => {
    const root = project({
      'conf/base/tasks/t.yml': [
        'description: demo',
        'develop:',
        '  mask: {"316187": [[1, 200], [250, 300]]}',
        'apply:',
        `  file: ${path.join(SHARED, 'run297176/task.csv')}`,
      ].join('\n'),
      'masks/golden.json': '{"7": [[1, 5]]}',
      'conf/base/tasks/u.json': JSON.stringify({ name: 'other', develop: 'masks/golden.json', apply: { mask: { '7': [[6, 9]] } } }),
    });
    const t = loadTask(path.join(root, 'conf/base/tasks/t.yml'), { projectRoot: root });
    expect(t.name).toBe('t');
    expect(t.description).toBe('demo');
    expect(t.develop.lumiCount).toBe(251);
    expect(t.apply.lumiCount).toBe(10);
    const u = resolveTask('u', { projectRoot: root });
    expect(u.name).toBe('other');
    expect(u.develop.toGoldenJson()).toEqual({ '7': [[1, 5]] });
    expect(resolveTask('conf/base/tasks/u.json', { projectRoot: root }).apply.lumiCount).toBe(4);
    expect(listTasks(path.join(root, 'conf/base/tasks'))).toEqual(['t', 'u']);
  });

  it('ships a valid example task for the simulated data', () => {
    for (const name of listTasks(path.join(REPO, 'conf/base/tasks'))) {
      const t = resolveTask(name, { projectRoot: REPO });
      expect(t.develop.lumiCount).toBeGreaterThan(0);
      expect(t.apply.lumiCount).toBeGreaterThan(0);
    }
    expect(listTasks(path.join(REPO, 'conf/base/tasks'))).toContain('simulated');
  });

  const bad: Array<[string, unknown, string]> = [
    ['a list', [1], 'Task t.yml: top level must be a mapping with keys develop and apply'],
    ['no develop', { apply: 'a.json' }, "Task t.yml: key 'develop' must be a mask file path, or an object with 'mask' (inline Golden JSON) or 'file' (.json mask or .csv run,lumisection list)"],
    ['an unknown key', { develop: 'a.json', apply: 'b.json', extra: 1 }, "Task t.yml: top level has unknown key 'extra' (expected name, description, develop, apply)"],
    ['an unknown set key', { develop: { csv: 'a.csv' }, apply: 'b.json' }, "Task t.yml: key 'develop' has unknown key 'csv' (expected mask, file)"],
    ['both mask and file', { develop: { mask: {}, file: 'a.json' }, apply: 'b.json' }, "Task t.yml: key 'develop' needs exactly one of 'mask' or 'file'"],
    ['a non-object mask', { develop: 'a.json', apply: { mask: [1] } }, "Task t.yml: key 'apply.mask' must be a Golden JSON object {\"<run>\": [[first, last], ...]}"],
    ['a bad name', { name: 'a b', develop: 'a.json', apply: 'b.json' }, "Task t.yml: key 'name' must use only letters, digits, _ . -"],
    ['a bad inline range', { develop: { mask: { '1': [[3, 2]] } }, apply: 'b.json' }, "Task t.yml: key 'develop': Lumi mask t.yml (key 'develop.mask'): run 1 range [3, 2] is reversed (first > last)"],
  ];
  for (const [what, raw, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(messageOf(() => taskFromConfig(raw, { source: 't.yml', projectRoot: os.tmpdir() }))).toBe(message);
    });
  }

  it('names the task and the mask file when a mask file is bad or missing', () => {
    const root = project({ 'bad.json': '{"1": [[1, 5], [4, 6]]}', 't.yml': 'develop: bad.json\napply: none.csv\n' });
    const file = path.join(root, 't.yml');
    expect(messageOf(() => loadTask(file, { projectRoot: root }))).toBe(
      `Task ${file}: key 'develop': Lumi mask ${path.join(root, 'bad.json')}: run 1 ranges [1, 5] and [4, 6] overlap`,
    );
    fs.writeFileSync(path.join(root, 'bad.json'), '{}');
    expect(messageOf(() => loadTask(file, { projectRoot: root }))).toBe(
      `Task ${file}: key 'apply': Lumi mask ${path.join(root, 'none.csv')} cannot be read: ENOENT: no such file or directory, open '${path.join(root, 'none.csv')}'`,
    );
  });

  it('rejects invalid YAML, unknown extensions and unknown task names', () => {
    const root = project({ 'conf/base/tasks/x.yml': 'develop: [\n', 'conf/base/tasks/y.yml': 'develop: a.json\napply: b.json\n' });
    const file = path.join(root, 'conf/base/tasks/x.yml');
    expect(messageOf(() => loadTask(file))).toMatch(new RegExp(`^Task ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid YAML: `));
    expect(messageOf(() => loadTask('t.toml'))).toBe("Task t.toml: unsupported extension '.toml' (expected .yml, .yaml or .json)");
    expect(messageOf(() => resolveTask('nope', { projectRoot: root }))).toBe(
      `Task 'nope' not found in ${path.join(root, 'conf/base/tasks')} (tasks: x, y)`,
    );
  });
});
