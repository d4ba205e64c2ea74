#!/usr/bin/env node
import { CommanderError } from 'commander';
import { CadreError } from '../errors.js';
import { processOutput } from './output.js';
import { buildProgram } from './program.js';

/** The `cadre` executable: parse, run, set the exit code; errors print as one clear message. */
for (const stream of [process.stdout, process.stderr]) {
  // A reader that stops early (`cadre tree | head`) is not an error.
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
let exitCode = 0;
const program = await buildProgram(processOutput, (code) => {
  exitCode = code;
});
program.exitOverride();
try {
  await program.parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof CadreError) {
    processOutput.error(`cadre: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
    process.exitCode = 1;
  } else {
    processOutput.error(
      `cadre: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 2;
  }
}
