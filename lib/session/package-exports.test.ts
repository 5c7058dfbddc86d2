/**
 * A project imports the framework by its package name (`dqm-playground-ds/pipeline`, ...), the
 * CLI by its files: both must reach ONE instance of each module, or `instanceof` and the
 * AsyncLocalStorage behind reportProgress break without a word. Checked in a real Node process
 * (tsx's loader, as `dqm` runs), on a temp project that links the package as node_modules does.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { frameworkUrl, makeTempProject, registrySource, runTsInProject } from './temp-project.fixtures';

const FAN = registrySource({
  functions: `import { threadId } from 'node:worker_threads';
export function half(xs: number[], which: string) {
  xs.forEach((_, i) => reportProgress(i + 1, xs.length, which));
  return { thread: threadId };
}
export const left = (xs: number[]) => half(xs, 'left');
export const right = (xs: number[]) => half(xs, 'right');
`,
  pipelines: { fan: "new Pipeline([node(left, 'numbers', 'l'), node(right, 'numbers', 'r')])" },
});

// What the CLI does: the framework by its own files; the project's registry by its path.
const SCRIPT = `
import { Pipeline } from ${JSON.stringify(frameworkUrl('lib/pipeline/index.ts'))};
import { ParallelRunner, runPipeline } from ${JSON.stringify(frameworkUrl('lib/runner/index.ts'))};
import { NODE_WORKER_ENTRY, Project } from ${JSON.stringify(frameworkUrl('lib/session/index.ts'))};

const root = process.cwd();
const project = await Project.load({ root });
const progressOf = (events) => events.filter((e) => e.type === 'progress').map((e) => e.node + ':' + e.done + '/' + e.total);
const sequential = [];
await project.run({ pipeline: 'main' }, (e) => sequential.push(e));
const parallel = [];
const runner = new ParallelRunner({ registry: { entry: NODE_WORKER_ENTRY, root, parameters: project.parameters }, maxWorkers: 2, borrowMainThread: false });
const fan = await runPipeline(project.getPipeline('fan'), project.createCatalog(), { runner, onEvent: (e) => parallel.push(e) });
console.log(JSON.stringify({
  resolved: import.meta.resolve('dqm-playground-ds/progress'),
  sameClass: Object.values(project.pipelines).every((p) => p instanceof Pipeline),
  sequential: progressOf(sequential),
  parallel: progressOf(parallel).sort(),
  threads: [fan.outputs.l.thread, fan.outputs.r.thread],
}));
`;

const root = makeTempProject({ files: { 'pipelines/registry.ts': FAN, 'check.ts': SCRIPT } });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the package exports and the CLI share module instances', () => {
  it('pipelines built through dqm-playground-ds/pipeline are the CLI\'s Pipeline; progress reported through dqm-playground-ds/progress reaches the runner, in this thread and in workers', () => {
    const r = runTsInProject(root, 'check.ts');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { resolved: string; sameClass: boolean; sequential: string[]; parallel: string[]; threads: number[] };
    // node_modules/dqm-playground-ds is a link: Node resolves it to this checkout's file, the one the CLI imports.
    expect(out.resolved).toBe(frameworkUrl('lib/progress.ts'));
    expect(out.sameClass).toBe(true);
    expect(out.sequential).toContain('scale:4/4');
    expect(out.parallel).toEqual(expect.arrayContaining(['left:4/4', 'right:4/4']));
    expect(out.threads.every((t) => t > 0)).toBe(true);
  });
});
