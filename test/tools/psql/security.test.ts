import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPsqlServer } from './psql-mcp-client.js';
import type { PsqlServerProcess } from './psql-mcp-client.js';
import { createPsqlTestDatabase } from './psql-test-database.js';
import type { PsqlTestDatabase } from './psql-test-database.js';

/** One hostile input and the refusal it must get. */
interface HostileCase {
  name: string;
  sql: string;
  reason: RegExp;
}

let database: PsqlTestDatabase;
let reader: PsqlServerProcess;
let writer: PsqlServerProcess;
let admin: PsqlServerProcess;
let before: Record<string, unknown>;
/** Files a hostile statement would create if it got through. */
let files: { program: string; copy: string; adminProgram: string; writeCopy: string };

beforeAll(async () => {
  database = await createPsqlTestDatabase();
  files = {
    program: `/tmp/cadre-psql-${database.suffix}-program`,
    copy: `/tmp/cadre-psql-${database.suffix}-copy`,
    adminProgram: `/tmp/cadre-psql-${database.suffix}-admin-program`,
    writeCopy: `/tmp/cadre-psql-${database.suffix}-write-copy`,
  };
  [reader, writer, admin] = await Promise.all([
    startPsqlServer(database.readerUrl, 'read'),
    startPsqlServer(database.writerUrl, 'write'),
    startPsqlServer(database.writerUrl, 'admin'),
  ]);
  before = await database.fingerprint();
}, 20_000);

afterAll(async () => {
  await Promise.all([reader?.close(), writer?.close(), admin?.close()]);
  await database?.drop();
});

