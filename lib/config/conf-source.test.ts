/**
 * `--conf-source`: a conf folder elsewhere, or an archive of one made by the system's tar and by
 * Python's zipfile (as `kedro package` / the Kedro docs make them), never by the libraries we read with.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index';
import { configErrorMessage, makeProject } from './test-project.fixtures';

function confFolder(root: string, name: string, factor: number): string {
  const dir = path.join(root, name);
  for (const [rel, text] of Object.entries({
    'base/parameters.yml': `factor: ${factor}\n`,
    'base/catalog.yml': 'x:\n  type: json.JSONDataset\n  filepath: data/x.json\n',
    'prod/parameters.yml': 'factor: 100\n',
    'local/.gitkeep': '',
  })) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}


describe('--conf-source', () => {
  it('reads a conf folder elsewhere, with its own environments', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'factor: 1\n' });
    confFolder(root, 'other/conf', 7);
    const config = await loadConfig(root, 'prod', { confSource: 'other/conf' });
    expect(config.parameters).toEqual({ factor: 100 });
    expect(config.files).toEqual(['other/conf/base/parameters.yml', 'other/conf/prod/parameters.yml', 'other/conf/base/catalog.yml']);
    expect(config.sources['params:factor']).toBe('other/conf/prod/parameters.yml');
  });

  it('reads a .tar.gz made by tar -czf, naming files inside the archive', async () => {
    const root = makeProject({});
    confFolder(root, 'pkg/conf', 3);
    execFileSync('tar', ['--exclude=local/*.yml', '-czf', path.join(root, 'conf-x.tar.gz'), '--directory', path.join(root, 'pkg'), 'conf']);
    const config = await loadConfig(root, 'local', { confSource: 'conf-x.tar.gz' });
    expect(config.parameters).toEqual({ factor: 3 });
    expect(config.sources['params:factor']).toBe('conf-x.tar.gz/conf/base/parameters.yml');
    expect(config.catalog.x!.filepath).toBe('data/x.json');
  });

  it('reads a .zip made by Python zipfile', async () => {
    const root = makeProject({});
    confFolder(root, 'pkg/conf', 5);
    const script = "import sys,zipfile,pathlib\nz=zipfile.ZipFile(sys.argv[1],'w')\nfor p in sorted(pathlib.Path(sys.argv[2]).rglob('*')):\n  z.write(p, p.relative_to(pathlib.Path(sys.argv[2]).parent))\nz.close()";
    execFileSync('python3', ['-c', script, path.join(root, 'conf.zip'), path.join(root, 'pkg/conf')]);
    const config = await loadConfig(root, 'prod', { confSource: path.join(root, 'conf.zip') });
    expect(config.parameters).toEqual({ factor: 100 });
    expect(config.files).toContain('conf.zip/conf/prod/parameters.yml');
  });

  it('says what is wrong with a missing path, a non-archive file, an archive without base/ and an unsafe zip', async () => {
    const root = makeProject({ 'notes.txt': 'hello', 'empty/readme.md': 'x' });
    expect(await configErrorMessage(loadConfig(root, 'local', { confSource: 'nope' }))).toBe("--conf-source 'nope' does not exist");
    expect(await configErrorMessage(loadConfig(root, 'local', { confSource: 'notes.txt' }))).toBe(
      "--conf-source 'notes.txt' is a file but not a .tar.gz, .tgz, .tar or .zip archive of a conf folder",
    );
    execFileSync('tar', ['-czf', path.join(root, 'nobase.tar.gz'), '--directory', root, 'empty']);
    expect(await configErrorMessage(loadConfig(root, 'local', { confSource: 'nobase.tar.gz' }))).toBe(
      "--conf-source 'nobase.tar.gz' has no base/ folder: expected <conf-dir>/base/... inside the archive (e.g. made with: tar -czf conf.tar.gz conf); its top-level folders: empty",
    );
    const evil = "import zipfile\nz=zipfile.ZipFile('evil.zip','w')\nz.writestr('conf/base/parameters.yml','a: 1\\n')\nz.writestr('../escaped.yml','b: 2\\n')\nz.close()";
    execFileSync('python3', ['-c', evil], { cwd: root });
    expect(await configErrorMessage(loadConfig(root, 'local', { confSource: 'evil.zip' }))).toBe("--conf-source 'evil.zip' has an entry outside the archive's folder: '../escaped.yml'");
    writeFileSync(path.join(root, 'broken.tar.gz'), 'not gzip at all');
    expect(await configErrorMessage(loadConfig(root, 'local', { confSource: 'broken.tar.gz' }))).toMatch(/^--conf-source 'broken\.tar\.gz' cannot be unpacked: /);
    expect(await configErrorMessage(loadConfig(root, 'local', { confSource: 'empty' }))).toBe(
      `No configuration found: ${path.join(root, 'empty', 'base')} does not exist (--conf-source must be a folder holding base/ and the environments)`,
    );
  });
});
