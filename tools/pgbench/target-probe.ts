import pg from 'pg';
import { CadreError } from '../../src/errors.js';
import { redactSecrets } from '../shared/redact.js';
import { postgresUrlWithUser } from '../shared/connection-url.js';

/** What the server learns about its target when it starts. */
export interface TargetFacts {
  user: string;
  database: string;
  serverVersion: string;
  superuser: boolean;
  /** Whether pgbench_accounts exists (init has run). */
  initialised: boolean;
  /** Rows in pgbench_branches (the scale), when the tables exist. */
  scale: number | undefined;
}

/**
 * Connects to the target once (through pg) to check that it is reachable, and reads the role,
 * the server version and whether the pgbench tables exist. Throws a redacted CadreError when
 * it cannot connect.
 */
export async function probeTarget(url: string, timeoutMs: number): Promise<TargetFacts> {
  const client = new pg.Client({
    connectionString: postgresUrlWithUser(url),
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    application_name: 'cadre-pgbench',
  });
  try {
    await client.connect();
    const result = await client.query<{
      user: string;
      database: string;
      version: string;
      superuser: boolean;
      initialised: boolean;
    }>(
      `SELECT current_user AS "user", current_database() AS database,
              current_setting('server_version') AS version,
              coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
              to_regclass('pgbench_branches') IS NOT NULL AND to_regclass('pgbench_accounts') IS NOT NULL AS initialised`,
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error('the target returned no row');
    let scale: number | undefined;
    if (row.initialised) {
      const branches = await client.query<{ count: string }>(
        'SELECT count(*) AS count FROM pgbench_branches',
      );
      scale = Number(branches.rows[0]?.count ?? 0);
    }
    return {
      user: row.user,
      database: row.database,
      serverVersion: row.version,
      superuser: row.superuser,
      initialised: row.initialised,
      scale,
    };
  } catch (error) {
    throw new CadreError({
      code: 'pgbench-target-unreachable',
      message: redactSecrets(
        `cannot reach the pgbench target: ${error instanceof Error ? error.message : String(error)}`,
      ),
      hint: 'check the URL (--url) and that PostgreSQL is running and accepts this role',
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}
