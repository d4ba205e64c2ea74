import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorResult, textResult } from '../shared/tool-result.js';
import { describeDatabaseError } from './database-error.js';
import { formatTable, jsonRows } from './result-table.js';
import { checkExecuteStatement } from './statement-check.js';
import { grantRefusal } from './tool-context.js';
import type { PsqlToolContext } from './tool-context.js';

/** Input of the `execute` tool. */
export const ExecuteInput = {
  sql: z
    .string()
    .max(1_000_000)
    .describe(
      'exactly one statement: a write or DDL (CREATE INDEX CONCURRENTLY works); roles, privileges and settings need the admin grant',
    ),
};

/** Runs one statement outside any transaction block; it commits when it succeeds. */
export async function runExecute(
  context: PsqlToolContext,
  input: { sql: string },
): Promise<CallToolResult> {
  const refusal = grantRefusal(context, 'execute', 'write');
  if (refusal) return errorResult(refusal);
  const check = checkExecuteStatement(input.sql, context.grant);
  if (!check.allowed) return errorResult(check.reason);
  try {
    const { result, columns } = await context.database.autocommitStatement(
      input.sql,
      context.maxRows,
    );
    const command = result.command ?? check.keyword;
    const lines = [
      `done: ${command}${result.rowCount === undefined ? '' : ` (${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'})`}`,
    ];
    if (columns.length > 0) {
      lines.push(
        formatTable(
          columns.map((column) => column.name),
          result.rows,
          result.truncated
            ? `truncated: only the first ${context.maxRows} rows are shown`
            : undefined,
        ),
      );
    }
    if (check.keyword === 'SET' || check.keyword === 'RESET') {
      lines.push(
        'note: the connection is reset (DISCARD ALL) after every call, so this lasted only for this call; persist a setting with ALTER ROLE … SET or ALTER DATABASE … SET',
      );
    }
    return textResult(lines.join('\n'), {
      command,
      rowCount: result.rowCount ?? null,
      columns,
      rows: jsonRows(result.rows),
      truncated: result.truncated,
    });
  } catch (error) {
    let message = describeDatabaseError(error, {
      sql: input.sql,
      timeoutMs: context.timeoutMs,
      role: context.role,
    });
    if (/\bconcurrently\b/i.test(input.sql) && /\bindex\b/i.test(input.sql)) {
      message +=
        '\nnote: an interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index behind; drop it with DROP INDEX CONCURRENTLY before trying again';
    }
    return errorResult(message);
  }
}

/** Registers `execute` (write grant): changes data and schema, and cannot be undone. */
export function registerExecuteTool(server: McpServer, context: PsqlToolContext): void {
  server.registerTool(
    'execute',
    {
      title: 'Execute a write or DDL statement',
      description: `Runs exactly one statement outside any transaction block (so CREATE INDEX CONCURRENTLY and VACUUM work); it commits when it succeeds and cannot be undone. ${context.timeoutMs} ms statement timeout. ${
        context.grant === 'admin'
          ? 'Admin grant: roles, privileges, settings and COPY to or from server files are allowed.'
          : 'Roles, privileges, settings (SET, ALTER SYSTEM) and COPY to or from server files need the admin grant.'
      } COPY … PROGRAM and file, program or network functions are never allowed.`,
      inputSchema: ExecuteInput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async (input) => runExecute(context, input),
  );
}
