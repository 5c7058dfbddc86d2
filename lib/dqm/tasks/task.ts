import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { messageOf } from '../../errors';
import { LumiMaskError, TaskError } from './errors';
import { loadLumiMask, LumiMask } from './lumi-mask';

/**
 * A task, as the website defines it: the lumisections to develop (train, choose thresholds) a
 * strategy on, and those to apply it to.
 */
export interface Task {
  readonly name: string;
  readonly description: string;
  /** The task file, or `<inline task>`. */
  readonly source: string;
  readonly develop: LumiMask;
  readonly apply: LumiMask;
}

const SET_HELP = "a mask file path, or an object with 'mask' (inline Golden JSON) or 'file' (.json mask or .csv run,lumisection list)";

const LumiSetSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { file: v } : v),
  z
    .object(
      {
        mask: z.record(z.string(), z.unknown(), { error: 'must be a Golden JSON object {"<run>": [[first, last], ...]}' }).optional(),
        file: z.string({ error: 'must be a path to a .json mask or a .csv run,lumisection list' }).min(1, { error: 'must not be empty' }).optional(),
      },
      { error: (iss) => (iss.code === 'unrecognized_keys' ? unknownKeys(iss.keys, ['mask', 'file']) : `must be ${SET_HELP}`) },
    )
    .strict()
    .refine((s) => (s.mask === undefined) !== (s.file === undefined), { error: `needs exactly one of 'mask' or 'file'` }),
);

const TaskSchema = z
  .object(
    {
      name: z.string({ error: 'must be a string' }).regex(/^[A-Za-z0-9_.-]+$/, { error: 'must use only letters, digits, _ . -' }).optional(),
      description: z.string({ error: 'must be a string' }).optional(),
      develop: LumiSetSchema,
      apply: LumiSetSchema,
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys' ? unknownKeys(iss.keys, ['name', 'description', 'develop', 'apply']) : 'must be a mapping with keys develop and apply',
    },
  )
  .strict();

const EXTENSIONS = ['.yml', '.yaml', '.json'];

/**
 * Loads and validates a task file (YAML or JSON). Relative mask paths inside it resolve against
 * `projectRoot` (Kedro's convention for file paths in conf/), default: the current directory.
 */
export function loadTask(file: string, opts: { projectRoot?: string } = {}): Task {
  const ext = path.extname(file).toLowerCase();
  if (!EXTENSIONS.includes(ext)) throw new TaskError(`Task ${file}: unsupported extension '${ext}' (expected .yml, .yaml or .json)`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new TaskError(`Task ${file} cannot be read: ${messageOf(error)}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new TaskError(`Task ${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${firstLine(messageOf(error))}`, { cause: error });
  }
  return taskFromConfig(raw, { source: file, projectRoot: opts.projectRoot, defaultName: path.basename(file, ext) });
}

/** Validates a task given as data (e.g. inline in parameters); `source` names it in messages. */
export function taskFromConfig(
  raw: unknown,
  opts: { source?: string; projectRoot?: string; defaultName?: string } = {},
): Task {
  const source = opts.source ?? '<inline task>';
  const parsed = TaskSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.length ? `key '${issue.path.join('.')}'` : 'top level';
    throw new TaskError(`Task ${source}: ${key} ${issue.message}`);
  }
  const root = opts.projectRoot ?? process.cwd();
  const toMask = (which: 'develop' | 'apply'): LumiMask => {
    const spec = parsed.data[which];
    try {
      if (spec.mask !== undefined) return LumiMask.fromGoldenJson(spec.mask, `${source} (key '${which}.mask')`);
      return loadLumiMask(path.resolve(root, spec.file!));
    } catch (error) {
      if (error instanceof LumiMaskError) throw new TaskError(`Task ${source}: key '${which}': ${error.message}`, { cause: error });
      throw error;
    }
  };
  return {
    name: parsed.data.name ?? opts.defaultName ?? 'task',
    description: parsed.data.description ?? '',
    source,
    develop: toMask('develop'),
    apply: toMask('apply'),
  };
}

/**
 * A task from a parameter value: an inline task object, a task file path, or the name of a file
 * in `conf/base/tasks/` (`simulated` -> conf/base/tasks/simulated.yml).
 */
export function resolveTask(spec: unknown, opts: { projectRoot?: string } = {}): Task {
  const root = opts.projectRoot ?? process.cwd();
  if (typeof spec !== 'string') return taskFromConfig(spec, { projectRoot: root });
  if (EXTENSIONS.includes(path.extname(spec).toLowerCase())) return loadTask(path.resolve(root, spec), { projectRoot: root });
  const dir = path.join(root, 'conf', 'base', 'tasks');
  for (const ext of EXTENSIONS) {
    const file = path.join(dir, spec + ext);
    if (fs.existsSync(file)) return loadTask(file, { projectRoot: root });
  }
  const known = listTasks(dir);
  throw new TaskError(`Task '${spec}' not found in ${dir} (tasks: ${known.length ? known.join(', ') : 'none'})`);
}

/** Task names (file stems) in a tasks directory, sorted. */
export function listTasks(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => EXTENSIONS.includes(path.extname(f).toLowerCase()))
    .map((f) => path.basename(f, path.extname(f)))
    .sort();
}

function unknownKeys(keys: string[], known: string[]): string {
  return `has unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')} (expected ${known.join(', ')})`;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!;
}
