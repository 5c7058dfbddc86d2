/** Entry of the `dqm` command: bin/dqm.js runs its compiled form (dist/cli.mjs) or this file through tsx. */
import { buildProgram } from './program';
import { handleCliError } from './shared';

// Stacks of the project's bundled code then name its TypeScript files and lines (tsx does this too).
process.setSourceMapsEnabled(true);
try {
  const program = await buildProgram(process.argv);
  await program.parseAsync(process.argv);
} catch (error) {
  handleCliError(error);
}
