import type { CorrelationMatrix } from '../../graph';

/**
 * Pearson's r over the indices where both values are finite numbers (pairwise complete: strategy
 * scores exist only for the task's apply LS). Null with fewer than 2 such points or no spread.
 */
export function pearson(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>): number | null {
  let n = 0;
  let sx = 0;
  let sy = 0;
  const len = Math.min(x.length, y.length);
  for (let i = 0; i < len; i++) {
    const a = x[i];
    const b = y[i];
    if (!isNum(a) || !isNum(b)) continue;
    n++;
    sx += a;
    sy += b;
  }
  if (n < 2) return null;
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let i = 0; i < len; i++) {
    const a = x[i];
    const b = y[i];
    if (!isNum(a) || !isNum(b)) continue;
    cxy += (a - mx) * (b - my);
    cxx += (a - mx) ** 2;
    cyy += (b - my) ** 2;
  }
  if (cxx === 0 || cyy === 0) return null;
  // Rounding can push |r| a hair above 1.
  return Math.max(-1, Math.min(1, cxy / Math.sqrt(cxx * cyy)));
}

/** The matrix of pairwise Pearson r of named columns of equal length. */
export function correlationMatrix(columns: ReadonlyArray<[string, ReadonlyArray<number | null>]>): CorrelationMatrix {
  const r = columns.map(() => columns.map((): number | null => null));
  for (let i = 0; i < columns.length; i++) {
    for (let j = i; j < columns.length; j++) {
      const v = i === j ? (pearson(columns[i]![1], columns[i]![1]) === null ? null : 1) : pearson(columns[i]![1], columns[j]![1]);
      r[i]![j] = v;
      r[j]![i] = v;
    }
  }
  return { variables: columns.map(([name]) => name), r };
}

function isNum(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
