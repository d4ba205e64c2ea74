import { Command } from 'commander';
import type { CommandOutput } from './output.js';

/** Adds one command (or a few that share a module) to the program. */
type Registration = (
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
) => void;

/**
 * Each command's module, in the order `cadre --help` lists them. A module is loaded only when
 * its command runs (or for the help, which lists them all), so that `cadre validate` does not
 * load the Anthropic SDK, the MCP SDK or the database drivers.
 */
const commandModules: [names: string[], load: () => Promise<Registration>][] = [
  [['init'], async () => (await import('./init-command.js')).registerInit],
  [['validate'], async () => (await import('./validate-command.js')).registerValidate],
  [['tree'], async () => (await import('./tree-command.js')).registerTree],
  [['export'], async () => (await import('./export-command.js')).registerExport],
  [['run'], async () => (await import('./run-command.js')).registerRun],
  [['chat'], async () => (await import('./chat-command.js')).registerChat],
  [['runs'], async () => (await import('./runs-command.js')).registerRuns],
  [['show'], async () => (await import('./show-command.js')).registerShow],
  [
    ['escalations', 'answer'],
    async () => (await import('./escalations-command.js')).registerEscalations,
  ],
  [['resume'], async () => (await import('./resume-command.js')).registerResume],
  [['tool'], async () => (await import('./tool-command.js')).registerTool],
  [['metrics'], async () => (await import('./metrics-command.js')).registerMetrics],
  [['mcp'], async () => (await import('./mcp-command.js')).registerMcp],
];

/**
 * Builds the `cadre` command line for `argv`; commands report their exit code through
 * `setExit`. Only the module of the command `argv` names is loaded (none for `--version`);
 * every one when it names none or one cadre does not have (for the help, and for commander's
 * suggestions).
 */
export async function buildProgram(
  output: CommandOutput,
  setExit: (code: number) => void,
  argv: readonly string[] = process.argv,
): Promise<Command> {
  const program = new Command('cadre')
    .description(
      'Run an org chart of Claude agents: YAML hierarchy, A2A messages, MCP tools, escalation.',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => output.out(text.replace(/\n$/, '')),
      writeErr: (text) => output.error(text.replace(/\n$/, '')),
    });
  const named = argv[2];
  const only = commandModules.find(([names]) => named !== undefined && names.includes(named));
  const versionOnly = named === '-V' || named === '--version';
  const wanted = versionOnly ? [] : only ? [only] : commandModules;
  const registrations = await Promise.all(wanted.map(([, load]) => load()));
  for (const register of registrations) register(program, output, setExit);
  program.addHelpText(
    'after',
    '\nExamples:\n  $ cadre validate agents/\n  $ cadre tree agents/esa --format json\n  $ cadre export claude-code agents/esa --out .claude --mcp-json .mcp.json',
  );
  return program;
}
