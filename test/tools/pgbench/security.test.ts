import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, TestDatabase } from './pgbench-harness.js';
import {
  createTestDatabase,
  pgbenchChecksum,
  sql,
  startServer,
  textOf,
} from './pgbench-harness.js';

/** The file a successful shell escape would create. */
const pwned = '/tmp/pwned';

interface HostileCase {
  name: string;
  grant: 'read' | 'write';
  tool: 'run' | 'init';
  input: Record<string, unknown>;
  reason: RegExp;
}

const hostile: HostileCase[] = [
  {
    name: 'an option smuggled into clients',
    grant: 'write',
    tool: 'run',
    input: { clients: '4 -f /etc/passwd' },
    reason: /clients must be a whole number from 1 to 100/,
  },
  {
    name: 'negative clients',
    grant: 'read',
    tool: 'run',
    input: { clients: -1 },
    reason: /clients must be a whole number from 1 to 100/,
  },
  {
    name: 'a thousand clients',
    grant: 'read',
    tool: 'run',
    input: { clients: 1000 },
    reason: /clients must be a whole number from 1 to 100/,
  },
  {
    name: 'fractional clients',
    grant: 'read',
    tool: 'run',
    input: { clients: 2.5 },
    reason: /clients must be a whole number/,
  },
  {
    name: 'a command smuggled into threads',
    grant: 'write',
    tool: 'run',
    input: { threads: '1; id' },
    reason: /threads must be a whole number/,
  },
  {
    name: 'more threads than clients',
    grant: 'read',
    tool: 'run',
    input: { clients: 4, threads: 8 },
    reason: /threads \(8\) must not exceed clients \(4\)/,
  },
  {
    name: 'a --file option smuggled into builtin',
    grant: 'write',
    tool: 'run',
    input: { builtin: 'select-only --file=/etc/passwd' },
    reason: /builtin must be exactly one of select-only, tpcb-like, simple-update/,
  },
  {
    name: 'a -f option smuggled into builtin',
    grant: 'read',
    tool: 'run',
    input: { builtin: 'select-only -f /etc/passwd' },
    reason: /builtin must be exactly one of/,
  },
  {
    name: 'a shell command as a script name',
    grant: 'write',
    tool: 'run',
    input: { builtin: 'x; rm -rf /' },
    reason: /builtin must be exactly one of/,
  },
  {
    name: 'a duration far past the limit',
    grant: 'read',
    tool: 'run',
    input: { duration_seconds: 100_000 },
    reason: /duration_seconds must be a whole number from 1 to 60/,
  },
  {
    name: 'both a duration and a transaction count',
    grant: 'read',
    tool: 'run',
    input: { duration_seconds: 5, transactions: 10 },
    reason: /give duration_seconds or transactions, not both/,
  },
  {
    name: 'a billion transactions',
    grant: 'read',
    tool: 'run',
    input: { transactions: 1_000_000_000 },
    reason: /transactions must be a whole number from 1 to 100000/,
  },
  {
    name: 'a negative rate',
    grant: 'read',
    tool: 'run',
    input: { rate: -5 },
    reason: /rate must be above 0/,
  },
  {
    name: 'a command smuggled into rate',
    grant: 'write',
    tool: 'run',
    input: { rate: '100; id' },
    reason: /rate must be a number/,
  },
  {
    name: 'a target the org does not name',
    grant: 'read',
    tool: 'run',
    input: { target: 'other-db' },
    reason: /target 'other-db' is not one of the org's targets/,
  },
  {
    name: 'an option smuggled into target',
    grant: 'write',
    tool: 'run',
    input: { target: '-h evil.example.com' },
    reason: /is not a valid id/,
  },
  {
    name: 'an unknown field carrying raw arguments',
    grant: 'write',
    tool: 'run',
    input: { args: ['-f', '/etc/passwd'] },
    reason: /unknown field 'args'/,
  },
  {
    name: '\\shell at the read grant',
    grant: 'read',
    tool: 'run',
    input: { script: '\\shell touch /tmp/pwned' },
    reason: /\\shell runs a program on this machine and is refused at every grant/,
  },
  {
    name: '\\shell at the write grant',
    grant: 'write',
    tool: 'run',
    input: { script: '\\shell touch /tmp/pwned' },
    reason: /\\shell runs a program on this machine and is refused at every grant/,
  },
  {
    name: '\\setshell at the write grant',
    grant: 'write',
    tool: 'run',
    input: { script: '\\setshell x touch /tmp/pwned\nSELECT 1;' },
    reason: /\\setshell runs a program on this machine/,
  },
  {
    name: '\\SHELL in capitals after a statement',
    grant: 'write',
    tool: 'run',
    input: { script: 'SELECT 1;\n\\SHELL touch /tmp/pwned' },
    reason: /\\shell runs a program on this machine/,
  },
  {
    name: '\\shell hidden in a string literal',
    grant: 'write',
    tool: 'run',
    input: { script: "SELECT E'\\'; \\shell touch /tmp/pwned" },
    reason: /\\shell runs a program on this machine/,
  },
  {
    name: 'a DELETE at the read grant',
    grant: 'read',
    tool: 'run',
    input: { script: 'DELETE FROM pgbench_accounts' },
    reason: /is not a read-only statement/,
  },
  {
    name: 'a DELETE after a SELECT at the read grant',
    grant: 'read',
    tool: 'run',
    input: { script: 'SELECT 1; DELETE FROM pgbench_accounts;' },
    reason: /'DELETE FROM pgbench_accounts' is not a read-only statement/,
  },
  {
    name: 'a COMMIT and TRUNCATE behind a dollar-quoted semicolon',
    grant: 'read',
    tool: 'run',
    input: { script: 'SELECT $$;$$; COMMIT; TRUNCATE pgbench_accounts;' },
    reason: /'COMMIT' is not a read-only statement/,
  },
  {
    name: 'a data-modifying WITH at the read grant',
    grant: 'read',
    tool: 'run',
    input: {
      script: 'WITH gone AS (DELETE FROM pgbench_history RETURNING *) SELECT count(*) FROM gone;',
    },
    reason: /uses DELETE, which writes/,
  },
  {
    name: 'lifting read-only mode with set_config',
    grant: 'read',
    tool: 'run',
    input: { script: "SELECT set_config('default_transaction_read_only', 'off', false);" },
    reason: /set_config\(\) changes settings .*the read grant only reads/,
  },
  {
    name: 'reading a server file with pg_read_file',
    grant: 'read',
    tool: 'run',
    input: { script: "SELECT pg_catalog.pg_read_file('/etc/passwd');" },
    reason: /pg_read_file\(\) reads files on the database server/,
  },
  {
    name: 'pg_read_file called by a Unicode-escaped name',
    grant: 'read',
    tool: 'run',
    input: { script: 'SELECT U&"pg_read_file"(\'/etc/hostname\')::int;', transactions: 1 },
    reason: /pg_read_file\(\) reads files on the database server/,
  },
  {
    name: 'pg_terminate_backend called by a Unicode-escaped name',
    grant: 'read',
    tool: 'run',
    input: { script: 'SELECT U&"pg_terminate_backend"(pg_backend_pid());', transactions: 1 },
    reason: /pg_terminate_backend\(\) stops other sessions/,
  },
  {
    name: 'COPY … PROGRAM run as text inside a DO block at the write grant',
    grant: 'write',
    tool: 'run',
    input: {
      script: `DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${pwned}'''; END $$;`,
      transactions: 1,
    },
    reason: /COPY … PROGRAM runs a shell command .*never allowed/,
  },
  {
    name: 'a role created inside a DO block at the write grant',
    grant: 'write',
    tool: 'run',
    input: {
      script: "DO $$ BEGIN EXECUTE 'CREATE ROLE cadre_do_role SUPERUSER'; END $$;",
      transactions: 1,
    },
    reason: /DO runs procedural code/,
  },
  {
    name: 'SQL pasted from a \\gset variable at the write grant',
    grant: 'write',
    tool: 'run',
    input: {
      script: `SELECT 'COPY (SELECT 1) TO PROGRAM ''touch ${pwned}''' AS q \\gset\n:q;`,
      transactions: 1,
    },
    reason: /the meta-command \\gset is refused at the write grant/,
  },
  {
    name: 'statements hidden in a dollar quote that a no-break space stops',
    grant: 'read',
    tool: 'run',
    input: {
      script: `SELECT 1 AS \u00a0$x$\n\\set y 1\nCOPY (SELECT 1) TO PROGRAM 'touch ${pwned}'\n\\set y 1\nSELECT 1 AS z$x$;`,
      transactions: 1,
    },
    reason: /holds U\+00A0/,
  },
  {
    name: 'a program hidden behind a comment that a carriage return ends',
    grant: 'write',
    tool: 'run',
    input: {
      script: `SELECT 1 -- note\r\\set y 1\nCOPY (SELECT 1) TO PROGRAM 'touch ${pwned}'\n;\n`,
      transactions: 1,
    },
    reason: /holds U\+000D/,
  },
  {
    name: 'stopping other sessions at the write grant',
    grant: 'write',
    tool: 'run',
    input: { script: 'SELECT pg_terminate_backend(1);', transactions: 1 },
    reason: /pg_terminate_backend\(\) stops other sessions; it needs the admin grant/,
  },
  {
    name: '\\gset at the read grant',
    grant: 'read',
    tool: 'run',
    input: { script: 'SELECT 1 AS one \\gset' },
    reason: /the meta-command \\gset is refused at the read grant/,
  },
  {
    name: 'an unterminated comment that would swallow the read-only wrapper',
    grant: 'read',
    tool: 'run',
    input: { script: 'SELECT 1; /* open' },
    reason: /leaves a comment \(\/\*\) open/,
  },
  {
    name: 'COPY … TO PROGRAM at the write grant',
    grant: 'write',
    tool: 'run',
    input: { script: "COPY pgbench_accounts TO PROGRAM 'touch /tmp/pwned';" },
    reason: /runs a program on the database server \(COPY … PROGRAM\)/,
  },
  {
    name: 'ALTER SYSTEM at the write grant',
    grant: 'write',
    tool: 'run',
    input: { script: 'ALTER SYSTEM SET fsync = off;' },
    reason: /ALTER SYSTEM changes .*server-wide settings; it needs the admin grant/,
  },
  {
    name: 'a writing function that passes the static checks at the read grant',
    grant: 'read',
    tool: 'run',
    input: { script: 'SELECT cadre_sneaky_delete();', transactions: 1, clients: 1 },
    reason: /cannot execute DELETE in a read-only transaction/,
  },
  {
    name: 'the tpcb-like script at the read grant',
    grant: 'read',
    tool: 'run',
    input: { builtin: 'tpcb-like' },
    reason: /tpcb-like writes .* which needs the write grant/,
  },
  {
    name: 'the simple-update script at the read grant',
    grant: 'read',
    tool: 'run',
    input: { builtin: 'simple-update', transactions: 1 },
    reason: /simple-update writes .* which needs the write grant/,
  },
  {
    name: 'init at the read grant',
    grant: 'read',
    tool: 'init',
    input: { scale: 1 },
    reason: /Tool init not found/,
  },
  {
    name: 'init at a scale of 1000',
    grant: 'write',
    tool: 'init',
    input: { scale: 1000 },
    reason: /scale must be a whole number from 1 to 100/,
  },
  {
    name: 'an option smuggled into the init scale',
    grant: 'write',
    tool: 'init',
    input: { scale: '1 --foreign-keys' },
    reason: /scale must be a whole number from 1 to 100/,
  },
];

