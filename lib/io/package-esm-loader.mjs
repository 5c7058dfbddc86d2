// Registers package-esm-hooks.mjs: imported (or `--import`ed) right AFTER tsx's loader is
// registered in a process or thread that runs the TypeScript sources (bin/dqm.js, the run
// process, worker threads), so its hooks come first (Node calls the last registered first).
import { register } from 'node:module';

register('./package-esm-hooks.mjs', import.meta.url);