const readCases = (): HostileCase[] => [
  {
    name: 'a second statement after SELECT',
    sql: 'SELECT 1; DROP TABLE t',
    reason: /more than one statement/,
  },
  {
    name: 'COMMIT then DROP',
    sql: 'COMMIT; DROP TABLE t',
    reason: /COMMIT ends the read-only transaction; one read-only statement per call/,
  },
  {
    name: 'ROLLBACK then DELETE',
    sql: 'ROLLBACK; DELETE FROM t',
    reason: /ROLLBACK ends the read-only transaction/,
  },
  {
    name: 'a trailing comment after a semicolon',
    sql: 'select 1; --',
    reason: /more than one statement/,
  },
  {
    name: 'END then INSERT',
    sql: "END; INSERT INTO t VALUES (99, 'x')",
    reason: /END ends the read-only transaction/,
  },
  {
    name: 'a semicolon hidden after a string',
    sql: "SELECT 'a;b'; DROP TABLE t",
    reason: /more than one statement/,
  },
  {
    name: 'a semicolon after a dollar-quoted string',
    sql: 'SELECT $q$;$q$; DELETE FROM t',
    reason: /more than one statement/,
  },
  {
    name: 'turning read-only off with SET',
    sql: 'SET default_transaction_read_only = off',
    reason: /SET changes session settings \(it could turn read-only off\)/,
  },
  {
    name: 'SET SESSION AUTHORIZATION',
    sql: 'SET SESSION AUTHORIZATION postgres',
    reason: /SET changes session settings/,
  },
  {
    name: 'SET TRANSACTION READ WRITE',
    sql: 'SET TRANSACTION READ WRITE',
    reason: /SET changes session settings/,
  },
  { name: 'RESET ALL', sql: 'RESET ALL', reason: /RESET changes session settings/ },
  {
    name: 'set_config turning read-only off',
    sql: "SELECT set_config('default_transaction_read_only','off',false)",
    reason: /set_config\(\) changes settings \(it can turn read-only off\)/,
  },
  {
    name: 'COPY TO PROGRAM',
    sql: "COPY t TO PROGRAM 'id'",
    reason: /COPY reads and writes server files and programs/,
  },
  {
    name: 'COPY TO PROGRAM that would create a file',
    sql: `COPY t TO PROGRAM 'touch /tmp/cadre-psql-SUFFIX-program'`,
    reason: /COPY reads and writes server files/,
  },
  {
    name: 'COPY a query to a server file',
    sql: `COPY (select 1) TO '/tmp/cadre-psql-SUFFIX-copy'`,
    reason: /COPY reads and writes server files/,
  },
  {
    name: 'pg_read_file',
    sql: "SELECT pg_read_file('/etc/passwd')",
    reason: /pg_read_file\(\) reads files on the database server; it is never allowed/,
  },
  {
    name: 'pg_read_file in capitals',
    sql: "select PG_READ_FILE('/etc/hostname')",
    reason: /pg_read_file\(\) reads files/,
  },
  {
    name: 'pg_read_file quoted and schema-qualified',
    sql: `SELECT "pg_catalog"."pg_read_file"('x')`,
    reason: /pg_read_file\(\) reads files/,
  },
  {
    name: 'pg_read_file spelled with Unicode escapes',
    sql: `SELECT U&"pg\\005fread\\005ffile"('/etc/passwd')`,
    reason: /pg_read_file\(\) reads files/,
  },
  {
    name: 'pg_read_file with a UESCAPE character',
    sql: `SELECT U&"pg!005fread!005ffile" UESCAPE '!' ('/etc/passwd')`,
    reason: /pg_read_file reads files/,
  },
  {
    name: 'pg_read_binary_file behind a comment',
    sql: "SELECT pg_catalog./**/pg_read_binary_file('/etc/passwd')",
    reason: /pg_read_binary_file\(\) reads files/,
  },
  {
    name: 'pg_ls_dir as a table function',
    sql: "SELECT * FROM pg_ls_dir('.')",
    reason: /pg_ls_dir\(\) lists directories/,
  },
  {
    name: 'pg_stat_file',
    sql: "SELECT pg_stat_file('postgresql.conf')",
    reason: /pg_stat_file\(\) reads file metadata/,
  },
  {
    name: 'lo_import',
    sql: "SELECT lo_import('/etc/passwd')",
    reason: /lo_import\(\) copies files/,
  },
  { name: 'lo_export', sql: "SELECT lo_export(1, '/tmp/x')", reason: /lo_export\(\) copies files/ },
  {
    name: 'dblink_exec',
    sql: "SELECT dblink_exec('dbname=test', 'DROP TABLE t')",
    reason: /dblink_exec\(\) opens connections to other servers/,
  },
  {
    name: 'SQL hidden in query_to_xml',
    sql: "SELECT query_to_xml('select pg_read_file(''/etc/passwd'')', true, true, '')",
    reason: /query_to_xml\(\) runs SQL passed as text/,
  },
  {
    name: 'a writable CTE',
    sql: 'WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x',
    reason: /DELETE inside WITH \(a data-modifying CTE\) writes/,
  },
  {
    name: 'SELECT … FOR UPDATE',
    sql: 'SELECT * FROM t FOR UPDATE',
    reason: /FOR UPDATE\/SHARE takes row locks/,
  },
  {
    name: 'SELECT … FOR NO KEY UPDATE',
    sql: 'SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED',
    reason: /takes row locks/,
  },
  {
    name: 'SELECT … INTO',
    sql: 'SELECT * INTO t2 FROM t',
    reason: /SELECT … INTO creates a table/,
  },
  {
    name: 'a DO block',
    sql: 'DO $$ BEGIN DELETE FROM t; END $$',
    reason: /DO runs procedural code that can write/,
  },
  {
    name: 'nextval',
    sql: "SELECT nextval('seq')",
    reason: /nextval\(\) changes a sequence, which a rollback does not undo/,
  },
  { name: 'setval', sql: "SELECT setval('seq', 1000)", reason: /setval\(\) changes a sequence/ },
  {
    name: 'txid_current',
    sql: 'SELECT txid_current()',
    reason: /txid_current\(\) assigns a transaction id/,
  },
  {
    name: 'pg_terminate_backend',
    sql: 'SELECT pg_terminate_backend(1)',
    reason: /pg_terminate_backend\(\) stops other sessions/,
  },
  {
    name: 'pg_advisory_lock',
    sql: 'SELECT pg_advisory_lock(42)',
    reason: /pg_advisory_lock\(\) takes or releases advisory locks/,
  },
  {
    name: 'pg_reload_conf',
    sql: 'SELECT pg_reload_conf()',
    reason: /pg_reload_conf\(\) administers the server/,
  },
  { name: 'CALL', sql: 'CALL p()', reason: /CALL runs a procedure that can write/ },
  { name: 'LOCK TABLE', sql: 'LOCK TABLE t', reason: /LOCK takes table locks/ },
  { name: 'VACUUM', sql: 'VACUUM t', reason: /VACUUM is maintenance that writes/ },
  { name: 'TRUNCATE', sql: 'TRUNCATE t', reason: /TRUNCATE writes/ },
  { name: 'DROP TABLE', sql: 'DROP TABLE t', reason: /DROP writes; it needs the write grant/ },
  { name: 'LISTEN', sql: 'LISTEN channel', reason: /LISTEN is asynchronous messaging/ },
  {
    name: 'PREPARE',
    sql: 'PREPARE x AS DELETE FROM t',
    reason: /PREPARE manages prepared statements/,
  },
  { name: 'DISCARD', sql: 'DISCARD ALL', reason: /DISCARD changes session state/ },
  {
    name: 'EXPLAIN ANALYZE of a DELETE',
    sql: 'EXPLAIN ANALYZE DELETE FROM t',
    reason: /EXPLAIN ANALYZE accepts SELECT, WITH, VALUES or TABLE/,
  },
  {
    name: 'EXPLAIN (ANALYZE) of a writable CTE',
    sql: 'EXPLAIN (ANALYZE, BUFFERS) WITH x AS (DELETE FROM t RETURNING 1) SELECT * FROM x',
    reason: /DELETE inside WITH/,
  },
  {
    name: 'a keyword split by a comment',
    sql: 'SELE/**/CT 1',
    reason: /SELE is not a read statement/,
  },
  { name: 'a psql meta-command', sql: '\\! id', reason: /psql meta-commands/ },
  {
    name: 'an unterminated string that hides the rest',
    sql: "SELECT 'abc; DROP TABLE t",
    reason: /a string is not closed/,
  },
  {
    name: 'an unterminated comment',
    sql: 'SELECT 1 /* DROP TABLE t',
    reason: /comment is not closed/,
  },
  {
    name: 'a NUL character that would cut the text short',
    sql: 'SELECT 1\u0000; DROP TABLE t',
    reason: /NUL character/,
  },
  {
    name: 'resetting statistics',
    sql: 'SELECT pg_stat_statements_reset()',
    reason: /changes server-wide state/,
  },
  { name: 'an empty statement', sql: ' -- nothing here\n', reason: /the SQL is empty/ },
  {
    name: 'an E-string continued on the next line, hiding a call in what looks like a string',
    sql: "SELECT E''\n'\\' , ' , pg_read_file('/etc/hostname') AS f, ' -- '\n",
    reason: /a string literal goes on after a line break/,
  },
  {
    name: 'the same continuation behind a comment line, hiding an advisory lock',
    sql: "SELECT E''\n-- note\n'\\' , ' , pg_advisory_lock(4242), ' -- '\n",
    reason: /a string literal goes on after a line break/,
  },
  {
    name: 'pg_read_file_old',
    sql: "SELECT pg_read_file_old('postmaster.opts', 0, 200)",
    reason: /pg_read_file_old\(\) reads files on the database server/,
  },
  {
    name: 'setseed, whose seed outlives the call',
    sql: 'SELECT setseed(0.25)',
    reason: /setseed\(\) seeds random\(\)/,
  },
  {
    name: 'a BRIN summary, which the rollback does not undo',
    sql: "SELECT brin_summarize_new_values('t_pkey')",
    reason: /changes an index in a way a rollback does not undo/,
  },
];

