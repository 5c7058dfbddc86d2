import { AbstractDataset } from '../dataset';
import type { DatasetContext } from '../dataset-context';
import { DatasetError } from '../errors';

/**
 * How data is copied in and out of a MemoryDataset (Kedro's `copy_mode`):
 * - `copy` (default): plain objects, arrays, Maps and Sets are copied, so a node that mutates
 *   its input cannot change what the next node sees; typed arrays and ArrayBuffers are kept BY
 *   REFERENCE, because a HistogramSet's `values` buffer is hundreds of MB per layer and copying
 *   it at every load would double memory and time. Kernels treat typed-array inputs as read-only.
 * - `deepcopy`: `structuredClone` of everything, typed arrays included.
 * - `assign`: the same reference in and out.
 */
export type CopyMode = 'copy' | 'deepcopy' | 'assign';

/** Data that lives only for the run: unregistered intermediates, `params:` inputs. */
export class MemoryDataset<T = unknown> extends AbstractDataset<T> {
  private data: T | undefined;
  private readonly copyMode: CopyMode;

  constructor(config: Record<string, unknown> = {}, _ctx?: DatasetContext) {
    super();
    const mode = config.copy_mode ?? 'copy';
    if (mode !== 'copy' && mode !== 'deepcopy' && mode !== 'assign') {
      throw new DatasetError(`MemoryDataset 'copy_mode' must be 'copy', 'deepcopy' or 'assign', got ${JSON.stringify(mode)}`);
    }
    this.copyMode = mode;
    if (config.data !== undefined) this.data = copyData(config.data as T, mode);
  }

  override get persisted(): boolean {
    return false;
  }

  override release(): void {
    this.data = undefined;
  }

  protected async doLoad(): Promise<T> {
    if (this.data === undefined) throw new DatasetError(`Data for MemoryDataset '${this.name}' has not been saved yet`);
    return copyData(this.data, this.copyMode);
  }

  protected async doSave(data: T): Promise<void> {
    this.data = copyData(data, this.copyMode);
  }

  protected async doExists(): Promise<boolean> {
    return this.data !== undefined;
  }

  protected doDescribe(): Record<string, unknown> {
    return { copy_mode: this.copyMode, data: this.data === undefined ? 'empty' : typeLabel(this.data) };
  }
}

/** Copies `value` by `mode` (see CopyMode). */
export function copyData<T>(value: T, mode: CopyMode): T {
  if (mode === 'assign') return value;
  if (mode === 'deepcopy') return structuredClone(value);
  return shallowStructureCopy(value) as T;
}

function shallowStructureCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (Array.isArray(value)) return value.map(shallowStructureCopy);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, shallowStructureCopy(v)]));
  if (value instanceof Set) return new Set([...value].map(shallowStructureCopy));
  if (value instanceof Date) return new Date(value.getTime());
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // class instances: by reference
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = shallowStructureCopy(v);
  return out;
}

function typeLabel(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `list[${value.length}]`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'object') return (value as { kind?: string }).kind ?? value.constructor?.name ?? 'object';
  return typeof value;
}
