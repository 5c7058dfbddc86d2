import type { Hooks } from 'dqm-playground-ds/runner';

/** Hooks run around pipelines, nodes and datasets (see lib/runner/hooks.ts); none by default. */
export const hooks: Hooks[] = [];
