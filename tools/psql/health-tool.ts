import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type pg from 'pg';
import { z } from 'zod';
import { redactSecrets } from '../shared/redact.js';
import { errorResult, textResult } from '../shared/tool-result.js';
import { describeDatabaseError } from './database-error.js';
import { formatTable } from './result-table.js';
import { grantRefusal } from './tool-context.js';
import type { PsqlToolContext } from './tool-context.js';

/** Input of the `health` tool. */
export const HealthInput = {
  longRunningSeconds: z
    .number()
    .positive()
    .max(86_400)
    .optional()
    .describe('report queries running longer than this many seconds (default 60)'),
  limit: z.number().int().min(1).max(100).optional().describe('rows per list (default 10)'),
};

/** What `health` says when pg_stat_statements is missing. */
export const pgStatStatementsMissing =
  'pg_stat_statements is not installed: add it to shared_preload_libraries and CREATE EXTENSION pg_stat_statements';

type Row = Record<string, unknown>;

/** One section's rows, or why it could not be read (other sections still are). */
type Section = { ok: true; rows: Row[] } | { ok: false; error: string };

async function section(
  client: pg.ClientBase,
  text: string,
  values: unknown[] = [],
): Promise<Section> {
  await client.query('SAVEPOINT health_section');
  try {
    const result = await client.query<Row>(text, values);
    await client.query('RELEASE SAVEPOINT health_section');
    return { ok: true, rows: result.rows };
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT health_section');
    return {
      ok: false,
      error: redactSecrets(error instanceof Error ? error.message : String(error)),
    };
  }
}

const toNumber = (value: unknown): number | null =>
  value === null || value === undefined || Number.isNaN(Number(value)) ? null : Number(value);

function ratio(hit: unknown, read: unknown): number | null {
  const hits = toNumber(hit) ?? 0;
  const total = hits + (toNumber(read) ?? 0);
  return total === 0 ? null : Math.round((hits / total) * 10_000) / 10_000;
}

const percent = (value: number | null) =>
  value === null ? 'no data yet' : `${(value * 100).toFixed(2)}%`;

