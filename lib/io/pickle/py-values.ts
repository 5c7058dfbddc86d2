/** What a pickled call of a Python global (REDUCE, NEWOBJ) becomes: `at` is the opcode's byte offset. */
export type Reducer = (args: readonly unknown[], at: number) => unknown;

/**
 * How unpickled Python values look in JS. Plain JS values where the mapping is exact
 * (str -> string, int/float -> number (bigint past 2^53), bool, None -> null, list -> array,
 * dict -> Map, set -> Set, bytes/bytearray -> Uint8Array); tuples are frozen arrays so that
 * messages can tell them from lists; anything else is a PyObject that remembers its class,
 * constructor arguments and BUILD state, to be interpreted by the caller (pandas-reader).
 */

/** A class or function named by GLOBAL / STACK_GLOBAL, e.g. `pandas.core.frame.DataFrame`. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualname(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An instance built by REDUCE or NEWOBJ of a global we do not interpret, plus its BUILD state. */
export class PyObject {
  state: unknown = undefined;

  constructor(
    readonly cls: PyGlobal,
    readonly args: readonly unknown[],
  ) {}
}

/** Values with a `__setstate__` the unpickler calls on BUILD (numpy arrays and dtypes). */
export interface PyBuildable {
  setState(state: unknown): void;
}

export function isBuildable(value: unknown): value is PyBuildable {
  return typeof value === 'object' && value !== null && typeof (value as { setState?: unknown }).setState === 'function';
}

/** `builtins.slice(start, stop, step)`: pandas stores a block's column positions as one. */
export class PySlice {
  constructor(
    readonly start: number | null,
    readonly stop: number | null,
    readonly step: number | null,
  ) {}
}

export type PyTuple = readonly unknown[];

export function tuple(items: unknown[]): PyTuple {
  return Object.freeze(items);
}

export function isTuple(value: unknown): value is PyTuple {
  return Array.isArray(value) && Object.isFrozen(value);
}

/** `builtins.dict`, `pandas.core.frame.DataFrame`, ...: the Python type of a value, for messages. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'builtins.NoneType';
  if (typeof value === 'string') return 'builtins.str';
  if (typeof value === 'boolean') return 'builtins.bool';
  if (typeof value === 'bigint') return 'builtins.int';
  if (typeof value === 'number') return Number.isInteger(value) ? 'builtins.int' : 'builtins.float';
  if (value instanceof PyObject) return value.cls.qualname;
  if (value instanceof PyGlobal) return value.qualname;
  if (value instanceof Map) return 'builtins.dict';
  if (value instanceof Set) return 'builtins.set';
  if (value instanceof Uint8Array) return 'builtins.bytes';
  if (value instanceof PySlice) return 'builtins.slice';
  if (Array.isArray(value)) return isTuple(value) ? 'builtins.tuple' : 'builtins.list';
  const typed = (value as { pyTypeName?: string }).pyTypeName;
  return typeof typed === 'string' ? typed : 'object';
}
