import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type pg from 'pg';
import { z } from 'zod';
import { errorResult, textResult } from '../shared/tool-result.js';
import { describeDatabaseError } from './database-error.js';
import { formatTable } from './result-table.js';
import { grantRefusal } from './tool-context.js';
import type { PsqlToolContext } from './tool-context.js';

/** Input of the `describe` tool. */
export const DescribeInput = {
  schema: z.string().max(200).optional().describe('only this schema (exact name)'),
  table: z
    .string()
    .max(200)
    .optional()
    .describe('only this table, view or materialized view (exact name)'),
};

/** The most tables listed, and the most described in full (columns, indexes, constraints). */
export const describeLimits = { tables: 500, detailedTables: 50 };

interface SchemaRow {
  name: string;
  owner: string;
  relations: number;
}

interface TableRow {
  oid: number;
  schema: string;
  name: string;
  kind: string;
  estimated_rows: number;
  total_bytes: string;
  table_bytes: string;
  total_size: string;
  table_size: string;
  comment: string | null;
}

interface ColumnRow {
  table_oid: number;
  name: string;
  type: string;
  not_null: boolean;
  default_value: string | null;
  identity: string;
  generated: string;
}

interface IndexRow {
  table_oid: number;
  name: string;
  definition: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  bytes: string;
  size: string;
}

interface ConstraintRow {
  table_oid: number;
  name: string;
  type: string;
  definition: string;
  references_table: string | null;
}

const userSchemas = `(($1::text IS NOT NULL AND n.nspname = $1::text) OR ($1::text IS NULL
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'))`;

const constraintTypes: Record<string, string> = {
  p: 'primary key',
  u: 'unique',
  f: 'foreign key',
  c: 'check',
  x: 'exclusion',
  t: 'constraint trigger',
  n: 'not null',
};