describe('hostile SQL at the read grant, as a non-superuser', () => {
  it.each(readCases())('refuses $name', async ({ sql, reason }) => {
    const result = await reader.call('query', { sql: sql.replace('SUFFIX', database.suffix) });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^refused: /);
    expect(result.text).toMatch(reason);
  });

  it('refuses the same tricks through explain', async () => {
    for (const sql of [
      "SELECT pg_read_file('/etc/passwd')",
      'SELECT 1; DROP TABLE t',
      'DELETE FROM t',
    ]) {
      const result = await reader.call('explain', { sql, analyze: true });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^refused: /);
    }
    const wrapped = await reader.call('explain', { sql: 'EXPLAIN SELECT 1' });
    expect(wrapped.text).toMatch(/^refused: give the statement without EXPLAIN/);
  });

  it('keeps a lone COMMIT from opening a write window for the next call', async () => {
    const commit = await reader.call('query', { sql: 'COMMIT' });
    expect(commit.isError).toBe(true);
    expect(commit.text).toBe(
      'refused: COMMIT ends the read-only transaction; one read-only statement per call',
    );
    const insert = await reader.call('query', { sql: "INSERT INTO t VALUES (100, 'y')" });
    expect(insert.isError).toBe(true);
    expect(insert.text).toMatch(/^refused: INSERT writes/);
    const state = await reader.call('query', {
      sql: "SELECT current_setting('transaction_read_only')",
    });
    expect((state.data as { rows: unknown[][] }).rows).toEqual([['on']]);
  });

  it('lets READ ONLY stop a function with a hidden write, and the counter stays unchanged', async () => {
    const result = await reader.call('query', { sql: 'SELECT bump()' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/cannot execute UPDATE in a read-only transaction/);
    expect(result.text).toMatch(/read-only transaction, which stops writes/);
    const analyzed = await reader.call('explain', { sql: 'SELECT bump()', analyze: true });
    expect(analyzed.isError).toBe(true);
    const counter = await database.admin.query('SELECT n FROM counter');
    expect(counter.rows).toEqual([{ n: 0 }]);
  });

  it('truncates a huge result at the cap instead of failing or reading it all', async () => {
    const result = await reader.call('query', { sql: 'SELECT generate_series(1, 1000000)' });
    expect(result.isError).toBe(false);
    const data = result.data as { rows: unknown[][]; rowCount: number; truncated: boolean };
    expect(data.rowCount).toBe(500);
    expect(data.rows).toHaveLength(500);
    expect(data.rows.at(-1)).toEqual([500]);
    expect(data.truncated).toBe(true);
    expect(result.text).toMatch(/\(500 rows\) truncated/);
  });

  it('refuses a value too large to hold instead of crashing, and the next call works', async () => {
    const result = await reader.call('query', { sql: "SELECT repeat('x', 80000000)" });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^failed: the result is larger than 64 MB, too large to hold/);
    const next = await reader.call('query', { sql: 'SELECT 1 AS one' });
    expect((next.data as { rows: unknown[][] }).rows).toEqual([[1]]);
  });

  it('stops an endless query at the timeout', async () => {
    const quick = await startPsqlServer(database.readerUrl, 'read', ['--timeout-ms', '1000']);
    try {
      const result = await quick.call('query', { sql: 'SELECT pg_sleep(60)' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^timed out: the statement ran longer than 1000 ms/);
      const next = await quick.call('query', { sql: 'SELECT 1 AS one' });
      expect(next.isError).toBe(false);
    } finally {
      await quick.close();
    }
  });

  it('allows harmless statements that only look dangerous', async () => {
    const cases: [string, unknown[][]][] = [
      ['SELECT 1 /* ; DROP TABLE t */', [[1]]],
      ['/* nested /* comment */ ; DROP TABLE t */ SELECT 2', [[2]]],
      [
        "SELECT 'pg_read_file(''/etc/passwd''); DROP TABLE t' AS text",
        [["pg_read_file('/etc/passwd'); DROP TABLE t"]],
      ],
      ["SELECT E'\\'; DROP TABLE t; --' AS text", [["'; DROP TABLE t; --"]]],
      ['SELECT $$ COMMIT; DELETE FROM t $$ AS text', [[' COMMIT; DELETE FROM t ']]],
      ['SELECT count(*)::int FROM t;', [[3]]],
      ["SELECT substring('abcdef' from 2 for 3)", [['bcd']]],
      ['SELECT 1 AS "update"', [[1]]],
    ];
    for (const [sql, rows] of cases) {
      const result = await reader.call('query', { sql });
      expect(result.isError, `${sql}: ${result.text}`).toBe(false);
      expect((result.data as { rows: unknown[][] }).rows).toEqual(rows);
    }
  });
});

