import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CadreError } from '../../src/errors.js';
import type { Grant } from '../../src/org/agent-schema.js';
import { grantCovers } from '../../src/org/tool-catalog.js';
import { redactSecrets } from '../shared/redact.js';
import { registerDescribeTool } from './describe-tool.js';
import { registerExecuteTool } from './execute-tool.js';
import { registerExplainTool } from './explain-tool.js';
import { registerHealthTool } from './health-tool.js';
import { PsqlDatabase } from './psql-database.js';
import { registerQueryTool } from './query-tool.js';
import type { PsqlToolContext } from './tool-context.js';

/** Options of the psql MCP server. */
export interface PsqlServerOptions {
  /** A real postgres:// URL (already resolved from `env:NAME`). */
  url: string;
  grant: Grant;
  /** statement_timeout of every statement, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** The most rows a statement returns (default 500). */
  maxRows?: number;
  /** Connections in the pool (default 4). */
  poolSize?: number;
}

/** The defaults of the psql server's limits. */
export const psqlDefaults = { timeoutMs: 5000, maxRows: 500, poolSize: 4 } as const;

/** A running psql MCP server, not yet connected to a transport. */
export interface PsqlServer {
  server: McpServer;
  /** Closes the MCP server and every database connection. */
  close(): Promise<void>;
  /** What the operator should know: the role it runs as, and warnings. */
  startupNotes: string[];
}

function checkedLimit(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CadreError({
      code: 'psql-option-invalid',
      message: `psql: ${name} must be a whole number from ${min} to ${max}, not ${value}`,
      hint: `give ${name} within ${min}…${max}`,
    });
  }
  return value;
}

/**
 * Registers the psql tools the context's grant gives: `query`, `explain`, `describe` and
 * `health`, and `execute` from the write grant on. Registering touches no database.
 */
export function registerPsqlTools(server: McpServer, context: PsqlToolContext): void {
  registerQueryTool(server, context);
  registerExplainTool(server, context);
  registerDescribeTool(server, context);
  registerHealthTool(server, context);
  if (grantCovers(context.grant, 'write')) registerExecuteTool(server, context);
}

/**
 * Creates the psql MCP server over a pg pool: `query`, `explain`, `describe` and `health` at
 * every grant, `execute` from the write grant on. Connects once to learn the role it runs as
 * (and warns when that role is a superuser); throws a CadreError when it cannot connect.
 */
export async function createPsqlServer(options: PsqlServerOptions): Promise<PsqlServer> {
  const timeoutMs = checkedLimit(
    'timeoutMs',
    options.timeoutMs ?? psqlDefaults.timeoutMs,
    100,
    3_600_000,
  );
  const maxRows = checkedLimit('maxRows', options.maxRows ?? psqlDefaults.maxRows, 1, 100_000);
  const poolSize = checkedLimit('poolSize', options.poolSize ?? psqlDefaults.poolSize, 1, 100);
  const database = new PsqlDatabase({
    url: options.url,
    grant: options.grant,
    timeoutMs,
    poolSize,
  });
  let identity;
  try {
    identity = await database.identity();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new CadreError({
      code: 'psql-connect-failed',
      message: `psql: could not connect: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
      hint: 'check --url (postgres://user@host:port/database, or env:NAME) and that the server is running',
      cause: error,
    });
  }

  const startupNotes = [
    `connected as ${identity.role} to database ${identity.database} (PostgreSQL ${identity.serverVersion}) with the ${options.grant} grant`,
  ];
  if (identity.superuser) {
    startupNotes.push(
      `warning: ${identity.role} is a superuser. Read-only transactions do not stop a superuser from everything (reading server files, changing settings, stopping sessions); cadre's statement checks are a second line of defense, not a sandbox. Use a dedicated non-superuser role: CREATE ROLE cadre_reader LOGIN; GRANT pg_read_all_data, pg_monitor TO cadre_reader;`,
    );
  }
  if (grantCovers(options.grant, 'write')) {
    startupNotes.push(
      `${options.grant} grant: execute runs writes and DDL outside a transaction; they commit and cannot be undone`,
    );
  }

  const context: PsqlToolContext = {
    database,
    grant: options.grant,
    timeoutMs,
    maxRows,
    role: identity.role,
  };
  const server = new McpServer(
    { name: 'cadre-psql', version: '0.1.0' },
    {
      instructions:
        'PostgreSQL through cadre: query runs one read-only statement; explain shows a plan with a summary; describe lists schemas, tables, columns, indexes and constraints; health reports hit ratios, scans, unused and duplicate indexes, bloat, locks and top queries.' +
        (grantCovers(options.grant, 'write') ? ' execute runs one write or DDL statement.' : ''),
    },
  );
  registerPsqlTools(server, context);

  // Closing the server closes its transport, whose close handler calls close again: the
  // promise is in place before any of that runs, so the second call just waits for the first.
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closing) return closing;
    let finish!: () => void;
    closing = new Promise<void>((resolve) => {
      finish = resolve;
    });
    void (async () => {
      await server.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      finish();
    })();
    return closing;
  };
  return { server, startupNotes, close };
}
