import pg from 'pg';
import { redactSecrets } from '../../tools/shared/redact.js';
import { CadreError } from '../errors.js';
import {
  checkSqlValues,
  storeClosedError,
  storeQueryError,
  type SqlDriver,
  type SqlExecutor,
  type SqlValue,
} from './sql-driver.js';

/** A schema name cadre accepts: plain lower-case SQL identifiers, so no quoting is needed. */
const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

const int8 = 20;
const json = 114;
const jsonb = 3802;

/**
 * Type parsers for this pool only (the global `pg.types` is left alone for other users of
 * pg): BIGINT as a number (epoch milliseconds and row numbers fit), JSON as its text, so that
 * both drivers hand JSON back the same way.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === int8) return (value: string) => Number(value);
    if (oid === json || oid === jsonb) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** `?` placeholders to PostgreSQL's `$1, $2, …` (the store's SQL holds no `?` in literals). */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

/** Options for {@link openPostgresDriver}. */
export interface PostgresDriverOptions {
  /** The schema to keep the tables in, created if missing; the server's search_path otherwise. */
  schema?: string;
}

/**
 * Opens a pool on a PostgreSQL database (and creates the schema when one is named), checking
 * the server answers. Failures are `store-open-failed` errors naming the URL, its password
 * redacted.
 */
export async function openPostgresDriver(
  url: string,
  options: PostgresDriverOptions = {},
): Promise<SqlDriver> {
  const { schema } = options;
  const where = redactSecrets(url) + (schema === undefined ? '' : ` (schema ${schema})`);
  if (schema !== undefined && !schemaName.test(schema)) {
    throw new CadreError({
      code: 'store-option-invalid',
      message: `PostgreSQL schema name "${schema}" is not accepted`,
      hint: 'use lower-case letters, digits and underscores, starting with a letter or underscore',
    });
  }
  let connectionString: string;
  try {
    connectionString = withSearchPath(url, schema);
  } catch (error) {
    throw openFailed(where, error);
  }
  const pool = new pg.Pool({ connectionString, types });
  // An idle client losing its connection must not crash the process: the next query fails
  // instead, with a store error.
  pool.on('error', () => undefined);
  const sql = new Map<string, string>();
  let closed = false;

  async function query(client: pg.Pool | pg.PoolClient, text: string, params: readonly SqlValue[]) {
    if (closed) throw storeClosedError(where);
    checkSqlValues(params, text);
    let numberedText = sql.get(text);
    if (numberedText === undefined) {
      numberedText = numbered(text);
      sql.set(text, numberedText);
    }
    try {
      const result = await client.query(numberedText, [...params]);
      return { rows: result.rows as unknown[], changes: result.rowCount ?? 0 };
    } catch (error) {
      throw storeQueryError(where, error);
    }
  }

  const driver: SqlDriver = {
    dialect: 'postgres',
    where,
    query: (text, params = []) => query(pool, text, params),
    async exclusive(fn) {
      if (closed) throw storeClosedError(where);
      const client = await pool.connect().catch((error: unknown) => {
        throw storeQueryError(where, error);
      });
      const tx: SqlExecutor = { query: (text, params = []) => query(client, text, params) };
      try {
        await tx.query('BEGIN');
        await tx.query('SELECT pg_advisory_xact_lock(hashtext(?))', [
          `cadre-store:${schema ?? ''}`,
        ]);
        if (schema !== undefined) await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };

  try {
    await driver.query('SELECT 1');
  } catch (error) {
    await driver.close();
    throw openFailed(where, error);
  }
  return driver;
}

/** The URL with `-c search_path=<schema>` added to its `options` parameter. */
function withSearchPath(url: string, schema: string | undefined): string {
  if (schema === undefined) return url;
  const parsed = new URL(url);
  const existing = parsed.searchParams.get('options');
  parsed.searchParams.set(
    'options',
    [existing, `-c search_path=${schema}`].filter((part) => part).join(' '),
  );
  return parsed.toString();
}

function openFailed(where: string, error: unknown): CadreError {
  const cause = error instanceof CadreError && error.cause !== undefined ? error.cause : error;
  const detail = describe(cause);
  return new CadreError({
    code: 'store-open-failed',
    message: `cannot open the PostgreSQL store at ${where}: ${redactSecrets(detail)}`,
    hint: 'check CADRE_STORE_URL and that the server is running and accepts the user',
    cause: error,
  });
}

/** An error's message; for a failed connect to several addresses, each address's reason. */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describe).join('; ');
  }
  if (error instanceof Error) {
    return error.message || String((error as { code?: unknown }).code ?? error.name);
  }
  return String(error);
}
