import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFunctionSource, isInside } from './source';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-viz-src-'));
fs.mkdirSync(path.join(root, 'pipelines', 'layer'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'pipelines', 'layer', 'nodes.ts'),
  `import x from 'y';

/** Sums the map. */
export function summary_statistics(h: { a: number }, p: Record<string, number>): number {
  const s = "}";
  return h.a + (p['k'] ?? 0); // }
}

export const mean_image = (h: number[]) => h.reduce((a, b) => a + b, 0) / h.length;

export const other = 1;
`,
);

describe('findFunctionSource', () => {
  it('finds a function declaration with its doc comment', () => {
    const src = findFunctionSource(root, 'summary_statistics')!;
    expect(src.filepath).toBe('pipelines/layer/nodes.ts');
    expect(src.line).toBe(3);
    expect(src.code).toBe(`/** Sums the map. */
export function summary_statistics(h: { a: number }, p: Record<string, number>): number {
  const s = "}";
  return h.a + (p['k'] ?? 0); // }
}`);
  });

  it('finds an arrow function with an expression body', () => {
    expect(findFunctionSource(root, 'mean_image')!.code).toBe('export const mean_image = (h: number[]) => h.reduce((a, b) => a + b, 0) / h.length;');
  });

  it('returns null for an unknown function', () => {
    expect(findFunctionSource(root, 'nope')).toBeNull();
  });
});

describe('isInside', () => {
  it('knows what is inside a folder', () => {
    expect(isInside('/p', '/p/data/x.json')).toBe(true);
    expect(isInside('/p', '/p')).toBe(true);
    expect(isInside('/p', '/pother/x')).toBe(false);
    expect(isInside('/p', '/etc/passwd')).toBe(false);
  });
});
