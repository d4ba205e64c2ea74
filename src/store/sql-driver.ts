import { CadreError } from '../errors.js';

/** The SQL dialects the durable stores speak. */
export type SqlDialect = 'sqlite' | 'postgres';

/** A value bound to a statement parameter: text, a finite number, or NULL. */
export type SqlValue = string | number | null;

/** What one statement gave back: its rows (SELECT or RETURNING) and how many rows it changed. */
export interface SqlResult {
  rows: unknown[];
  changes: number;
}

/** Runs one statement, with `?` placeholders, at a time. */
export interface SqlExecutor {
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlResult>;
}

/**
 * A connection (or pool) to one SQL database, as the SQL store and the migrator use it.
 * Statements use `?` placeholders in both dialects; each `query` is atomic on its own.
 */
export interface SqlDriver extends SqlExecutor {
  readonly dialect: SqlDialect;
  /** Where the data lives, for messages: a file path, or a redacted URL with its schema. */
  readonly where: string;
  /**
   * Runs `fn` in one transaction that excludes every other opener of the same database
   * (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: an advisory lock). Meant for opening, before the
   * store is shared: other calls on this driver must not run while `fn` does.
   */
  exclusive<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Releases the connection; later queries fail with a `store-closed` error. */
  close(): Promise<void>;
}

/**
 * Checks the values bound to a statement before they reach the database: the SQLite binding
 * aborts the process on a boolean, and NaN or Infinity would be stored as something else.
 */
export function checkSqlValues(params: readonly unknown[], sql: string): void {
  for (const [index, value] of params.entries()) {
    const fine =
      value === null ||
      typeof value === 'string' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!fine) {
      throw new CadreError({
        code: 'store-value-invalid',
        message: `store: parameter ${index + 1} of "${sql.slice(0, 60)}…" is ${String(value)}; expected text, a finite number or null`,
        hint: 'this is a bug in cadre: the store was handed a value of the wrong type',
      });
    }
  }
}

/** The error for a store used after `close()`. */
export function storeClosedError(where: string): CadreError {
  return new CadreError({
    code: 'store-closed',
    message: `the store at ${where} is closed`,
    hint: 'open the store again before using it',
  });
}

/** Wraps a driver's failure of one statement in a CadreError that says where it happened. */
export function storeQueryError(where: string, error: unknown): CadreError {
  if (error instanceof CadreError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new CadreError({
    code: 'store-query-failed',
    message: `the store at ${where} failed: ${detail}`,
    hint: 'check that the database is reachable and was not changed outside cadre',
    cause: error,
  });
}
