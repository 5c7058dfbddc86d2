import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { previewTarget, previewTargetAsync } from './preview-target';

// Real folders and links: what a preview may read is judged on real paths, the project's own
// real path (resolved once) included, and a dataset's link is judged each time it is asked.
const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-preview-target-')));
const project = path.join(base, 'project');
const outside = path.join(base, 'outside');
fs.mkdirSync(path.join(project, 'data'), { recursive: true });
fs.mkdirSync(outside);
fs.writeFileSync(path.join(project, 'data', 'inside.csv'), 'a\n1\n');
fs.writeFileSync(path.join(outside, 'secret.csv'), 'a\n1\n');
// The project reached through a link: its real path is the folder itself.
const linkedRoot = path.join(base, 'linked-project');
fs.symlinkSync(project, linkedRoot);
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('previewTarget', () => {
  it('reads files inside the project, through a linked root too; never a link out of it', () => {
    for (const root of [project, linkedRoot]) {
      expect(previewTarget(root, 'data/inside.csv')).toEqual({ kind: 'file', abs: path.join(root, 'data', 'inside.csv') });
      expect(previewTarget(root, 'data/not-yet.csv')).toEqual({ kind: 'file', abs: path.join(root, 'data', 'not-yet.csv') });
      expect(previewTarget(root, path.join(outside, 'secret.csv'))).toEqual({ kind: 'outside' });
      expect(previewTarget(root, 'file://../outside/secret.csv')).toEqual({ kind: 'outside' });
      expect(previewTarget(root, 's3://bucket/x.csv')).toEqual({ kind: 'remote', scheme: 's3' });
      expect(previewTarget(root, null)).toEqual({ kind: 'no-file' });
    }
  });

  it('a dataset file replaced by a link out of the project is refused from then on', () => {
    const file = path.join(project, 'data', 'swapped.csv');
    fs.writeFileSync(file, 'a\n1\n');
    expect(previewTarget(project, 'data/swapped.csv').kind).toBe('file');
    fs.rmSync(file);
    fs.symlinkSync(path.join(outside, 'secret.csv'), file);
    expect(previewTarget(project, 'data/swapped.csv')).toEqual({ kind: 'outside' });
  });

  it('previewTargetAsync (the LS maps\' check, off the event loop) judges every path as previewTarget does, a dangling link out of the project too', async () => {
    const dangling = path.join(project, 'data', 'dangling.csv');
    fs.symlinkSync(path.join(outside, 'not-there.csv'), dangling);
    const paths = ['data/inside.csv', 'data/not-yet.csv', 'data/dangling.csv', path.join(outside, 'secret.csv'), 'file://../outside/secret.csv', 's3://bucket/x.csv', null, ''];
    for (const root of [project, linkedRoot]) {
      for (const p of paths) expect(await previewTargetAsync(root, p)).toEqual(previewTarget(root, p));
    }
    expect(await previewTargetAsync(project, 'data/dangling.csv')).toEqual({ kind: 'outside' });
    // Asked together: one resolution shared, the same answer for each.
    const together = await Promise.all(Array.from({ length: 5 }, () => previewTargetAsync(project, 'data/inside.csv')));
    expect(together).toEqual(Array(5).fill({ kind: 'file', abs: path.join(project, 'data', 'inside.csv') }));
  });
});
