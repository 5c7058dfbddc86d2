import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths the pickle tests share: the real pickles (../shared next to the clone) and fixtures. */
const here = path.dirname(fileURLToPath(import.meta.url));
export const REAL_PICKLES_DIR = path.resolve(here, '../../../../shared/data/run316187');
export const realPickle = (layer: 1 | 2): string => path.join(REAL_PICKLES_DIR, `Run_316187_0_clusterposition_PXLayer_${layer}.pkl`);
export const FIXTURES_DIR = path.join(here, 'fixtures');
export const fixture = (name: string): string => path.join(FIXTURES_DIR, name);

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
