import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import type { AbstractDataset } from '../dataset';

/** A temp project root for one test file, removed after its tests. */
export function tempProjectRoot(prefix: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Gives a dataset the catalog name its messages show. */
export function named<D extends AbstractDataset>(ds: D, name: string): D {
  ds.name = name;
  return ds;
}

/** The message a promise rejects with; fails the test if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
}
