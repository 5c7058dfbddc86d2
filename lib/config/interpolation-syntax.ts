/**
 * The small grammar of OmegaConf interpolations that the loader needs, hand-written because no
 * JavaScript library parses OmegaConf's syntax: where each top-level `${...}` starts and ends
 * (nested ones stay inside it), and a resolver's comma-separated arguments.
 */

export interface InterpolationSpan {
  start: number;
  /** Index just past the closing `}`. */
  end: number;
  /** The text between `${` and its matching `}`. */
  inner: string;
}

/** Top-level `${...}` spans of `s`; `\${` is an escape, an unclosed `${` is plain text. */
export function interpolationSpans(s: string): InterpolationSpan[] {
  const out: InterpolationSpan[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '\\' && s.startsWith('${', i + 1)) {
      i += 3;
      continue;
    }
    if (!s.startsWith('${', i)) {
      i++;
      continue;
    }
    const end = closingBrace(s, i + 2);
    if (end < 0) break;
    out.push({ start: i, end: end + 1, inner: s.slice(i + 2, end) });
    i = end + 1;
  }
  return out;
}

/** Index of the `}` closing a `${` whose text starts at `from`, or -1. */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  let quote: string | undefined;
  for (let j = from; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j;
  }
  return -1;
}

/** `a, ${b:c,d}, [1, 2], 'x,y'` -> ['a', ' ${b:c,d}', ' [1, 2]', " 'x,y'"]: commas inside brackets, quotes or `${}` do not split. */
export function splitArguments(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let last = 0;
  for (let j = 0; j < args.length; j++) {
    const c = args[j]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(args.slice(last, j));
      last = j + 1;
    }
  }
  out.push(args.slice(last));
  return out;
}
