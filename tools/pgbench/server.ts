import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CadreError } from '../../src/errors.js';
import type { Grant } from '../../src/org/agent-schema.js';
import { Identifier } from '../../src/org/agent-schema.js';
import { grantCovers } from '../../src/org/tool-catalog.js';
import { pgbenchConnection } from './connection-arguments.js';
import { errorResult } from '../shared/tool-result.js';
import { findPgbench } from './find-pgbench.js';
import { InFlightCalls } from './in-flight-calls.js';
import { initDescription, initTool } from './init-tool.js';
import { PgbenchRunner } from './pgbench-runner.js';
import { InitInput, runInputSchema } from './run-input.js';
import type { PgbenchToolContext } from './run-tool.js';
import { runDescription, runTool, startupAllowanceMs } from './run-tool.js';
import { connectionHeadroom, probeTarget } from './target-probe.js';

/** Options of the pgbench MCP server. */
export interface PgbenchServerOptions {
  /** The target's connection URL, already resolved (a real URL, not `env:NAME`). */
  url: string;
  grant: Grant;
  /** Wall-clock limit of any pgbench child (default: maxSeconds + 10 s). */
  timeoutMs?: number;
  /** The pgbench binary; default: found on PATH. */
  pgbenchPath?: string;
  /** Longest benchmark duration accepted, in seconds (default 60). */
  maxSeconds?: number;
  /** The org's name for the target this URL reaches (default `postgres`). */
  target?: string;
  /** Names of the org's targets; a request naming another is refused (default: [target]). */
  allowedTargets?: string[];
  /** Time between SIGTERM and SIGKILL for an overrunning child (default 2000 ms). */
  killGraceMs?: number;
}

/** A started pgbench MCP server. */
export interface PgbenchServer {
  server: McpServer;
  /** Stops any running pgbench child and closes the server. */
  close(): Promise<void>;
  /** pgbench's version, the target, and warnings (superuser role, missing tables). */
  startupNotes: string[];
}

/** Default of `maxSeconds`. */
export const defaultMaxSeconds = 60;
/** Highest `maxSeconds` accepted. */
export const maxMaxSeconds = 3600;

function optionError(message: string, hint: string): CadreError {
  return new CadreError({ code: 'pgbench-option-invalid', message, hint });
}

/**
 * Registers the pgbench tools the context's grant gives: `run` (every grant) and `init` (write).
 * Registering runs nothing.
 */
export function registerPgbenchTools(server: McpServer, context: PgbenchToolContext): void {
  const canWrite = grantCovers(context.grant, 'write');
  /** A handler whose calls closing waits for, and which refuses to start once closing began. */
  const tracked =
    <Input>(handler: (input: Input, extra: { signal: AbortSignal }) => Promise<CallToolResult>) =>
    (input: Input, extra: { signal: AbortSignal }): Promise<CallToolResult> =>
      context.calls.closed
        ? Promise.resolve(errorResult('the pgbench server is shutting down; nothing was run'))
        : context.calls.track(() => handler(input, extra));

  server.registerTool(
    'run',
    {
      title: 'Run a pgbench benchmark',
      description: runDescription(context.grant, context.maxSeconds),
      inputSchema: runInputSchema(context.maxSeconds),
      annotations: {
        readOnlyHint: !canWrite,
        destructiveHint: canWrite,
        idempotentHint: !canWrite,
        openWorldHint: false,
      },
    },
    tracked(runTool(context)),
  );
  if (canWrite) {
    server.registerTool(
      'init',
      {
        title: 'Create the pgbench tables',
        description: initDescription,
        inputSchema: InitInput,
        annotations: {
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: true,
          openWorldHint: false,
        },
      },
      tracked(initTool(context)),
    );
  }
}

/**
 * Creates the pgbench MCP server: checks the pgbench binary and its version, connects once to
 * the target, and registers `run` (every grant; read: select-only or read-only scripts) and
 * `init` (write grant). Throws a CadreError when pgbench is missing or the target is unreachable.
 */
