import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { CadreError } from '../errors.js';
import type { DatabaseTools } from '../mcp-server/database-tool-catalog.js';
import { planHttpAccess } from '../mcp-server/http-access.js';
import { parseHttpAddress } from '../mcp-server/http-address.js';
import { databaseToolScopeOf, openDatabaseTools } from '../mcp-server/open-database-tools.js';
import { defaultMaxSessions, serveHttp } from '../mcp-server/serve-http.js';
import { serveStdio } from '../mcp-server/serve-stdio.js';
import type { CadreMcpContext } from '../mcp-server/server-context.js';
import { SessionHub } from '../mcp-server/session-hub.js';
import { openRuntime } from './open-runtime.js';
import type { CommandOutput } from './output.js';
import { parseTimeScale } from './time-scale-option.js';
import { parseDuration } from '../org/duration.js';

/** Options of `cadre mcp`. */
export interface McpCommandOptions {
  org: string;
  to?: string;
  model?: string;
  toolMode?: string;
  tools?: boolean | string;
  timeScale?: number;
  http?: string;
  allowedHost?: string[];
  allowedOrigin?: string[];
  sessionIdle?: number;
  maxSessions?: number;
}

/** Resolves on SIGINT or SIGTERM (the client or the person stopping the server). */
function stopSignal(): { stopped: Promise<void>; release: () => void } {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    stopped,
    release: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/**
 * Serves one org as an MCP server, over stdio (stdout carries only the protocol; notes go to
 * stderr) or over Streamable HTTP; resolves to the exit code once the client goes away or the
 * server is stopped. Unsafe HTTP settings are refused before anything starts.
 */
export async function runMcp(
  options: McpCommandOptions,
  output: CommandOutput,
  version: string,
): Promise<number> {
  const address = options.http === undefined ? undefined : parseHttpAddress(options.http);
  const access = address
    ? planHttpAccess(address, {
        ...(process.env.CADRE_MCP_TOKEN === undefined
          ? {}
          : { token: process.env.CADRE_MCP_TOKEN }),
        allowedHosts: options.allowedHost ?? [],
        allowedOrigins: options.allowedOrigin ?? [],
      })
    : undefined;
  const scope = databaseToolScopeOf(options.tools);
  // stdout is the protocol channel over stdio: everything a person reads goes to stderr.
  const notes: CommandOutput = { out: output.error, error: output.error };
  const opened = await openRuntime(
    'mcp',
    {
      org: options.org,
      model: options.model ?? (process.env.CADRE_MODEL || 'auto'),
      ...(options.toolMode === undefined ? {} : { tools: options.toolMode }),
      ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    },
    notes,
  );
  if (!opened) return 1;
  const signal = stopSignal();
  let databaseTools: DatabaseTools | undefined;
  try {
    const { org } = opened;
    const entry = options.to ?? org.root;
    if (!org.agents.some((agent) => agent.id === entry)) {
      throw new CadreError({
        code: 'unknown-agent',
        message: `--to '${entry}' is not an agent of org '${org.name}'`,
        hint: `choose one of ${org.agents.map((agent) => agent.id).join(', ')}`,
      });
    }
    if (scope) databaseTools = await openDatabaseTools(org, opened.toolHost, scope, entry);
    const context: CadreMcpContext = {
      org,
      runtime: opened.runtime,
      entry,
      rehearsal: opened.chosen.mode === 'rehearsal',
      toolMode: opened.tools,
      ...(databaseTools ? { databaseTools } : {}),
      sessions: new SessionHub(),
      runSettings: opened.settings,
      version,
    };
    const served = [
      `org '${org.name}' (${org.agents.length} agents, entry ${entry})`,
      opened.chosen.mode === 'rehearsal'
        ? `rehearsal${opened.chosen.script ? ` (script ${opened.chosen.script})` : ''}: no tokens are spent`
        : 'models on the Anthropic API',
      `agents' tools ${opened.tools}`,
      databaseTools
        ? `${databaseTools.tools.length} database tools (${databaseTools.scope === 'org' ? "every agent's, each call at its agent's grant" : `${entry}'s`})`
        : 'no database tools (add --tools)',
    ].join(' · ');
    if (!address || !access) {
      output.error(`cadre mcp: serving ${served} over stdio`);
      const stdio = await serveStdio(context);
      await Promise.race([stdio.closed, signal.stopped]);
      await stdio.close();
      return 0;
    }
    const http = await serveHttp(context, address, access, {
      ...(options.sessionIdle === undefined ? {} : { sessionIdleMs: options.sessionIdle }),
      ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
    });
    output.error(
      `cadre mcp: serving ${served} at ${http.url}${access.token ? ' (bearer token required)' : ''}`,
    );
    await signal.stopped;
    await http.close();
    return 0;
  } finally {
    signal.release();
    await opened.close();
  }
}

/** `--session-idle`: a duration such as 30m, 90s or 1h, more than zero. */
function parseSessionIdle(value: string): number {
  const milliseconds = parseDuration(value);
  if (milliseconds === undefined || milliseconds <= 0)
    throw new InvalidArgumentError(
      `'${value}' is not a duration above zero: write it as 30m, 90s, 1h or 1h30m`,
    );
  return milliseconds;
}

/** `--max-sessions`: a whole number from 1 to 10,000. */
function parseMaxSessions(value: string): number {
  const sessions = Number(value);
  if (!/^\d+$/.test(value) || sessions < 1 || sessions > 10_000)
    throw new InvalidArgumentError(`'${value}' is not a whole number from 1 to 10000`);
  return sessions;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Registers `cadre mcp`. */
export function registerMcp(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('mcp')
    .description(
      'serve the org as an MCP server (stdio, or Streamable HTTP with --http): run_task, ask_agent, runs, escalations, agents as prompts',
    )
    .option('--org <dir>', 'the org folder', 'agents/esa')
    .option('--to <agent>', 'the entry agent of run_task (default: the org’s root)')
    .option(
      '--model <model>',
      'rehearsal[:script.yaml], auto, or a model id for every agent (default: CADRE_MODEL, else auto: a rehearsal without ANTHROPIC_API_KEY)',
    )
    .option(
      '--tools [scope]',
      "also serve the org's database tools (psql__query…): every agent's, each call acting for one agent at its grant (default), or 'entry' for the entry agent's only",
    )
    .option(
      '--tool-mode <mode>',
      'live (real databases) or rehearsal (answers what would have run); default: rehearsal with a rehearsal model, else live',
    )
    .option(
      '--time-scale <n>',
      'run the clock n times faster (an escalation drill)',
      parseTimeScale,
    )
    .option(
      '--http <address>',
      'serve Streamable HTTP at http://<address>/mcp instead of stdio: a port (on 127.0.0.1) or host:port; other than loopback needs CADRE_MCP_TOKEN',
    )
    .option(
      '--allowed-host <name>',
      'a Host name clients use (repeatable), besides localhost and the listening address',
      collect,
    )
    .option(
      '--allowed-origin <origin>',
      'a browser Origin allowed (repeatable), besides those on allowed host names',
      collect,
    )
    .option(
      '--session-idle <duration>',
      'with --http: end a session nobody has used for this long (no request, no open stream), such as 30m (the default) or 90s',
      parseSessionIdle,
    )
    .option(
      '--max-sessions <n>',
      `with --http: the most sessions at once, opening ones included (default ${defaultMaxSessions})`,
      parseMaxSessions,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre mcp --org agents/esa --tools\n  $ cadre mcp --org agents/heir --model rehearsal\n  $ cadre mcp --org agents/esa --http 7337\n  $ CADRE_MCP_TOKEN=$(openssl rand -hex 32) cadre mcp --org agents/esa --http 10.0.0.5:7337',
    )
    .action(async (options: McpCommandOptions) => {
      try {
        setExit(await runMcp(options, output, program.version() ?? '0.0.0'));
      } catch (error) {
        if (!(error instanceof CadreError)) throw error;
        output.error(`cadre mcp: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
        setExit(1);
      }
    });
}
