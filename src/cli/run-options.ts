import type { Command } from 'commander';
import { parseTimeScale } from './time-scale-option.js';

/** The options `cadre run` and `cadre chat` share: org, entry agent, model, tools, time scale, output. */
export interface RunLikeOptions {
  org: string;
  to?: string;
  model?: string;
  tools?: string;
  timeScale?: number;
  json?: boolean;
  rehearsalLog?: string;
}

/** Adds the options `cadre run` and `cadre chat` share to a command. */
export function addRunOptions(command: Command): Command {
  return command
    .option('--org <dir>', 'the org folder', 'agents/esa')
    .option('--to <agent>', 'the entry agent (default: the org’s root)')
    .option(
      '--model <model>',
      'rehearsal[:script.yaml] (no tokens), auto (rehearsal without ANTHROPIC_API_KEY), or a model id for every agent (default: CADRE_MODEL, else each agent’s own)',
    )
    .option(
      '--tools <mode>',
      'live (the org’s real databases and MCP servers) or rehearsal (answers what would have run); default: rehearsal with a rehearsal model, else live',
    )
    .option(
      '--time-scale <n>',
      'run the clock n times faster, so that waits of minutes pass in seconds (an escalation drill)',
      parseTimeScale,
    )
    .option(
      '--json',
      'print the events as NDJSON, one per line; the last of each run is run-end with the answer',
    )
    .option(
      '--rehearsal-log <file>',
      "in a rehearsal, write the fake API server's request log (times, agent, status, body) to this file",
    );
}
