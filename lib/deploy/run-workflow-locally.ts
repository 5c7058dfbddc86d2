import { spawnSync } from 'node:child_process';
import { DeployError } from './errors';

interface TaskJson {
  name: string;
  template: string;
  dependencies?: string[];
  withItems?: unknown[];
}
interface TemplateJson {
  name: string;
  container?: { command?: string[] };
  dag?: { tasks: TaskJson[] };
}
export interface WorkflowJson {
  spec: { entrypoint: string; templates: TemplateJson[]; arguments?: { parameters?: Array<{ name: string; value?: string }> } };
}

export interface LocalStep {
  task: string;
  argv: string[];
}

/**
 * The commands a workflow's DAG would run, in an order that respects `dependencies` (Kahn,
 * stable by task name), with `{{item}}` fan-outs expanded and Argo parameters substituted.
 * Lets a test run "the workflow" on one machine and compare its outputs with `dqm run`.
 */
export function workflowSteps(workflow: WorkflowJson): LocalStep[] {
  const templates = new Map(workflow.spec.templates.map((t) => [t.name, t]));
  const entry = templates.get(workflow.spec.entrypoint)?.dag;
  if (!entry) throw new DeployError(`Workflow entrypoint '${workflow.spec.entrypoint}' is not a DAG template`);
  const globals = new Map((workflow.spec.arguments?.parameters ?? []).map((p) => [p.name, p.value ?? '']));
  const pending = new Map(entry.tasks.map((t) => [t.name, new Set(t.dependencies ?? [])]));
  const byName = new Map(entry.tasks.map((t) => [t.name, t]));
  const steps: LocalStep[] = [];
  while (pending.size) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([n]) => n).sort();
    if (!ready.length) throw new DeployError(`Workflow DAG has a cycle or unknown dependency among: ${[...pending.keys()].join(', ')}`);
    for (const name of ready) {
      pending.delete(name);
      for (const deps of pending.values()) deps.delete(name);
      const task = byName.get(name)!;
      const command = templates.get(task.template)?.container?.command;
      if (!command) throw new DeployError(`Task '${name}' refers to template '${task.template}', which has no container command`);
      for (const item of task.withItems ?? [undefined]) {
        const argv = command.map((arg) =>
          arg
            .replace(/\{\{inputs\.parameters\.run\}\}/g, String(item))
            .replace(/\{\{workflow\.parameters\.([-\w]+)\}\}/g, (_, p: string) => globals.get(p) ?? ''),
        );
        steps.push({ task: name, argv });
      }
    }
  }
  return steps;
}

/** Runs the steps with `dqm` replaced by `dqmCommand` (e.g. `[node, bin/dqm.js]`), stopping at the first failure. */
export function runStepsLocally(steps: LocalStep[], opts: { cwd: string; dqmCommand: string[]; env?: NodeJS.ProcessEnv }): void {
  for (const step of steps) {
    const [head, ...rest] = step.argv;
    const argv = head === 'dqm' ? [...opts.dqmCommand, ...rest] : step.argv;
    const result = spawnSync(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new DeployError(`Task '${step.task}' failed (${step.argv.join(' ')}): ${(result.stderr || result.stdout).trim()}`);
    }
  }
}
