import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorResult, textResult } from '../shared/tool-result.js';
import { describeDatabaseError } from './database-error.js';
import { formatTable, jsonRows } from './result-table.js';
import { checkReadStatement } from './statement-check.js';
import { grantRefusal } from './tool-context.js';
import type { PsqlToolContext } from './tool-context.js';

/** Input of the `query` tool. */
export const QueryInput = {
  sql: z
    .string()
    .max(100_000)
    .describe(
      'exactly one read statement: SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN (no second statement, no transaction control)',
    ),
  maxRows: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('return at most this many rows (at most the server’s cap)'),
};

/** Runs one read statement in a read-only transaction that is always rolled back. */
export async function runQuery(
  context: PsqlToolContext,
  input: { sql: string; maxRows?: number | undefined },
): Promise<CallToolResult> {
  const refusal = grantRefusal(context, 'query', 'read');
  if (refusal) return errorResult(refusal);
  const check = checkReadStatement(input.sql);
  if (!check.allowed) return errorResult(check.reason);
  const cap = Math.min(input.maxRows ?? context.maxRows, context.maxRows);
  try {
    const { result, columns } = await context.database.readOnlyStatement(input.sql, cap);
    const rows = jsonRows(result.rows);
    const footer = result.truncated
      ? `truncated: the statement returned more than ${cap} rows and only the first ${cap} are shown; add a WHERE clause, LIMIT or an aggregate`
      : undefined;
    // The table is drawn from the JSON values: jsonValue gives the same value applied twice.
    const text = formatTable(
      columns.map((column) => column.name),
      rows,
      footer,
    );
    return textResult(text, {
      command: result.command ?? check.keyword,
      columns,
      rows,
      rowCount: rows.length,
      truncated: result.truncated,
    });
  } catch (error) {
    return errorResult(
      describeDatabaseError(error, {
        sql: input.sql,
        timeoutMs: context.timeoutMs,
        role: context.role,
      }),
    );
  }
}

/** Registers `query` (read grant): read-only, idempotent. */
export function registerQueryTool(server: McpServer, context: PsqlToolContext): void {
  server.registerTool(
    'query',
    {
      title: 'Run one read-only SQL statement',
      description: `Runs exactly one read statement (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN) in a read-only transaction that is always rolled back, with a ${context.timeoutMs} ms statement timeout and a cap of ${context.maxRows} rows. Returns an aligned text table and JSON (columns, rows, rowCount, truncated). Writes, transaction control, row locks and file, network or settings functions are refused.`,
      inputSchema: QueryInput,
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async (input) => runQuery(context, input),
  );
}
