import { CadreError } from '../errors.js';
import type { CommandOutput } from './output.js';

/** Runs a command body, turning a CadreError into its message and exit code 1; Ctrl-C cancels through the signal. */
export async function withCancel(
  command: string,
  output: CommandOutput,
  body: (signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    return await body(controller.signal);
  } catch (error) {
    if (error instanceof CadreError) {
      output.error(`cadre ${command}: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
  }
}