async function readCatalog(client: pg.ClientBase, schema: string | null, table: string | null) {
  const schemas = await client.query<SchemaRow>(
    `SELECT n.nspname AS name, pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
            (SELECT count(*) FROM pg_catalog.pg_class c
              WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))::int AS relations
       FROM pg_catalog.pg_namespace n
      WHERE ${userSchemas}
      ORDER BY 1`,
    [schema],
  );
  const tables = await client.query<TableRow>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
            CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table'
              WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'foreign table' END AS kind,
            c.reltuples::float8 AS estimated_rows,
            pg_catalog.pg_total_relation_size(c.oid) AS total_bytes,
            pg_catalog.pg_relation_size(c.oid) AS table_bytes,
            pg_catalog.pg_size_pretty(pg_catalog.pg_total_relation_size(c.oid)) AS total_size,
            pg_catalog.pg_size_pretty(pg_catalog.pg_relation_size(c.oid)) AS table_size,
            pg_catalog.obj_description(c.oid, 'pg_class') AS comment
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${userSchemas}
        AND ($2::text IS NULL OR c.relname = $2::text)
      ORDER BY n.nspname, c.relname
      LIMIT ${describeLimits.tables + 1}`,
    [schema, table],
  );
  const listed = tables.rows.slice(0, describeLimits.tables);
  const detailed = table !== null || listed.length <= describeLimits.detailedTables;
  const oids = detailed ? listed.map((row) => Number(row.oid)) : [];
  const [columns, indexes, constraints] = oids.length
    ? await Promise.all([
        client.query<ColumnRow>(
          `SELECT a.attrelid::int8 AS table_oid, a.attname AS name,
                  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                  pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_value,
                  a.attidentity::text AS identity, a.attgenerated::text AS generated
             FROM pg_catalog.pg_attribute a
             LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum`,
          [oids],
        ),
        client.query<IndexRow>(
          `SELECT i.indrelid::int8 AS table_oid, ic.relname AS name,
                  pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
                  i.indisunique AS unique, i.indisprimary AS primary, i.indisvalid AS valid,
                  pg_catalog.pg_relation_size(i.indexrelid) AS bytes,
                  pg_catalog.pg_size_pretty(pg_catalog.pg_relation_size(i.indexrelid)) AS size
             FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = ANY($1::oid[])
            ORDER BY i.indrelid, ic.relname`,
          [oids],
        ),
        client.query<ConstraintRow>(
          `SELECT co.conrelid::int8 AS table_oid, co.conname AS name, co.contype::text AS type,
                  pg_catalog.pg_get_constraintdef(co.oid) AS definition,
                  CASE WHEN co.confrelid <> 0 THEN co.confrelid::regclass::text END AS references_table
             FROM pg_catalog.pg_constraint co
            WHERE co.conrelid = ANY($1::oid[])
            ORDER BY co.conrelid, co.contype, co.conname`,
          [oids],
        ),
      ])
    : [undefined, undefined, undefined];
  return {
    schemas: schemas.rows,
    tables: listed,
    tablesTruncated: tables.rows.length > describeLimits.tables,
    detailed,
    columns: columns?.rows ?? [],
    indexes: indexes?.rows ?? [],
    constraints: constraints?.rows ?? [],
  };
}

function rowsText(estimate: number): string {
  return estimate < 0 ? 'row estimate unknown (never analyzed)' : `~${Math.round(estimate)} rows`;
}

/** Describes schemas, tables (row estimates, sizes), columns, indexes and constraints. */
export async function runDescribe(
  context: PsqlToolContext,
  input: { schema?: string | undefined; table?: string | undefined },
): Promise<CallToolResult> {
  const refusal = grantRefusal(context, 'describe', 'read');
  if (refusal) return errorResult(refusal);
  try {
    const catalog = await context.database.readOnly((client) =>
      readCatalog(client, input.schema ?? null, input.table ?? null),
    );
    const tables = catalog.tables.map((table) => {
      const oid = Number(table.oid);
      const of = <T extends { table_oid: number }>(rows: T[]) =>
        rows.filter((row) => Number(row.table_oid) === oid);
      return {
        schema: table.schema,
        name: table.name,
        kind: table.kind,
        estimatedRows: table.estimated_rows < 0 ? null : Math.round(table.estimated_rows),
        totalBytes: Number(table.total_bytes),
        tableBytes: Number(table.table_bytes),
        totalSize: table.total_size,
        tableSize: table.table_size,
        comment: table.comment,
        ...(catalog.detailed
          ? {
              columns: of(catalog.columns).map((column) => ({
                name: column.name,
                type: column.type,
                nullable: !column.not_null,
                default: column.default_value,
                identity:
                  column.identity === 'a'
                    ? 'always'
                    : column.identity === 'd'
                      ? 'by default'
                      : null,
                generated: column.generated === 's' ? 'stored' : null,
              })),
              indexes: of(catalog.indexes).map((index) => ({
                name: index.name,
                definition: index.definition,
                unique: index.unique,
                primary: index.primary,
                valid: index.valid,
                bytes: Number(index.bytes),
                size: index.size,
              })),
              constraints: of(catalog.constraints).map((constraint) => ({
                name: constraint.name,
                type: constraintTypes[constraint.type] ?? constraint.type,
                definition: constraint.definition,
                references: constraint.references_table,
              })),
            }
          : {}),
      };
    });
    const lines: string[] = [];
    lines.push(
      catalog.schemas.length === 0
        ? `no schema${input.schema ? ` named ${input.schema}` : 's'} (system schemas are left out unless named)`
        : `schemas: ${catalog.schemas.map((schema) => `${schema.name} (owner ${schema.owner}, ${schema.relations} relations)`).join(', ')}`,
    );
    if (tables.length === 0) {
      lines.push(
        `no tables or views${input.table ? ` named ${input.table}` : ''}${input.schema ? ` in schema ${input.schema}` : ''}`,
      );
    }
    if (!catalog.detailed) {
      lines.push(
        '',
        `${tables.length} tables: give schema or table to see their columns, indexes and constraints`,
        formatTable(
          ['table', 'kind', 'rows', 'total size'],
          tables.map((table) => [
            `${table.schema}.${table.name}`,
            table.kind,
            table.estimatedRows ?? 'unknown',
            table.totalSize,
          ]),
        ),
      );
    }
    for (const table of catalog.detailed ? tables : []) {
      lines.push(
        '',
        `${table.schema}.${table.name} — ${table.kind}, ${rowsText(table.estimatedRows ?? -1)}, ${table.totalSize} total (${table.tableSize} table)${table.comment ? ` — ${table.comment}` : ''}`,
      );
      if (table.columns?.length) {
        lines.push('  columns:');
        const width = Math.max(...table.columns.map((column) => column.name.length));
        const typeWidth = Math.max(...table.columns.map((column) => column.type.length));
        for (const column of table.columns) {
          const extras = [
            column.nullable ? '' : 'not null',
            column.default === null ? '' : `default ${column.default}`,
            column.identity ? `generated ${column.identity} as identity` : '',
            column.generated ? 'generated (stored)' : '',
          ].filter((part) => part !== '');
          lines.push(
            `    ${column.name.padEnd(width)}  ${column.type.padEnd(typeWidth)}  ${extras.join(', ')}`.trimEnd(),
          );
        }
      }
      if (table.indexes?.length) {
        lines.push('  indexes:');
        for (const index of table.indexes) {
          const role = index.primary ? 'primary key, ' : index.unique ? 'unique, ' : '';
          lines.push(
            `    ${index.name} (${role}${index.size}${index.valid ? '' : ', INVALID'}): ${index.definition}`,
          );
        }
      }
      if (table.constraints?.length) {
        lines.push('  constraints:');
        for (const constraint of table.constraints) {
          lines.push(`    ${constraint.name} (${constraint.type}): ${constraint.definition}`);
        }
      }
    }
    if (catalog.tablesTruncated) {
      lines.push(
        '',
        `truncated: only the first ${describeLimits.tables} tables are listed; give schema or table`,
      );
    }
    return textResult(lines.join('\n'), {
      schemas: catalog.schemas,
      tables,
      truncated: catalog.tablesTruncated,
    });
  } catch (error) {
    return errorResult(
      describeDatabaseError(error, { timeoutMs: context.timeoutMs, role: context.role }),
    );
  }
}

/** Registers `describe` (read grant). */
export function registerDescribeTool(server: McpServer, context: PsqlToolContext): void {
  server.registerTool(
    'describe',
    {
      title: 'Describe schemas, tables, columns, indexes',
      description:
        'Schemas; tables and views with row estimates and sizes; columns (types, nullability, defaults); indexes (definitions, sizes, unique/primary); constraints (with foreign keys). Filter by schema and table.',
      inputSchema: DescribeInput,
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async (input) => runDescribe(context, input),
  );
}
