import type pg from 'pg';
import type { ResultColumn } from './capped-query.js';

/** A result column as the tools report it: its name and its SQL type. */
export interface NamedColumn {
  name: string;
  type: string;
}

/** Names of built-in types by oid (below FirstNormalObjectId, they are the same in every database). */
const typeNames = new Map<number, string>();
const firstUserOid = 16384;

/** Names the columns' types (`integer`, `text`, …) with one catalog query on the same client. */
export async function namedColumns(
  client: pg.ClientBase,
  columns: readonly ResultColumn[],
): Promise<NamedColumn[]> {
  if (columns.length === 0) return [];
  // Built-in types never change and are looked up once; user types are looked up every time.
  const unknown = [
    ...new Set(columns.map((column) => column.dataTypeId).filter((oid) => !typeNames.has(oid))),
  ];
  if (unknown.length === 0) {
    return columns.map((column) => ({
      name: column.name,
      type: typeNames.get(column.dataTypeId) ?? `oid ${column.dataTypeId}`,
    }));
  }
  const fresh = new Map<number, string>();
  const result = await client.query<{ oid: number; name: string }>(
    'SELECT oid::int8 AS oid, format_type(oid, NULL) AS name FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])',
    [unknown],
  );
  for (const row of result.rows) {
    const oid = Number(row.oid);
    fresh.set(oid, row.name);
    if (oid < firstUserOid) typeNames.set(oid, row.name);
  }
  return columns.map((column) => ({
    name: column.name,
    type:
      typeNames.get(column.dataTypeId) ??
      fresh.get(column.dataTypeId) ??
      `oid ${column.dataTypeId}`,
  }));
}
