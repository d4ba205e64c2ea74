import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorResult, textResult } from '../shared/tool-result.js';
import { runCappedStatement } from './capped-query.js';
import { describeDatabaseError } from './database-error.js';
import {
  flattenPlan,
  formatPlanSummary,
  formatPlanTree,
  seqScanTables,
  summarizePlan,
} from './plan-summary.js';
import { checkExplainTarget } from './statement-check.js';
import { grantRefusal } from './tool-context.js';
import type { PsqlToolContext } from './tool-context.js';

/** Input of the `explain` tool. */
export const ExplainInput = {
  sql: z
    .string()
    .max(100_000)
    .describe(
      'one statement to plan, without EXPLAIN: SELECT, WITH, VALUES or TABLE (INSERT, UPDATE, DELETE or MERGE only without analyze)',
    ),
  analyze: z
    .boolean()
    .optional()
    .describe(
      'run it (EXPLAIN ANALYZE) for actual times and rows; still read-only and rolled back',
    ),
  buffers: z.boolean().optional().describe('add buffer usage (EXPLAIN BUFFERS)'),
  largeTableRows: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('report seq scans on tables with at least this many estimated rows (default 1000)'),
};

/** Default threshold for reporting a sequential scan as a scan of a large table. */
export const defaultLargeTableRows = 1000;

/** Plans (or, with analyze, runs) one statement and summarizes the plan. */
export async function runExplain(
  context: PsqlToolContext,
  input: {
    sql: string;
    analyze?: boolean | undefined;
    buffers?: boolean | undefined;
    largeTableRows?: number | undefined;
  },
): Promise<CallToolResult> {
  const refusal = grantRefusal(context, 'explain', 'read');
  if (refusal) return errorResult(refusal);
  const analyze = input.analyze === true;
  const check = checkExplainTarget(input.sql, analyze);
  if (!check.allowed) return errorResult(check.reason);
  const largeTableRows = input.largeTableRows ?? defaultLargeTableRows;
  const options = ['FORMAT JSON', 'VERBOSE', ...(analyze ? ['ANALYZE'] : [])];
  if (input.buffers === true) options.push('BUFFERS');
  const prefix = `EXPLAIN (${options.join(', ')}) `;
  try {
    const { plan, tableRows } = await context.database.readOnly(async (client) => {
      const result = await runCappedStatement(client, prefix + input.sql, 10);
      const plan = result.rows[0]?.[0];
      const tables = seqScanTables(plan);
      const tableRows = new Map<string, number>();
      if (tables.length > 0) {
        const sizes = await client.query<{ schema: string; name: string; rows: number }>(
          `SELECT n.nspname AS schema, c.relname AS name, c.reltuples::float8 AS rows
             FROM unnest($1::text[], $2::text[]) AS wanted(schema, name)
             JOIN pg_catalog.pg_namespace n ON n.nspname = wanted.schema
             JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = wanted.name`,
          [tables.map((table) => table.schema), tables.map((table) => table.name)],
        );
        for (const row of sizes.rows) tableRows.set(`${row.schema}.${row.name}`, Number(row.rows));
      }
      return { plan, tableRows };
    });
    const summary = summarizePlan(plan, tableRows, largeTableRows);
    const text = [
      formatPlanSummary(summary, largeTableRows),
      '',
      `plan (EXPLAIN ${options.join(', ')}${analyze ? '; the statement ran in a read-only transaction that was rolled back' : ''}):`,
      formatPlanTree(flattenPlan(plan)),
    ].join('\n');
    return textResult(text, { summary, plan });
  } catch (error) {
    return errorResult(
      describeDatabaseError(error, {
        sql: input.sql,
        offset: prefix.length,
        timeoutMs: context.timeoutMs,
        role: context.role,
      }),
    );
  }
}

/** Registers `explain` (read grant): read-only even with ANALYZE (rolled back). */
export function registerExplainTool(server: McpServer, context: PsqlToolContext): void {
  server.registerTool(
    'explain',
    {
      title: 'Explain a statement’s plan',
      description:
        'EXPLAIN (FORMAT JSON) of one statement, optionally with ANALYZE and BUFFERS (ANALYZE runs it inside a read-only transaction that is rolled back). Returns the plan and a summary: total cost, execution time, the slowest node, seq scans on large tables and row-estimate misses (10× or more).',
      inputSchema: ExplainInput,
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async (input) => runExplain(context, input),
  );
}
