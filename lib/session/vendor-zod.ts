/**
 * zod as compiled into dist/vendor-zod.mjs (scripts/build-cli.js): the framework and a project's
 * bundled pipelines then share one zod, loaded as one chunk instead of its ~50 files (a project
 * with its own, different zod keeps it: project-bundle.ts compares where each resolves).
 */
export * from 'zod';
export { default } from 'zod';
