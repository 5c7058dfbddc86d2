// Node module hooks behind importFresh (fresh-import.ts): a file imported with `?dqm-fresh=N`
// passes N on to every file it imports, except the framework (lib/) and node_modules, so a
// project's edited pipeline files load anew while the framework's modules stay one instance.
// Plain .mjs: hooks run on Node's loader thread, before any TypeScript loader applies there.
const KEY = 'dqm-fresh';
let framework = '';

export function initialize(data) {
  framework = data.framework;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const version = context.parentURL?.startsWith('file:') ? new URL(context.parentURL).searchParams.get(KEY) : null;
  if (!version || !result.url.startsWith('file:') || result.url.startsWith(framework) || result.url.includes('/node_modules/')) return result;
  const url = new URL(result.url);
  url.searchParams.set(KEY, version);
  return { ...result, url: url.href };
}
