/**
 * Where the compiled framework lives: the `dist/` folder's URL (with a trailing slash) when this
 * code runs from the esbuild bundle (scripts/build-cli.js replaces this module), `null` when it
 * runs from the TypeScript sources through tsx or vitest.
 */
export const FRAMEWORK_DIST: string | null = null;
