import pg from 'pg';
import type { Grant } from '../../src/org/agent-schema.js';
import { guardResultSize } from './result-size-guard.js';
import { postgresUrlWithUser } from '../shared/connection-url.js';

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

/** The application_name every connection of the tool carries. */
export const applicationName = 'cadre-psql';

/**
 * A pg pool whose connections are always handed back clean: each use runs on a checked-out
 * client that is rolled back and reset (`DISCARD ALL`) afterwards, and a client that failed
 * or could not be reset is discarded instead of returned to the pool.
 */
export class PsqlDatabase {
  readonly #pool: pg.Pool;
  readonly #grant: Grant;
  readonly #timeoutMs: number;

  constructor(options: PsqlDatabaseOptions) {
    this.#grant = options.grant;
    this.#timeoutMs = options.timeoutMs;
    this.#pool = new pg.Pool({
      connectionString: postgresUrlWithUser(options.url),
      application_name: applicationName,
      max: options.poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      statement_timeout: options.timeoutMs,
      // Session settings travel in the startup packet: no round trip per call. The checker reads
      // quotes as the server does only with standard_conforming_strings on.
      options:
        options.grant === 'read'
          ? '-c default_transaction_read_only=on -c standard_conforming_strings=on'
          : '-c standard_conforming_strings=on',
    });
    // An idle client whose server went away: the pool drops it; nothing else to do.
    this.#pool.on('error', () => undefined);
    // Cut a connection whose result grows past the size limit, before it fills memory.
    this.#pool.on('connect', (client) => guardResultSize(client));
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
   * Runs `work` inside `BEGIN READ ONLY` with `SET LOCAL statement_timeout` and
   * `idle_in_transaction_session_timeout`; always rolls back.
   */
  async readOnly<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#withClient(async (client) => {
      await client.query(
        `BEGIN READ ONLY; SET LOCAL statement_timeout = ${this.#timeoutMs}; ` +
          `SET LOCAL idle_in_transaction_session_timeout = ${this.#timeoutMs + 10_000}`,
      );
      return work(client);
    }, true);
  }

  /** Runs `work` outside any transaction block (autocommit), with the statement timeout. */
  async autocommit<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#withClient(async (client) => {
      await client.query(`SET statement_timeout = ${this.#timeoutMs}`);
      return work(client);
    }, false);
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #withClient<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    inTransaction: boolean,
  ): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } finally {
      if (!broken) {
        try {
          if (inTransaction) await client.query('ROLLBACK');
          // At the read grant nothing a call may run can change the session (SET, PREPARE,
          // LISTEN, cursors, temp tables and advisory locks are all refused), so the rollback
          // leaves it clean; a write or admin call may, so its session is reset.
          if (this.#grant !== 'read') await client.query('DISCARD ALL');
        } catch (error) {
          broken = error instanceof Error ? error : new Error(String(error));
        }
      }
      client.removeListener('error', onError);
      client.release(broken ?? false);
    }
  }
}
