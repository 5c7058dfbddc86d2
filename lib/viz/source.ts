import fs from 'node:fs';
import path from 'node:path';

export interface FunctionSource {
  code: string;
  /** Relative to the project root, with forward slashes. */
  filepath: string;
  /** 1-based line where the code starts (its doc comment included). */
  line: number;
}

/** TypeScript files under `dir`, `nodes.ts` files first (that is where node functions live). */
export function listSourceFiles(root: string, dir = 'pipelines'): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(root, dir));
  const rank = (p: string) => (path.basename(p) === 'nodes.ts' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * The source text of a named function in the project's pipeline files: `function name(`,
 * `const name = (...) =>` or `const name = function`, with the doc comment above it, up to the
 * end of its body. Found by reading text (no TypeScript parser needed for this).
 */
export function findFunctionSource(root: string, name: string, files = listSourceFiles(root)): FunctionSource | null {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return null;
  const decl = new RegExp(`^[ \\t]*(?:export\\s+)?(?:default\\s+)?(?:async\\s+)?(?:function\\s*\\*?\\s*${escape(name)}\\s*[<(]|(?:const|let|var)\\s+${escape(name)}\\s*[:=])`, 'm');
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const m = decl.exec(text);
    if (!m) continue;
    const start = withDocComment(text, m.index);
    // Start scanning at the opening ( or < the pattern consumed, so its bracket is counted.
    const end = endOfDeclaration(text, m.index + m[0].length - (/[<(]$/.test(m[0]) ? 1 : 0));
    return {
      code: text.slice(start, end).replace(/\s+$/, ''),
      filepath: path.relative(root, file).split(path.sep).join('/'),
      line: text.slice(0, start).split('\n').length,
    };
  }
  return null;
}

function escape(s: string): string {
  return s.replace(/[$]/g, '\\$');
}

/** Moves the start up over a `/** ... *\/` or `//` comment block directly above the declaration. */
function withDocComment(text: string, at: number): number {
  const before = text.slice(0, at);
  const m = /(?:\/\*\*[\s\S]*?\*\/\s*|(?:^[ \t]*\/\/[^\n]*\n)+)$/m.exec(before);
  return m && /^\s*$/.test(before.slice(m.index + m[0].length)) ? m.index : at;
}

/**
 * End of the declaration starting near `from`: the brace that closes the first `{` at depth 0
 * (function body), or, for an arrow with an expression body, the `;` or blank line at depth 0.
 * Skips strings, template literals and comments.
 */
function endOfDeclaration(text: string, from: number): number {
  let depth = 0;
  let sawBody = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) return text.length;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
      if (i <= 0) return text.length;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      if (c === '{' && depth === 0 && text.slice(from, i).includes(')')) sawBody = true;
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0 && c === '}' && sawBody) {
        const semi = /^[ \t]*;/.exec(text.slice(i + 1));
        return i + 1 + (semi ? semi[0].length : 0);
      }
      if (depth < 0) return i;
    } else if (depth === 0 && (c === ';' || (c === '\n' && text[i + 1] === '\n'))) {
      return i + 1;
    }
  }
  return text.length;
}

function skipString(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === q) return j;
  }
  return text.length;
}

/** True when `p` (relative to `root`, or absolute) resolves inside `root`. */
export function isInside(root: string, resolved: string): boolean {
  const r = root.endsWith('/') ? root : `${root}/`;
  return resolved === root || resolved.startsWith(r);
}
