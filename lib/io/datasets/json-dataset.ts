import { writeFileAtomic } from '../atomic-write';
import type { DatasetContext } from '../dataset-context';
import { DatasetError } from '../errors';
import { FileDataset } from './file-dataset';

/**
 * Any JSON-serialisable value in a `.json` file (Kedro's `json.JSONDataset`). Typed arrays are
 * written as plain lists (JSON.stringify would write them as {"0": ...} objects); they load back
 * as plain arrays. `save_args.indent` (default 2) as in Python's json.dump.
 */
export class JSONDataset<T = unknown> extends FileDataset<T> {
  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'JSONDataset');
  }

  protected async doLoad(): Promise<T> {
    const text = (await this.readBytes()).toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new DatasetError(`invalid JSON: ${(error as Error).message}`, { cause: error });
    }
  }

  protected async doSave(data: T): Promise<void> {
    const indent = typeof this.saveArgs.indent === 'number' ? this.saveArgs.indent : 2;
    // serialising inside the thunk: a value that cannot be serialised leaves the old file as is
    await writeFileAtomic(this.path, () => `${toJsonText(data, indent)}\n`);
  }
}

export function toJsonText(data: unknown, indent: number): string {
  return JSON.stringify(data, jsonReplacer, indent);
}

/** Typed arrays as lists; everything else as JSON.stringify does (BigInt and cycles throw). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
