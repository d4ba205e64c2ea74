/** Where a command writes: injected so tests and the MCP server can capture it. */
export interface CommandOutput {
  out: (text: string) => void;
  error: (text: string) => void;
}

/** The process's own streams. */
export const processOutput: CommandOutput = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  error: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};
