import type { Plugin } from 'esbuild';

export function sourceUrlPlugin(expressionFor: (file: string) => string, replacements?: Record<string, string>): Plugin;