const writeCases = (): HostileCase[] => [
  {
    name: 'CREATE ROLE',
    sql: 'CREATE ROLE cadre_psql_SUFFIX_evil SUPERUSER LOGIN',
    reason: /CREATE ROLE changes roles.*needs the admin grant/,
  },
  {
    name: 'ALTER ROLE … SUPERUSER',
    sql: 'ALTER ROLE READER SUPERUSER',
    reason: /ALTER ROLE changes roles/,
  },
  {
    name: 'ALTER USER … SET',
    sql: 'ALTER USER READER SET default_transaction_read_only = off',
    reason: /ALTER USER changes roles/,
  },
  { name: 'DROP ROLE', sql: 'DROP ROLE READER', reason: /DROP ROLE changes roles/ },
  {
    name: 'GRANT a role',
    sql: 'GRANT pg_write_all_data TO READER',
    reason: /GRANT changes privileges; it needs the admin grant/,
  },
  { name: 'REVOKE', sql: 'REVOKE SELECT ON t FROM READER', reason: /REVOKE changes privileges/ },
  {
    name: 'ALTER SYSTEM',
    sql: "ALTER SYSTEM SET work_mem = '1GB'",
    reason: /ALTER SYSTEM changes .*server-wide settings/,
  },
  {
    name: 'SET',
    sql: "SET work_mem = '1GB'",
    reason: /SET changes session settings; it needs the admin grant/,
  },
  { name: 'RESET', sql: 'RESET ALL', reason: /RESET changes session settings/ },
  {
    name: 'ALTER DATABASE … SET',
    sql: 'ALTER DATABASE DATABASE SET default_transaction_read_only = off',
    reason: /ALTER DATABASE changes/,
  },
  {
    name: 'CREATE EXTENSION',
    sql: 'CREATE EXTENSION pg_stat_statements',
    reason: /CREATE EXTENSION changes .*extensions/,
  },
  {
    name: 'installing dblink',
    sql: 'CREATE EXTENSION dblink',
    reason: /dblink opens connections to other servers; it is never allowed/,
  },
  {
    name: 'COPY to a server file',
    sql: "COPY t TO '/tmp/cadre-psql-SUFFIX-write-copy'",
    reason: /COPY … TO\/FROM a file .* needs the admin grant/,
  },
  {
    name: 'COPY FROM PROGRAM',
    sql: "COPY t FROM PROGRAM 'id'",
    reason: /COPY … PROGRAM runs a shell command .* never allowed/,
  },
  {
    name: 'set_config',
    sql: "SELECT set_config('work_mem', '1GB', false)",
    reason: /set_config\(\) .* needs the admin grant/,
  },
  {
    name: 'pg_read_file',
    sql: "SELECT pg_read_file('/etc/passwd')",
    reason: /pg_read_file\(\) reads files .* never allowed/,
  },
  {
    name: 'pg_read_file inside a DO block',
    sql: "DO $$ BEGIN PERFORM pg_read_file('/etc/passwd'); END $$",
    reason: /pg_read_file\(\) .* never allowed, at any grant \(named inside a string/,
  },
  {
    name: 'dblink inside a function body',
    sql: "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT dblink_exec('dbname=test', 'DROP TABLE t') $$",
    reason: /dblink_exec\(\) opens connections/,
  },
  {
    name: 'COPY … PROGRAM inside a DO block',
    sql: "DO $$ BEGIN COPY (SELECT 1) TO PROGRAM 'touch /tmp/cadre-psql-SUFFIX-program'; END $$",
    reason:
      /COPY … PROGRAM runs a shell command .*never allowed, at any grant \(named inside a string/,
  },
  {
    name: 'a role change built as text inside a DO block',
    sql: "DO $$ BEGIN EXECUTE 'ALTER ROLE READER ' || 'SUPERUSER'; END $$",
    reason: /DO runs procedural code/,
  },
  {
    name: 'a renamed copy of pg_read_file (LANGUAGE internal)',
    sql: "CREATE FUNCTION cadre_rf(text) RETURNS text LANGUAGE internal STRICT AS 'pg_read_file_all'",
    reason: /pg_read_file_all reads files on the database server; it is never allowed/,
  },
  {
    name: 'writing the role catalog',
    sql: "UPDATE pg_catalog.pg_authid SET rolcreaterole = true WHERE rolname = 'READER'",
    reason: /writing to pg_catalog\.pg_authid changes the system catalogs/,
  },
  {
    name: 'a grant inside CREATE SCHEMA',
    sql: 'CREATE SCHEMA cadre_s GRANT ALL ON TABLE public.t TO READER',
    reason: /CREATE SCHEMA … GRANT changes privileges/,
  },
  {
    name: 'giving a table away',
    sql: 'ALTER TABLE t OWNER TO READER',
    reason: /OWNER TO changes ownership/,
  },
  {
    name: 'the role catalog named with its database',
    sql: "UPDATE DBNAME.pg_catalog.pg_authid SET rolcreaterole = true WHERE rolname = 'READER'",
    reason: /writing to pg_catalog\.pg_authid changes the system catalogs/,
  },
  {
    name: 'a view to write the role catalog through',
    sql: 'CREATE VIEW cadre_cat_v AS SELECT * FROM pg_authid',
    reason: /a view over the system catalogs could be written through/,
  },
  {
    name: 'pg_read_file as an operator, named by an escaped string',
    sql: "CREATE OPERATOR ### (RIGHTARG = text, FUNCTION = E'pg_read_fil\\x65')",
    reason: /pg_read_file reads files .* never allowed/,
  },
  {
    name: 'a foreign table that runs a program',
    sql: "CREATE FOREIGN TABLE cadre_ft (l text) SERVER files OPTIONS (program 'id')",
    reason: /CREATE FOREIGN TABLE reads through a foreign server/,
  },
  {
    name: 'a view over the role catalog made inside CREATE SCHEMA',
    sql: 'CREATE SCHEMA cadre_h4 CREATE VIEW a AS SELECT * FROM pg_authid',
    reason: /a view over the system catalogs could be written through/,
  },
  {
    name: 'a table turned into a view over pg_proc by a rule',
    sql: 'CREATE RULE "_RETURN" AS ON SELECT TO t DO INSTEAD SELECT oid, prosrc FROM pg_proc',
    reason: /CREATE RULE/,
  },
  {
    name: 'locking the role catalog (every login waits)',
    sql: 'LOCK pg_catalog.pg_authid IN ACCESS EXCLUSIVE MODE',
    reason: /LOCK on the system catalogs can block every session/,
  },
  { name: 'COMMIT', sql: 'COMMIT', reason: /COMMIT is transaction control/ },
  { name: 'BEGIN then DROP', sql: 'BEGIN; DROP TABLE t', reason: /BEGIN is transaction control/ },
  {
    name: 'a second statement',
    sql: 'DELETE FROM t WHERE id = 1; DROP TABLE t',
    reason: /more than one statement/,
  },
];

describe('admin-only statements at the write grant', () => {
  it.each(writeCases())('refuses $name', async ({ sql, reason }) => {
    const text = sql
      .replace('SUFFIX', database.suffix)
      .replace('READER', database.reader)
      .replace('DATABASE SET', `${database.name} SET`)
      .replace('DBNAME', database.name);
    const result = await writer.call('execute', { sql: text });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^refused: /);
    expect(result.text).toMatch(reason);
  });

  it('still refuses COPY … PROGRAM and file functions at the admin grant', async () => {
    for (const sql of [
      `COPY t TO PROGRAM 'touch ${files.adminProgram}'`,
      "SELECT pg_read_file('/etc/passwd')",
      "SELECT * FROM pg_ls_dir('/')",
    ]) {
      const result = await admin.call('execute', { sql });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/never allowed, at any grant/);
    }
  });

  it('lets the admin grant SET, and resets it after the call', async () => {
    const set = await admin.call('execute', { sql: "SET work_mem = '64MB'" });
    expect(set.isError).toBe(false);
    expect(set.text).toContain('lasted only for this call');
    const after = await admin.call('query', { sql: "SELECT current_setting('work_mem')" });
    expect((after.data as { rows: unknown[][] }).rows[0]?.[0]).not.toBe('64MB');
  });
});

