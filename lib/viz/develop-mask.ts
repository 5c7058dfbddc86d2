/**
 * The task's develop lumisections, read from the strategies' task file (`strategies.task`, the
 * Golden-JSON masks `load_task` saved): the LS whose mean is the reference of a histogram.
 * Plain data here (lib/viz does not import lib/dqm); the pipelines resolve tasks themselves.
 */
export interface DevelopMask {
  task: string;
  /** Golden-JSON layout: run -> [[first, last], ...] (inclusive). */
  mask: Record<string, Array<[number, number]>>;
}

/** The dataset the strategies pipeline saves its task in (conf/base/catalog.yml). */
export const TASK_DATASET = 'strategies.task';

/** The develop mask of a loaded task file, or null when it has none in the expected shape. */
export function developOf(task: unknown): DevelopMask | null {
  if (typeof task !== 'object' || task === null) return null;
  const t = task as { name?: unknown; develop?: unknown };
  if (typeof t.develop !== 'object' || t.develop === null) return null;
  return { task: typeof t.name === 'string' ? t.name : 'task', mask: t.develop as DevelopMask['mask'] };
}

/** Indices i with (run[i], lumi[i]) inside the mask. */
export function selectRows(mask: DevelopMask['mask'], run: ArrayLike<number>, lumi: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const ranges = mask[String(run[i])];
    if (ranges?.some(([a, b]) => lumi[i]! >= a && lumi[i]! <= b)) out.push(i);
  }
  return out;
}