export async function createPgbenchServer(options: PgbenchServerOptions): Promise<PgbenchServer> {
  const maxSeconds = options.maxSeconds ?? defaultMaxSeconds;
  if (!Number.isInteger(maxSeconds) || maxSeconds < 1 || maxSeconds > maxMaxSeconds) {
    throw optionError(
      `maxSeconds must be a whole number from 1 to ${maxMaxSeconds}; got ${maxSeconds}`,
      'pass --max-seconds 60',
    );
  }
  const timeoutMs = options.timeoutMs ?? maxSeconds * 1000 + startupAllowanceMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw optionError(
      `timeoutMs must be a positive number of milliseconds; got ${timeoutMs}`,
      'pass --timeout-ms 70000',
    );
  }
  const killGraceMs = options.killGraceMs ?? 2000;
  const target = options.target ?? 'postgres';
  const allowedTargets = options.allowedTargets ?? [target];
  for (const name of [target, ...allowedTargets]) {
    if (!Identifier.safeParse(name).success) {
      throw optionError(
        `'${name}' is not a target name`,
        'target names are kebab-case ids such as postgres or orders-db',
      );
    }
  }
  if (!allowedTargets.includes(target)) {
    throw optionError(
      `the target '${target}' is not among the allowed targets (${allowedTargets.join(', ')})`,
      'name the server target in --allowed-targets, or leave that option out',
    );
  }

  const connection = pgbenchConnection(options.url);
  const binary = await findPgbench(options.pgbenchPath);
  const facts = await probeTarget(options.url, Math.min(timeoutMs, 10_000));

  const startupNotes = [
    `${binary.versionText} at ${binary.path}`,
    `target '${target}': ${connection.description} as role ${facts.user} (PostgreSQL ${facts.serverVersion}), grant ${options.grant}, runs bounded to ${maxSeconds} s`,
  ];
  if (facts.superuser) {
    startupNotes.push(
      `warning: role ${facts.user} is a superuser; give pgbench a role with only the rights it needs`,
    );
  }
  startupNotes.push(
    facts.initialised
      ? `pgbench tables present at scale ${facts.scale ?? 'unknown'}`
      : 'pgbench tables not found: call init (write grant) before running the built-in scripts',
  );
  const serverMajor = Number(/^[0-9]+/.exec(facts.serverVersion)?.[0]);
  if (binary.major !== undefined && binary.major !== serverMajor) {
    startupNotes.push(
      `note: pgbench ${binary.major} against PostgreSQL ${facts.serverVersion}; results may differ from a matching pgbench`,
    );
  }
  if (binary.major !== undefined && binary.major < 15) {
    startupNotes.push(
      'note: pgbench before 15 does not report failed transactions in its summary; they are counted from the logs',
    );
  }
  if (connection.ignoredParameters.length > 0) {
    startupNotes.push(
      `note: URL parameters pgbench cannot use were ignored: ${connection.ignoredParameters.join(', ')}`,
    );
  }

  const runner = new PgbenchRunner(binary, connection, killGraceMs);
  const context: PgbenchToolContext = {
    runner,
    grant: options.grant,
    scope: { target, allowedTargets },
    maxSeconds,
    timeoutMs,
    calls: new InFlightCalls(),
    headroom: () => connectionHeadroom(options.url, Math.min(timeoutMs, 10_000)),
  };
  const server = new McpServer({ name: 'cadre-pgbench', version: '0.1.0' });
  registerPgbenchTools(server, context);

  let closing: Promise<void> | undefined;
  return {
    server,
    startupNotes,
    close: () => {
      closing ??= (async () => {
        // Refuse new calls, stop the running child, and let its call remove its files.
        const settled = context.calls.close();
        await runner.stop();
        await settled;
        await server.close();
      })();
      return closing;
    },
  };
}
