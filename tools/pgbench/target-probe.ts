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

/** A pg client for one short look at the target, bounded in time. */
function targetClient(url: string, timeoutMs: number): pg.Client {
  return new pg.Client({
    connectionString: postgresUrlWithUser(url),
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    application_name: 'cadre-pgbench',
  });
}

/**
 * Connects to the target once (through pg) to check that it is reachable, and reads the role,
 * the server version and whether the pgbench tables exist. Throws a redacted CadreError when
 * it cannot connect.
 */
export async function probeTarget(url: string, timeoutMs: number): Promise<TargetFacts> {
  const client = targetClient(url, timeoutMs);
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

/** Connection slots on the target, as PostgreSQL counts them. */
export interface ConnectionHeadroom {
  /** max_connections. */
  max: number;
  /** Slots kept for superusers (and, from PostgreSQL 16, reserved_connections). */
  reserved: number;
  /** Client sessions open now, not counting the one that asked. */
  inUse: number;
}

/**
 * Asks the target how many connections it allows and how many are in use (one short
 * connection through pg); a benchmark must not take the slots other sessions need.
 */
export async function connectionHeadroom(
  url: string,
  timeoutMs: number,
): Promise<ConnectionHeadroom> {
  const client = targetClient(url, timeoutMs);
  try {
    await client.connect();
    const result = await client.query<{ max: number; reserved: number; in_use: number }>(
      `SELECT current_setting('max_connections')::int AS max,
              current_setting('superuser_reserved_connections')::int
                + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved,
              (SELECT count(*) FROM pg_stat_activity
                WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())::int AS in_use`,
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error('the target returned no row');
    return { max: row.max, reserved: row.reserved, inUse: row.in_use };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Why a run of `clients` connections would crowd out other sessions, if it would: it must
 * leave at least a tenth of max_connections (and at least 2) free.
 */
export function headroomRefusal(clients: number, headroom: ConnectionHeadroom): string | undefined {
  const free = headroom.max - headroom.reserved - headroom.inUse;
  const margin = Math.max(2, Math.ceil(headroom.max / 10));
  const allowed = free - margin;
  if (clients <= allowed) return undefined;
  return `a run with ${clients} clients would leave other sessions fewer than ${margin} free connections: the server allows ${headroom.max} (${headroom.reserved} reserved), ${headroom.inUse} are in use, so ${free} are free; ${allowed >= 1 ? `use at most ${allowed} clients` : 'wait until fewer sessions are open, or ask the operator to raise max_connections'}`;
}
