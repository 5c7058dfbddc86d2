/**
 * The boundary rules of .dependency-cruiser.cjs fire: a small tree that breaks each of them on
 * purpose, in a temp folder, is cruised with the project's own config, and every rule's name
 * is printed next to the import that breaks it (`npm run lint:deps` fails CI the same way).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** file -> contents; each breaks the rule named in its comment. */
const TREE: Record<string, string> = {
  'package.json': '{ "name": "violations", "private": true, "type": "module" }\n',
  'tsconfig.json': '{ "compilerOptions": { "module": "ESNext", "moduleResolution": "bundler", "strict": true } }\n',
  'node_modules/react/package.json': '{ "name": "react", "main": "index.js" }\n',
  'node_modules/react/index.js': 'export const createElement = () => null;\n',
  'lib/errors.ts': 'export class DqmError extends Error {}\n',
  'lib/pipeline/index.ts': "export { node } from './node';\n",
  'lib/pipeline/node.ts': 'export const node = 1;\n',
  'lib/runner/index.ts': "export { plan } from './plan';\n",
  'lib/runner/plan.ts': 'export const plan = 1;\n',
  // lib-layering (io below dqm), no-lib-module-cycles and no-circular (with lib/dqm/index.ts)
  'lib/io/index.ts': "import { simulate } from '../dqm';\n// cross-module-through-index\nimport { plan } from '../runner/plan';\nexport const io = [simulate, plan];\n",
  'lib/dqm/index.ts': "import { io } from '../io';\nexport const simulate = () => io;\n",
  // lib-not-app-layer, lib-no-react-next
  'lib/viz/index.ts': "import { start } from '../../server/start';\nimport { createElement } from 'react';\nexport const viz = [start, createElement];\n",
  'server/start.ts': 'export const start = 1;\n',
  // graph-browser-safe
  'lib/graph/index.ts': "import path from 'node:path';\nexport const sep = path.sep;\n",
  // not-to-unresolvable
  'lib/data/index.ts': "export { table } from './missing';\n",
  // components-no-node (a Node built-in, and a value from lib/ other than lib/graph)
  'components/Panel.tsx': "import fs from 'node:fs';\nimport { node } from '../lib/pipeline';\nexport const Panel = () => [fs.existsSync, node];\n",
  // pipelines-through-exports
  'pipelines/demo/pipeline.ts': "import { node } from '../../lib/pipeline';\nexport const demo = node;\n",
  // app-through-services
  'app/api/route.ts': "import { viz } from '../../lib/viz';\nexport const GET = () => viz;\n",
};

const RULES = [
  ['lib-layering', 'lib/io/index.ts → lib/dqm/index.ts'],
  ['no-lib-module-cycles', 'lib/io → '],
  ['no-circular', 'lib/dqm/index.ts'],
  ['cross-module-through-index', 'lib/io/index.ts → lib/runner/plan.ts'],
  ['lib-not-app-layer', 'lib/viz/index.ts → server/start.ts'],
  ['lib-no-react-next', 'lib/viz/index.ts → node_modules/react/index.js'],
  ['graph-browser-safe', 'lib/graph/index.ts → path'],
  ['not-to-unresolvable', 'lib/data/index.ts → ./missing'],
  ['components-no-node', 'components/Panel.tsx → fs'],
  ['components-no-node', 'components/Panel.tsx → lib/pipeline/index.ts'],
  ['pipelines-through-exports', 'pipelines/demo/pipeline.ts → lib/pipeline/index.ts'],
  ['app-through-services', 'app/api/route.ts → lib/viz/index.ts'],
] as const;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-depcruise-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cruise(root: string): { status: number | null; output: string } {
  const bin = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const r = spawnSync(process.execPath, [bin, '--no-progress', '--config', path.join(REPO, '.dependency-cruiser.cjs'), 'lib', 'app', 'components', 'server', 'pipelines'], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('npm run lint:deps rules', () => {
  for (const [file, text] of Object.entries(TREE)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const { status, output } = cruise(dir);

  it('fail the cruise of a tree that breaks them', () => {
    expect(status).not.toBe(0);
  });

  it.each(RULES)('%s names the import that breaks it (%s)', (rule, where) => {
    const lines = output.split('\n').filter((l) => l.includes(`error ${rule}:`));
    expect(lines.length, output).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes(where.split(' → ')[0]!)) && output.includes(where), output).toBe(true);
  });
});
