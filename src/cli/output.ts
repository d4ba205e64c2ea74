/** Where a command writes: injected so tests and the MCP server can capture it. */
export interface CommandOutput {
  out: (text: string) => void;
  error: (text: string) => void;
  /** Writes to stderr as it is (no newline added), for a live view on a terminal. */
  raw?: (text: string) => void;
  /** Whether stderr is a terminal, where a live view can redraw in place. */
  interactive?: boolean;
}

/** The process's own streams. */
export const processOutput: CommandOutput = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  error: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  raw: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};