let database: TestDatabase;
let servers: Record<'read' | 'write', RunningServer>;
let checksumBefore: string;

beforeAll(async () => {
  await rm(pwned, { force: true });
  database = await createTestDatabase();
  const [read, write] = await Promise.all([
    startServer(database.url, 'read'),
    startServer(database.url, 'write'),
  ]);
  servers = { read, write };
  const init = await write.call('init', { scale: 1 });
  if (init.isError) throw new Error(`init failed: ${textOf(init)}`);
  await sql(
    database.url,
    `INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)
       SELECT n, 1, n, n * 10, timestamp '2024-01-01' FROM generate_series(1, 10) AS n;
     CREATE FUNCTION cadre_sneaky_delete() RETURNS bigint LANGUAGE sql
       AS 'DELETE FROM pgbench_history RETURNING 1';`,
  );
  checksumBefore = await pgbenchChecksum(database.url);
});

afterAll(async () => {
  await Promise.all([servers?.read.close(), servers?.write.close()]);
  await database?.drop();
});

describe('the pgbench server refuses hostile input', () => {
  it.each(hostile)('refuses $name ($grant grant)', async ({ grant, tool, input, reason }) => {
    const result = await servers[grant].call(tool, input);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(reason);
  });

  it('sends variables as parameters, so a value cannot turn SQL into a comment', async () => {
    // With pgbench pasting values as text, `-:x` with x = -1 became `--1`: a comment that hid the
    // opening quote, so the "string" on the next line ran as statements (COPY … PROGRAM).
    const script = [
      '\\set x -1',
      "SELECT 1 -:x '",
      `; ROLLBACK; BEGIN READ WRITE; CREATE TABLE cadre_pwned (t text); COPY cadre_pwned FROM PROGRAM 'touch ${pwned}'; COMMIT; BEGIN --';`,
    ].join('\n');
    for (const grant of ['read', 'write'] as const) {
      const result = await servers[grant].call('run', { script, transactions: 1 });
      // PostgreSQL gets `SELECT 1 - $1 '…'` (one statement, a syntax error), never the text.
      expect(result.isError, textOf(result)).toBe(true);
    }
    const tables = await sql<{ name: string | null }>(
      database.url,
      "SELECT to_regclass('cadre_pwned')::text AS name",
    );
    expect(tables[0]?.name).toBeNull();
    expect(existsSync(pwned)).toBe(false);
  });

  it('does not list init at the read grant', async () => {
    const tools = await servers.read.client.listTools();
    expect(tools.tools.map((listed) => listed.name)).toEqual(['run']);
  });

  it('leaves the pgbench tables, the file system and the temp directories untouched', async () => {
    expect(await pgbenchChecksum(database.url)).toBe(checksumBefore);
    const history = await sql<{ count: string }>(
      database.url,
      'SELECT count(*) AS count FROM pgbench_history',
    );
    expect(history[0]?.count).toBe('10');
    expect(existsSync(pwned)).toBe(false);
    expect(await readdir(servers.read.temporaryDirectory)).toEqual([]);
    expect(await readdir(servers.write.temporaryDirectory)).toEqual([]);
  });
});
