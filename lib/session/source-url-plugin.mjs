// An esbuild plugin shared by the CLI build (scripts/build-cli.js) and the on-demand bundles of
// a project's code (project-bundle.ts): a bundle moves code to another file, so each module's
// `import.meta.url` is rewritten to the URL of its SOURCE file (files beside it, package.json,
// the tsx loader, are then found where they are). Plain .mjs so the build script can import it.
import { readFile } from 'node:fs/promises';

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js' };

/**
 * @param {(file: string) => string} expressionFor JS expression for the source URL of `file`
 * @param {Record<string, string>} [replacements] absolute file path -> whole module text to use instead
 */
export function sourceUrlPlugin(expressionFor, replacements = {}) {
  return {
    name: 'dqm-source-url',
    setup(build) {
      build.onLoad({ filter: /\.(m?ts|tsx|m?js)$/ }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const loader = LOADERS[args.path.slice(args.path.lastIndexOf('.'))];
        const replaced = replacements[args.path];
        if (replaced !== undefined) return { contents: replaced, loader };
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return { contents: text, loader };
        return { contents: text.replaceAll('import.meta.url', `(${expressionFor(args.path)})`), loader };
      });
    },
  };
}
