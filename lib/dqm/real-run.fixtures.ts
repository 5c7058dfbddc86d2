/**
 * Shared fixtures of the dqm tests: paths of the real Run 316187 pickles (in ../shared, next to
 * the clone) and an INDEPENDENT reference implementation of the features in pure Python, run on
 * the map strings extracted with pickletools (no pandas, no numpy, no code of ours).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '../../tests/shared-data.fixtures';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REAL_DATA = sharedPath('data/run316187');
export const realPickle = (layer: 1 | 2) => path.join(REAL_DATA, `Run_316187_0_clusterposition_PXLayer_${layer}.pkl`);

export interface ReferenceLs {
  run: number;
  lumi: number;
  entries: number;
  mean: number;
  std: number;
  center_phi: number;
  center_z: number;
  rmse: number;
  mean_diff: number;
}

export interface Reference {
  rows: ReferenceLs[];
  /** The mean image (200 × 300, row-major) in float64. */
  meanImage: number[];
  /** The raw map strings, in file order, with their run and lumi. */
  maps: Array<{ run: number; lumi: number; text: string }>;
}

const PYTHON = String.raw`
import json, math, pickletools, struct, sys
data = open(sys.argv[1], 'rb').read()
ints, maps = None, []
for op, arg, pos in pickletools.genops(data):
    if op.name == 'BYTEARRAY8': ints = struct.unpack('<%dq' % (len(arg) // 8), bytes(arg))
    if op.name in ('BINUNICODE', 'SHORT_BINUNICODE', 'BINUNICODE8') and arg.startswith('['): maps.append(arg)
n = len(maps)
run, lumi = ints[:n], ints[n:2 * n]
full = [[int(v) for v in m.strip('[]').split(',')] for m in maps]
imgs = [[row[(y + 1) * 302 + x + 1] for y in range(200) for x in range(300)] for row in full]
order = sorted(range(n), key=lambda i: (run[i], lumi[i]))
mean_img = [sum(imgs[i][k] for i in range(n)) / n for k in range(60000)]
# the stored mean image is float32: round as numpy.float32 would (round-half-even on the bits)
f32 = [struct.unpack('<f', struct.pack('<f', v))[0] for v in mean_img]
rows = []
for i in order:
    m, img = full[i], imgs[i]
    N = len(m); mu = sum(m) / N
    std = math.sqrt(sum((v - mu) ** 2 for v in m) / N)
    tot = sum(img)
    cphi = sum((k // 300) * v for k, v in enumerate(img)) / tot
    cz = sum((k % 300) * v for k, v in enumerate(img)) / tot
    d = [img[k] - f32[k] for k in range(60000)]
    rows.append(dict(run=run[i], lumi=lumi[i], entries=sum(m), mean=mu, std=std, center_phi=cphi, center_z=cz,
                     rmse=math.sqrt(sum(x * x for x in d) / 60000), mean_diff=abs(sum(d) / 60000)))
json.dump(dict(rows=rows, meanImage=mean_img, maps=[dict(run=run[i], lumi=lumi[i], text=maps[i]) for i in range(n)]), sys.stdout)
`;

const cache = new Map<string, Reference>();

/**
 * The reference features of one real pickle, computed by Python. Cached in memory and in the
 * temp folder (keyed by the file's name, size and mtime and the script), since the test files
 * run in separate processes and the pure-Python loops take seconds.
 */
export function pythonReference(file: string): Reference {
  let ref = cache.get(file);
  if (ref) return ref;
  const st = statSync(file);
  let hash = 0;
  for (const ch of PYTHON) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  const cached = path.join(os.tmpdir(), `dqm-reference-${path.basename(file)}-${st.size}-${Math.round(st.mtimeMs)}-${hash >>> 0}.json`);
  const text = existsSync(cached) ? readFileSync(cached, 'utf8') : execFileSync('python3', ['-c', PYTHON, file], { maxBuffer: 64 << 20, encoding: 'utf8' });
  ref = JSON.parse(text) as Reference;
  if (!existsSync(cached)) writeFileSync(cached, text);
  cache.set(file, ref);
  return ref;
}

/** |a - b| within `rel` relative (and 1e-12 absolute) tolerance. */
export function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= Math.max(1e-12, rel * Math.max(Math.abs(a), Math.abs(b)));
}