const queries = {
  cache: `SELECT
      (SELECT blks_hit FROM pg_catalog.pg_stat_database WHERE datname = current_database()) AS db_hit,
      (SELECT blks_read FROM pg_catalog.pg_stat_database WHERE datname = current_database()) AS db_read,
      (SELECT sum(heap_blks_hit) FROM pg_catalog.pg_statio_user_tables) AS heap_hit,
      (SELECT sum(heap_blks_read) FROM pg_catalog.pg_statio_user_tables) AS heap_read,
      (SELECT sum(idx_blks_hit) FROM pg_catalog.pg_statio_user_indexes) AS idx_hit,
      (SELECT sum(idx_blks_read) FROM pg_catalog.pg_statio_user_indexes) AS idx_read,
      (SELECT sum(idx_scan) FROM pg_catalog.pg_stat_user_tables) AS idx_scans,
      (SELECT sum(seq_scan) FROM pg_catalog.pg_stat_user_tables) AS seq_scans`,
  tableScans: `SELECT schemaname AS schema, relname AS table, seq_scan, seq_tup_read, idx_scan, n_live_tup
      FROM pg_catalog.pg_stat_user_tables
     ORDER BY seq_scan DESC NULLS LAST, seq_tup_read DESC NULLS LAST LIMIT $1`,
  unusedIndexes: `SELECT s.schemaname AS schema, s.relname AS table, s.indexrelname AS index,
           pg_catalog.pg_relation_size(s.indexrelid) AS bytes,
           pg_catalog.pg_size_pretty(pg_catalog.pg_relation_size(s.indexrelid)) AS size
      FROM pg_catalog.pg_stat_user_indexes s JOIN pg_catalog.pg_index i ON i.indexrelid = s.indexrelid
     WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
     ORDER BY pg_catalog.pg_relation_size(s.indexrelid) DESC, 1, 2, 3 LIMIT $1`,
  duplicateIndexes: `SELECT n.nspname AS schema, t.relname AS table,
           array_agg(ic.relname::text ORDER BY ic.relname) AS indexes,
           min(pg_catalog.pg_get_indexdef(i.indexrelid)) AS definition
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
     GROUP BY n.nspname, t.relname, i.indrelid, ic.relam, i.indkey::text,
              coalesce(pg_catalog.pg_get_expr(i.indexprs, i.indrelid), ''),
              coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), '')
    HAVING count(*) > 1
     ORDER BY 1, 2 LIMIT $1`,
  bloat: `SELECT schemaname AS schema, relname AS table, n_live_tup, n_dead_tup,
           round(n_dead_tup::numeric / nullif(n_live_tup + n_dead_tup, 0), 4) AS dead_ratio,
           last_autovacuum, last_vacuum
      FROM pg_catalog.pg_stat_user_tables
     WHERE n_dead_tup > 0
     ORDER BY n_dead_tup DESC LIMIT $1`,
  longRunning: `SELECT pid, usename AS user, datname AS database, state,
           round(extract(epoch FROM clock_timestamp() - query_start)::numeric, 1) AS seconds,
           wait_event_type, wait_event, left(query, 300) AS query
      FROM pg_catalog.pg_stat_activity
     WHERE state IS DISTINCT FROM 'idle' AND pid <> pg_catalog.pg_backend_pid()
       AND backend_type = 'client backend'
       AND query_start < clock_timestamp() - make_interval(secs => $1)
     ORDER BY query_start LIMIT $2`,
  blocked: `SELECT pid, pg_catalog.pg_blocking_pids(pid) AS blocked_by, usename AS user,
           wait_event_type, wait_event,
           round(extract(epoch FROM clock_timestamp() - query_start)::numeric, 1) AS seconds,
           left(query, 300) AS query
      FROM pg_catalog.pg_stat_activity
     WHERE cardinality(pg_catalog.pg_blocking_pids(pid)) > 0
     ORDER BY query_start LIMIT $1`,
  locks: `SELECT count(*) FILTER (WHERE granted) AS granted, count(*) FILTER (WHERE NOT granted) AS waiting
      FROM pg_catalog.pg_locks WHERE pid <> pg_catalog.pg_backend_pid()`,
  connections: `SELECT count(*) AS total,
           count(*) FILTER (WHERE backend_type = 'client backend') AS client_backends,
           count(*) FILTER (WHERE state = 'active') AS active,
           count(*) FILTER (WHERE state = 'idle') AS idle,
           count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle_in_transaction,
           current_setting('max_connections')::int AS max_connections,
           current_setting('superuser_reserved_connections')::int AS reserved
      FROM pg_catalog.pg_stat_activity`,
  statementsSchema: `SELECT n.nspname AS schema FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
};

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function topQueries(client: pg.ClientBase, limit: number) {
  const schema = await section(client, queries.statementsSchema);
  const schemaName = schema.ok ? schema.rows[0]?.schema : undefined;
  if (typeof schemaName !== 'string') {
    return { installed: false, message: pgStatStatementsMissing, queries: [] as Row[] };
  }
  const top = await section(
    client,
    `SELECT queryid::text AS queryid, calls, round(total_exec_time::numeric, 2) AS total_ms,
            round(mean_exec_time::numeric, 2) AS mean_ms, rows,
            shared_blks_hit, shared_blks_read, left(query, 300) AS query
       FROM ${quoteIdentifier(schemaName)}.pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
      ORDER BY total_exec_time DESC LIMIT $1`,
    [limit],
  );
  if (!top.ok) {
    return {
      installed: true,
      message: `pg_stat_statements is installed but could not be read (${top.error}); add it to shared_preload_libraries and restart the server`,
      queries: [] as Row[],
    };
  }
  return { installed: true, message: 'top queries by total execution time', queries: top.rows };
}

function table(rows: Row[], columns: string[]): string {
  return formatTable(
    columns,
    rows.map((row) => columns.map((column) => row[column])),
  );
}

/** Reads the database's health figures and lists. */
export async function runHealth(
  context: PsqlToolContext,
  input: { longRunningSeconds?: number | undefined; limit?: number | undefined },
): Promise<CallToolResult> {
  const refusal = grantRefusal(context, 'health', 'read');
  if (refusal) return errorResult(refusal);
  const limit = input.limit ?? 10;
  const longRunningSeconds = input.longRunningSeconds ?? 60;
  try {
    const sections = await context.database.readOnly(async (client) => ({
      cache: await section(client, queries.cache),
      tableScans: await section(client, queries.tableScans, [limit]),
      unusedIndexes: await section(client, queries.unusedIndexes, [limit]),
      duplicateIndexes: await section(client, queries.duplicateIndexes, [limit]),
      bloat: await section(client, queries.bloat, [limit]),
      longRunning: await section(client, queries.longRunning, [longRunningSeconds, limit]),
      blocked: await section(client, queries.blocked, [limit]),
      locks: await section(client, queries.locks),
      connections: await section(client, queries.connections),
      statements: await topQueries(client, limit),
    }));
    const rowsOf = (part: Section) => (part.ok ? part.rows : []);
    const errors = Object.fromEntries(
      Object.entries(sections).flatMap(([name, part]) =>
        'ok' in part && !part.ok ? [[name, part.error]] : [],
      ),
    );
    const cache = rowsOf(sections.cache)[0] ?? {};
    const hitRatios = {
      databaseCacheHitRatio: ratio(cache.db_hit, cache.db_read),
      tableCacheHitRatio: ratio(cache.heap_hit, cache.heap_read),
      indexHitRatio: ratio(cache.idx_hit, cache.idx_read),
      indexScanRatio: ratio(cache.idx_scans, cache.seq_scans),
    };
    const connectionRow = rowsOf(sections.connections)[0] ?? {};
    const connections = {
      total: toNumber(connectionRow.total),
      clientBackends: toNumber(connectionRow.client_backends),
      active: toNumber(connectionRow.active),
      idle: toNumber(connectionRow.idle),
      idleInTransaction: toNumber(connectionRow.idle_in_transaction),
      maxConnections: toNumber(connectionRow.max_connections),
      reservedForSuperusers: toNumber(connectionRow.reserved),
    };
    const usedRatio =
      connections.total !== null && connections.maxConnections
        ? connections.total / connections.maxConnections
        : null;
    const lockRow = rowsOf(sections.locks)[0] ?? {};
    const data = {
      ...hitRatios,
      tableScans: rowsOf(sections.tableScans),
      unusedIndexes: rowsOf(sections.unusedIndexes),
      duplicateIndexes: rowsOf(sections.duplicateIndexes),
      bloatEstimate: {
        method:
          'an estimate: the dead-tuple ratio n_dead_tup / (n_live_tup + n_dead_tup) from pg_stat_user_tables',
        tables: rowsOf(sections.bloat),
      },
      longRunningQueries: {
        thresholdSeconds: longRunningSeconds,
        queries: rowsOf(sections.longRunning),
      },
      locks: {
        granted: toNumber(lockRow.granted),
        waiting: toNumber(lockRow.waiting),
        blockedSessions: rowsOf(sections.blocked),
      },
      connections: { ...connections, usedRatio },
      pgStatStatements: sections.statements,
      errors,
    };

    const warnings: string[] = [];
    if (data.databaseCacheHitRatio !== null && data.databaseCacheHitRatio < 0.95) {
      warnings.push(`cache hit ratio ${percent(data.databaseCacheHitRatio)} is below 95%`);
    }
    if (data.indexHitRatio !== null && data.indexHitRatio < 0.95) {
      warnings.push(`index hit ratio ${percent(data.indexHitRatio)} is below 95%`);
    }
    if (usedRatio !== null && usedRatio > 0.8) {
      warnings.push(`connections at ${percent(usedRatio)} of max_connections`);
    }
    if (data.locks.blockedSessions.length > 0) {
      warnings.push(`${data.locks.blockedSessions.length} session(s) blocked by locks`);
    }
    if (data.longRunningQueries.queries.length > 0) {
      warnings.push(
        `${data.longRunningQueries.queries.length} quer(ies) running over ${longRunningSeconds} s`,
      );
    }
    if (data.duplicateIndexes.length > 0) {
      warnings.push(`${data.duplicateIndexes.length} set(s) of duplicate indexes`);
    }
    const bloated = data.bloatEstimate.tables.filter(
      (row) => (toNumber(row.dead_ratio) ?? 0) > 0.2,
    );
    if (bloated.length > 0) warnings.push(`${bloated.length} table(s) over 20% dead tuples`);

    const lines = [
      `cache hit ratio: ${percent(data.databaseCacheHitRatio)} (database, pg_stat_database); tables ${percent(data.tableCacheHitRatio)} (pg_statio_user_tables)`,
      `index hit ratio: ${percent(data.indexHitRatio)} (index blocks from cache, pg_statio_user_indexes)`,
      `index scans: ${percent(data.indexScanRatio)} of table scans use an index`,
      `connections: ${connections.total ?? '?'} of max_connections ${connections.maxConnections ?? '?'} (${connections.active ?? '?'} active, ${connections.idle ?? '?'} idle, ${connections.idleInTransaction ?? '?'} idle in transaction; ${connections.reservedForSuperusers ?? '?'} reserved for superusers)`,
      `locks: ${data.locks.granted ?? '?'} granted, ${data.locks.waiting ?? '?'} waiting`,
      `warnings: ${warnings.length ? warnings.join('; ') : 'none'}`,
      '',
      'seq vs index scans per table (most seq scans first):',
      table(data.tableScans, [
        'schema',
        'table',
        'seq_scan',
        'seq_tup_read',
        'idx_scan',
        'n_live_tup',
      ]),
      '',
      'unused indexes (idx_scan = 0 since the statistics were reset; unique and primary keys left out):',
      table(data.unusedIndexes, ['schema', 'table', 'index', 'size']),
      '',
      'duplicate indexes (same table, same columns, expressions and predicate):',
      table(data.duplicateIndexes, ['schema', 'table', 'indexes', 'definition']),
      '',
      `bloat estimate (${data.bloatEstimate.method}):`,
      table(data.bloatEstimate.tables, [
        'schema',
        'table',
        'n_live_tup',
        'n_dead_tup',
        'dead_ratio',
        'last_autovacuum',
      ]),
      '',
      `long-running queries (over ${longRunningSeconds} s):`,
      table(data.longRunningQueries.queries, [
        'pid',
        'user',
        'state',
        'seconds',
        'wait_event',
        'query',
      ]),
      '',
      'blocked sessions (pg_blocking_pids):',
      table(data.locks.blockedSessions, [
        'pid',
        'blocked_by',
        'user',
        'seconds',
        'wait_event',
        'query',
      ]),
      '',
      sections.statements.installed && sections.statements.queries.length > 0
        ? `pg_stat_statements, ${sections.statements.message}:\n${table(sections.statements.queries, ['calls', 'total_ms', 'mean_ms', 'rows', 'query'])}`
        : sections.statements.message,
    ];
    for (const [name, error] of Object.entries(errors)) {
      lines.push(`could not read ${name}: ${String(error)}`);
    }
    return textResult(lines.join('\n'), { ...data, warnings });
  } catch (error) {
    return errorResult(
      describeDatabaseError(error, { timeoutMs: context.timeoutMs, role: context.role }),
    );
  }
}

/** Registers `health` (read grant). */
export function registerHealthTool(server: McpServer, context: PsqlToolContext): void {
  server.registerTool(
    'health',
    {
      title: 'Database health',
      description:
        'Cache and index hit ratios, seq vs index scans per table, unused and duplicate indexes, a bloat estimate, long-running queries, locks and blockers, connections vs max_connections, and top queries from pg_stat_statements when it is installed.',
      inputSchema: HealthInput,
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async (input) => runHealth(context, input),
  );
}
