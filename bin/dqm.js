#!/usr/bin/env node
// The `dqm` command. tsx's loader is registered first so the CLI, the framework and the
// project's own pipelines (all TypeScript) load without a separate compile step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
