import type pg from 'pg';
import type { Grant } from '../../src/org/agent-schema.js';
import { runCappedStatement } from './capped-query.js';
import { ClientPool } from './client-pool.js';
import type { CappedResult } from './capped-query.js';
import { namedColumns } from './column-types.js';
import type { NamedColumn } from './column-types.js';
import { guardResultSize } from './result-size-guard.js';
import { sessionSettings } from './session-settings.js';

/** The role and server the tool is connected as. */
export interface DatabaseIdentity {
  role: string;
  superuser: boolean;
  database: string;
  serverVersion: string;
}

/** How the tool connects. */
export interface PsqlDatabaseOptions {
  url: string;
  grant: Grant;
  /** statement_timeout of every statement, in milliseconds. */
  timeoutMs: number;
  /** Connections in the pool. */
  poolSize: number;
}

/** What one statement returned, with its columns' type names. */
export interface StatementResult {
  result: CappedResult;
  columns: NamedColumn[];
}

/** What `readOnlyStatement` sends around the statement, under the same Sync. */
const readOnlyTransaction = { before: ['BEGIN READ ONLY'], after: ['ROLLBACK'] } as const;

/** The application_name every connection of the tool carries. */
export const applicationName = 'cadre-psql';

/**
 * A pool of pg clients (ClientPool) whose connections are always handed back clean: each use
 * runs on a checked-out client that is left outside any transaction (rolled back) and, above
 * the read grant, reset (`DISCARD ALL`) afterwards; a client that failed or could not be
 * cleaned is closed instead of returned to the pool. Each connection's socket has a
 * BackendRouter with the result-size guard (see `guardResultSize`). The timeouts, the read
 * grant's read-only default and `standard_conforming_strings` are startup settings of every
 * connection (see `sessionSettings`).
 */
export class PsqlDatabase {
  readonly #pool: ClientPool;
  readonly #grant: Grant;
  readonly #timeoutMs: number;

  constructor(options: PsqlDatabaseOptions) {
    this.#grant = options.grant;
    this.#timeoutMs = options.timeoutMs;
    this.#pool = new ClientPool({
      config: {
        // Session settings travel in the startup packet: no round trip per call. The checker
        // reads quotes as the server does only with standard_conforming_strings on.
        ...sessionSettings(options.url, options.grant, options.timeoutMs),
        application_name: applicationName,
        connectionTimeoutMillis: 10_000,
      },
      max: options.poolSize,
      idleTimeoutMs: 30_000,
      waitTimeoutMs: 10_000,
      // Cut a connection whose result grows past the size limit, before it fills memory.
      onConnect: (client) => guardResultSize(client),
    });
  }

  /** The timeout applied to every statement, in milliseconds. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Who the tool runs as. */
  async identity(): Promise<DatabaseIdentity> {
    return this.readOnly(async (client) => {
      const result = await client.query<{
        role: string;
        superuser: boolean | null;
        database: string;
        version: string;
      }>(
        `SELECT current_user AS role,
                (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser,
                current_database() AS database,
                current_setting('server_version') AS version`,
      );
      const row = result.rows[0];
      return {
        role: row?.role ?? 'unknown',
        superuser: row?.superuser === true,
        database: row?.database ?? 'unknown',
        serverVersion: row?.version ?? 'unknown',
      };
    });
  }

  /**
   * Runs `work` inside `BEGIN READ ONLY` (the session's timeouts apply); always rolls back.
   * Each of its queries is a round trip of its own: a single statement is cheaper through
   * `readOnlyStatement`.
   */
  async readOnly<T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
    return this.#withClient(async (client) => {
      await client.query('BEGIN READ ONLY');
      return work(client);
    });
  }

  /**
   * Runs one statement with a row cap in a read-only transaction that is always rolled back, in
   * one round trip: `BEGIN READ ONLY`, the statement and `ROLLBACK` under one Sync. When the
   * statement fails the server skips the `ROLLBACK`, and the client is rolled back afterwards.
   * Types that are not built in are named with one more query, outside the transaction.
   */
  async readOnlyStatement(text: string, maxRows: number): Promise<StatementResult> {
    return this.#withClient(async (client) => {
      const result = await runCappedStatement(client, text, maxRows, readOnlyTransaction);
      return { result, columns: await namedColumns(client, result.columns) };
    });
  }

  /**
   * Runs one statement with a row cap outside any transaction block (autocommit: it commits when
   * it succeeds), in one round trip (and one more for the reset above the read grant); the
   * session's timeouts apply.
   */
  async autocommitStatement(text: string, maxRows: number): Promise<StatementResult> {
    return this.#withClient(async (client) => {
      const result = await runCappedStatement(client, text, maxRows);
      return { result, columns: await namedColumns(client, result.columns) };
    });
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #withClient<T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
    const client = await this.#pool.acquire();
    let broken: Error | undefined;
    let completed = false;
    const onError = (error: Error) => {
      broken ??= error;
    };
    client.on('error', onError);
    try {
      const result = await work(client);
      completed = true;
      return result;
    } finally {
      if (!broken) {
        try {
          // After a completed call the transaction status is the server's latest word ('I': no
          // transaction open). After a failure it may be older than the failure (pg reports the
          // error before the server is ready again), so the client is always rolled back then.
          if (!completed || client.getTransactionStatus() !== 'I') await client.query('ROLLBACK');
          // At the read grant nothing a call may run can change the session (SET, PREPARE,
          // LISTEN, cursors, temp tables and advisory locks are all refused), so the rollback
          // leaves it clean; a write or admin call may, so its session is reset.
          if (this.#grant !== 'read') await client.query('DISCARD ALL');
        } catch (error) {
          broken = error instanceof Error ? error : new Error(String(error));
        }
      }
      client.removeListener('error', onError);
      this.#pool.release(client, broken ?? false);
    }
  }
}
