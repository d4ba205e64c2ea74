import type pg from 'pg';
import type { ResultColumn } from './capped-query.js';

/** A result column as the tools report it: its name and its SQL type. */
export interface NamedColumn {
  name: string;
  type: string;
}

/** Names the columns' types (`integer`, `text`, …) with one catalog query on the same client. */
export async function namedColumns(
  client: pg.ClientBase,
  columns: readonly ResultColumn[],
): Promise<NamedColumn[]> {
  if (columns.length === 0) return [];
  const oids = [...new Set(columns.map((column) => column.dataTypeId))];
  const result = await client.query<{ oid: number; name: string }>(
    'SELECT oid::int8 AS oid, format_type(oid, NULL) AS name FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])',
    [oids],
  );
  const names = new Map(result.rows.map((row) => [Number(row.oid), row.name]));
  return columns.map((column) => ({
    name: column.name,
    type: names.get(column.dataTypeId) ?? `oid ${column.dataTypeId}`,
  }));
}