describe('as the superuser postgres', () => {
  it('warns at start and still refuses pg_read_file and friends', async () => {
    const superuser = await startPsqlServer(database.superuserUrl, 'read');
    try {
      expect(superuser.stderr()).toContain('connected as postgres');
      expect(superuser.stderr()).toContain('warning: postgres is a superuser');
      expect(superuser.stderr()).toContain(
        'CREATE ROLE cadre_reader LOGIN; GRANT pg_read_all_data, pg_monitor TO cadre_reader;',
      );
      for (const sql of [
        "SELECT pg_read_file('/etc/passwd')",
        "SELECT pg_catalog.pg_read_binary_file('/etc/passwd')",
        "SELECT * FROM pg_ls_dir('.')",
        `COPY (select 1) TO '${files.copy}'`,
        "SELECT lo_import('/etc/passwd')",
        "SELECT set_config('default_transaction_read_only', 'off', false)",
        "SELECT E''\n'\\' , ' , pg_read_file('/etc/hostname') AS f, ' -- '\n",
        "SELECT E''\n'\\' , ' , lo_export(1, '/tmp/cadre-psql-x'), ' -- '\n",
      ]) {
        const result = await superuser.call('query', { sql });
        expect(result.isError, sql).toBe(true);
        expect(result.text).toMatch(/^refused: /);
      }
    } finally {
      await superuser.close();
    }
  });
});

describe('after the suite', () => {
  it('leaves the database, roles and settings unchanged and creates no file', async () => {
    expect(await database.fingerprint()).toEqual(before);
    for (const file of Object.values(files)) expect(existsSync(file), file).toBe(false);
  });
});
