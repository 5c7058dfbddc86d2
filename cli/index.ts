export { buildProgram } from './program';
export { addProjectOptions, handleCliError, loadProjectFromOptions, parseList, parseLoadVersions, formatTable, formatDuration } from './shared';
export type { ProjectCliOptions } from './shared';
export { RunReporter } from './run-reporter';
export { CliError } from './errors';
export { createPipelineFiles } from './commands/pipeline';
