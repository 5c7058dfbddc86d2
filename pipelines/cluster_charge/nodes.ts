import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHistogramSet, normalisedMean, type HistogramSet } from 'dqm-playground-ds/data';
import { resolveTask, TaskError } from 'dqm-playground-ds/dqm';

/** Task names and mask paths in parameters resolve against the project root (as catalog paths do). */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The reference of a 1D (or 2D) ME: the mean of the task's develop LS, each scaled to unit
 * entries, as a one-LS set (`normalisation: entries`) that the dashboard draws under each LS.
 */
export function reference_histogram(charge: HistogramSet, taskSpec: unknown): HistogramSet {
  const task = resolveTask(taskSpec, { projectRoot: PROJECT_ROOT });
  const rows = task.develop.select(charge.run, charge.lumi);
  if (!rows.length) throw new TaskError(`Task '${task.name}': the develop set selects no lumisection of ${charge.name ?? charge.title} (${charge.run.length} LS)`);
  const mean = normalisedMean(charge, rows);
  const { title, name, ny, nx, x, y, source } = charge;
  const out = createHistogramSet({ title: `${title} · reference (mean of ${rows.length} develop LS)`, name, ny, nx, x, y, source }, 1, { normalisation: 'entries' });
  out.values.set(mean);
  out.entries[0] = 1;
  return out;
}
