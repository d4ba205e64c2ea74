import { Command } from 'commander';
import type { CommandOutput } from './output.js';
import { registerChat } from './chat-command.js';
import { registerExport } from './export-command.js';
import { registerInit } from './init-command.js';
import { registerMcp } from './mcp-command.js';
import { registerMetrics } from './metrics-command.js';
import { registerTool } from './tool-command.js';
import { registerEscalations } from './escalations-command.js';
import { registerResume } from './resume-command.js';
import { registerRun } from './run-command.js';
import { registerRuns } from './runs-command.js';
import { registerShow } from './show-command.js';
import { registerTree } from './tree-command.js';
import { registerValidate } from './validate-command.js';

/** Builds the `cadre` command line; commands report their exit code through `setExit`. */
export function buildProgram(output: CommandOutput, setExit: (code: number) => void): Command {
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
  registerInit(program, output, setExit);
  registerValidate(program, output, setExit);
  registerTree(program, output, setExit);
  registerExport(program, output, setExit);
  registerRun(program, output, setExit);
  registerChat(program, output, setExit);
  registerRuns(program, output, setExit);
  registerShow(program, output, setExit);
  registerEscalations(program, output, setExit);
  registerResume(program, output, setExit);
  registerTool(program, output, setExit);
  registerMetrics(program, output, setExit);
  registerMcp(program, output, setExit);
  program.addHelpText(
    'after',
    '\nExamples:\n  $ cadre validate agents/\n  $ cadre tree agents/esa --format json\n  $ cadre export claude-code agents/esa --out .claude --mcp-json .mcp.json',
  );
  return program;
}
