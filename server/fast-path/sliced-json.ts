import { yieldIfLong } from '../../lib/viz';

/**
 * `JSON.stringify(value)`, byte for byte, built in slices of a few milliseconds with the event
 * loop free in between. A heatmap preview is 140 KB of JSON (200 × 300 numbers): stringified in
 * one go, the 32 previews a run's rewrite of a layer file invalidates stalled every other answer
 * by 60–100 ms (bench:load profile). Hand-written because JSON.stringify has no incremental
 * form: plain objects and arrays are walked here, everything else (numbers, strings, rows of
 * numbers, objects with toJSON, typed arrays) goes to JSON.stringify itself, so the text is its text.
 */
export async function stringifyInSlices(value: unknown): Promise<string | undefined> {
  const open = new Set<object>();
  // Leaves are stringified at once (no promise per number or string); walked values are awaited.
  const text = (v: unknown): string | undefined | Promise<string | undefined> => (isWalked(v) ? walk(v) : JSON.stringify(v));
  const walk = async (v: object): Promise<string | undefined> => {
    if (open.has(v)) throw new TypeError('Converting circular structure to JSON');
    open.add(v);
    let out: string;
    if (Array.isArray(v)) {
      const items: string[] = [];
      for (const item of v) {
        const t = text(item);
        items.push((t instanceof Promise ? await t : t) ?? 'null');
        await yieldIfLong();
      }
      out = `[${items.join(',')}]`;
    } else {
      const fields: string[] = [];
      for (const key of Object.keys(v)) {
        const t = text((v as Record<string, unknown>)[key]);
        const field = t instanceof Promise ? await t : t;
        if (field !== undefined) fields.push(`${JSON.stringify(key)}:${field}`);
      }
      out = `{${fields.join(',')}}`;
    }
    open.delete(v);
    return out;
  };
  return text(value);
}

/**
 * Walked here: plain objects, and arrays holding objects or arrays (a heatmap's rows); the rest
 * is stringified whole. No toJSON (JSON.stringify calls it with the key; left to it).
 */
function isWalked(v: unknown): v is object {
  if (typeof v !== 'object' || v === null || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(v)) return v.length > 0 && typeof v[0] === 'object' && v[0] !== null;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
