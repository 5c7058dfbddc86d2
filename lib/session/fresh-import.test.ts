/**
 * `dqm viz --autoreload` reloads a project with `Project.load({ fresh: true })`: edited pipeline
 * files are read anew, the hooks of pipelines/settings.ts come along, and the framework stays
 * one instance (its Pipeline class, its dataset registry). In a real Node process with tsx's
 * loader, as `dqm viz` runs: vitest's own module loader would not exercise Node's hooks.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { frameworkUrl, makeTempProject, runTsInProject } from './temp-project.fixtures';

const STEP = (n: number) => `import { node, Pipeline } from 'dqm-playground-ds/pipeline';
export const step = (xs: number[]) => xs.map((x) => x + ${n});
export const stepPipeline = () => new Pipeline([node(step, 'numbers', 'stepped', { name: 'step_${n}' })]);
`;

const SCRIPT = `
import { writeFileSync } from 'node:fs';
import { Pipeline } from ${JSON.stringify(frameworkUrl('lib/pipeline/index.ts'))};
import { Project } from ${JSON.stringify(frameworkUrl('lib/session/index.ts'))};

const root = process.cwd();
const first = await Project.load({ root });
writeFileSync('pipelines/step.ts', ${JSON.stringify(STEP(2))});
const cached = await Project.load({ root });
const fresh = await Project.load({ root, fresh: true });
const names = (p) => p.getPipeline('step').nodeNames();
console.log(JSON.stringify({
  first: names(first),
  cached: names(cached),
  fresh: names(fresh),
  sameClass: fresh.getPipeline('step') instanceof Pipeline,
  hooks: fresh.hooks.length,
}));
`;

const root = makeTempProject({
  files: {
    'pipelines/step.ts': STEP(1),
    'pipelines/registry.ts': "import { stepPipeline } from './step';\nexport function registerPipelines() {\n  return { __default__: stepPipeline(), step: stepPipeline() };\n}\n",
    'pipelines/settings.ts': 'export const hooks = [{ beforePipelineRun() {} }];\n',
    'check.ts': SCRIPT,
  },
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Project.load({ fresh: true })', () => {
  it('reads edited pipeline files anew, keeps the hooks, and builds the framework\'s own Pipeline', () => {
    const r = runTsInProject(root, 'check.ts');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ first: ['step_1'], cached: ['step_1'], fresh: ['step_2'], sameClass: true, hooks: 1 });
  });
});
