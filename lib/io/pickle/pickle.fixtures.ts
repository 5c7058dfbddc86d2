import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '../../../tests/shared-data.fixtures';

/** Paths the pickle tests share: the real pickles (../shared next to the clone) and fixtures. */
const here = path.dirname(fileURLToPath(import.meta.url));
export const REAL_PICKLES_DIR = sharedPath('data/run316187');
export const realPickle = (layer: 1 | 2): string => path.join(REAL_PICKLES_DIR, `Run_316187_0_clusterposition_PXLayer_${layer}.pkl`);
export const FIXTURES_DIR = path.join(here, 'fixtures');

/**
 * A fixture pickle, generated on first use into a temp folder by the Python scripts in
 * fixtures/ (python3 + numpy, and Debian's pandas for the `pandas1-*` files): no pickle is
 * committed, and the files come from the real Python pickler, not from our writer.
 */
export function fixture(name: string): string {
  return path.join(generatedFixturesDir(), name);
}

/** The folder holding every generated fixture pickle (generated on first call). */
export function generatedFixturesDir(): string {
  generated ??= generateFixtures();
  return generated;
}

let generated: string | undefined;

function generateFixtures(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-pickle-fixtures-'));
  process.once('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  for (const [python, script] of [['python3', 'make_fixtures.py'], [pandasPython ?? '/usr/bin/python3', 'make_pandas_fixtures.py']] as const) {
    const res = spawnSync(python, [path.join(FIXTURES_DIR, script), out], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`${python} ${script} failed (needs numpy, and pandas for the pandas fixtures): ${res.stderr || res.error}`);
  }
  return out;
}

/** python3 with numpy: the independent reader the tests check our writer against. */
export const hasPythonNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

export interface PythonFrame {
  rows: number;
  dtypes: Record<string, string>;
  columns: Record<string, unknown[]>;
}

/** Loads a DataFrame pickle with Python's pickle + numpy (fixtures/read_frame.py). */
export function readWithPython(file: string): PythonFrame {
  const res = spawnSync('python3', [path.join(FIXTURES_DIR, 'read_frame.py'), file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`python3 read_frame.py failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as PythonFrame;
}

/** A python3 that has pandas (Debian's python3-pandas installs it for /usr/bin/python3), if any. */
export const pandasPython: string | undefined = ['python3', '/usr/bin/python3'].find(
  (exe) => spawnSync(exe, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0,
);

export interface PandasFrame {
  pandas: string;
  dtypes: Record<string, string>;
  index: string;
  rows: number;
  columns: Record<string, unknown[]>;
}

/** Loads a pickle with real pandas (`pd.read_pickle`, fixtures/pandas_read.py). */
export function readWithPandas(file: string): PandasFrame {
  const res = spawnSync(pandasPython ?? 'python3', [path.join(FIXTURES_DIR, 'pandas_read.py'), file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`pandas_read.py failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as PandasFrame;
}
