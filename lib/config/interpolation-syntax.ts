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

/**
 * Splits on commas outside brackets, braces, parentheses and quotes (`--params` pairs, a
 * resolver's arguments). A quote opens only where a value starts, so `msg=don't` stays plain
 * text. Unbalanced brackets or an unclosed quote throw a plain Error with the reason.
 */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if ((ch === '"' || ch === "'") && /(^|[=[{(,:])$/.test(text.slice(0, i).trimEnd())) {
      quote = ch;
    } else if (ch === '[' || ch === '{' || ch === '(') {
      depth++;
    } else if (ch === ']' || ch === '}' || ch === ')') {
      depth--;
      if (depth < 0) throw new Error(`unbalanced '${ch}' at character ${i + 1}`);
    } else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth > 0 || quote) throw new Error(quote ? `unclosed ${quote} quote` : "unclosed '[' or '{'");
  parts.push(text.slice(start));
  return parts;
}
