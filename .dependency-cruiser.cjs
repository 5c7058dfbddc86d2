/**
 * The architecture's boundaries (docs/architecture.md), checked by `npm run lint:deps`, which
 * `npm test` runs first. A violation prints the rule's name and the import that breaks it.
 * Production code only: tests and fixtures may reach across modules (a runner test uses the
 * session's registry loader), so they are left out of the cruise.
 */
const TEST_CODE = '(^|/)[^/]+\\.(test|spec)\\.tsx?$|\\.fixtures\\.tsx?$|^(e2e|tests|bench)/';

/**
 * DESIGN.md's direction inside lib/: each module and the modules it may import (besides itself).
 * A strict order, so no cycle between modules is possible; no-lib-module-cycles says so again.
 */
const LIB_LAYERS = {
  errors: [],
  progress: [],
  // Redaction by value and by key (credentials never reach logs, stores, messages): one module for all.
  redact: [],
  data: ['errors'],
  pipeline: ['errors'],
  config: ['errors'],
  graph: ['errors', 'pipeline'],
  io: ['errors', 'progress', 'redact', 'data', 'config'],
  runner: ['errors', 'progress', 'data', 'pipeline', 'config', 'io'],
  dqm: ['errors', 'progress', 'data', 'pipeline', 'config', 'io'],
  session: ['errors', 'progress', 'data', 'pipeline', 'config', 'io', 'runner'],
  services: ['errors', 'graph', 'runner'],
  runs: ['errors', 'progress', 'redact', 'data', 'pipeline', 'config', 'io', 'runner', 'session', 'services'],
  viz: ['errors', 'data', 'pipeline', 'graph', 'services'],
  deploy: ['errors', 'pipeline', 'config'],
};

const libModule = (m) => `^lib/(${m}/|${m}\\.ts$)`;

const layering = Object.entries(LIB_LAYERS).map(([m, allowed]) => ({
  name: 'lib-layering',
  comment: `lib/${m} may import only ${allowed.length ? allowed.map((a) => `lib/${a}`).join(', ') : 'nothing else in lib/'} (DESIGN.md's direction)`,
  severity: 'error',
  from: { path: libModule(m) },
  to: { path: '^lib/', pathNot: [m, ...allowed].map(libModule) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-not-app-layer',
      comment: 'lib/ is the framework: it never imports the application layer (app, components, server, cli) or the project (pipelines)',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(app|components|server|cli|pipelines|bin)/' },
    },
    {
      name: 'lib-no-react-next',
      comment: 'lib/ never imports Next.js or React (the dashboard client lives in components/)',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '(^|/)node_modules/(next|react|react-dom|@xyflow/react|zustand)/' },
    },
    {
      name: 'no-lib-module-cycles',
      comment: 'no cycle between lib/ modules (folder level, e.g. lib/io <-> lib/dqm)',
      severity: 'error',
      scope: 'folder',
      from: { path: '^lib/[^/]+$' },
      to: { path: '^lib/[^/]+$', circular: true },
    },
    ...layering,
    {
      name: 'no-circular',
      comment: 'no import cycle between files',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'components-no-node',
      comment: 'components/ run in the browser: no Node built-in module, and from lib/ only the pure lib/graph (types from anywhere)',
      severity: 'error',
      from: { path: '^components/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'components-no-node',
      comment: 'components/ import values only from lib/graph (types from anywhere in lib/)',
      severity: 'error',
      from: { path: '^components/' },
      to: { path: '^lib/', pathNot: '^lib/graph/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'graph-browser-safe',
      comment: 'lib/graph is shared with the browser: it and what it imports use no Node built-in module',
      severity: 'error',
      from: { path: '^lib/(graph|pipeline)/|^lib/errors\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'cross-module-through-index',
      comment: "another lib/ module is imported through its index.ts (its public surface), never a file inside it",
      severity: 'error',
      from: { path: '^lib/([^/]+)/' },
      to: { path: '^lib/[^/]+/', pathNot: ['^lib/$1/', '^lib/[^/]+/index\\.ts$'] },
    },
    {
      name: 'cross-module-through-index',
      comment: 'the application layer imports a lib/ module through its index.ts (its public surface), never a file inside it',
      severity: 'error',
      from: { path: '^(app|components|server|cli|pipelines|bin)/' },
      to: { path: '^lib/[^/]+/', pathNot: '^lib/[^/]+/index\\.ts$' },
    },
    {
      name: 'pipelines-through-exports',
      comment: "pipelines/ imports the framework by its package name ('dqm-playground-ds/pipeline', ...), as a project outside this repository does",
      severity: 'error',
      from: { path: '^pipelines/' },
      to: { path: '^(lib|cli|server)/', dependencyTypes: ['local'] },
    },
    {
      name: 'app-through-services',
      comment: 'route handlers reach the services through lib/services and lib/errors only: bundling lib/viz or lib/runs into Next would break them',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: '^lib/', pathNot: ['^lib/services/', '^lib/errors\\.ts$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^(\\.next|data|test-results|playwright-report)/', TEST_CODE] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
