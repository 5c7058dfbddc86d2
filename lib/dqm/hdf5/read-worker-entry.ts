/**
 * The HDF5 read threads' entry module. scripts/build-cli.js replaces this file in the compiled
 * CLI with the URL of dist/hdf5-read-worker.mjs (bundled, no TypeScript loader in the thread).
 */
export const READ_WORKER_ENTRY: string = new URL('./read-worker.ts', import.meta.url).href;
