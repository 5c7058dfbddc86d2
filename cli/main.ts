/** Entry of the `dqm` command (bin/dqm.js loads it through tsx). */
import { buildProgram } from './program';
import { handleCliError } from './shared';

try {
  const program = await buildProgram(process.argv);
  await program.parseAsync(process.argv);
} catch (error) {
  handleCliError(error);
}
