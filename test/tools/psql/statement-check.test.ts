import { describe, expect, it } from 'vitest';
import { lexSql } from '../../../tools/psql/sql-lexer.js';
import {
  checkExecuteStatement,
  checkExplainTarget,
  checkReadStatement,
} from '../../../tools/psql/statement-check.js';

const reason = (check: { allowed: boolean; reason?: string }) =>
  'reason' in check ? check.reason : undefined;

describe('the SQL lexer', () => {
  it('drops comments, nested ones too, and keeps strings and identifiers whole', () => {
    const lexed = lexSql(
      `/* a /* nested */ comment */ SELECT "Odd""Name", E'it\\'s', $tag$ $$ ; $tag$, a$b -- tail`,
    );
    expect(lexed.ok).toBe(true);
    if (!lexed.ok) return;
    expect(lexed.tokens.map((token) => [token.kind, token.value])).toEqual([
      ['word', 'select'],
      ['quoted-identifier', 'Odd"Name'],
      ['punctuation', ','],
      ['string', "it's"],
      ['punctuation', ','],
      ['string', ' $$ ; '],
      ['punctuation', ','],
      ['word', 'a$b'],
    ]);
  });

  it('decodes U&"…" identifiers, with UESCAPE', () => {
    const lexed = lexSql(`SELECT U&"d\\0061t\\+000061", U&"x!0041" UESCAPE '!'`);
    expect(
      lexed.ok &&
        lexed.tokens
          .filter((token) => token.kind === 'quoted-identifier')
          .map((token) => token.value),
    ).toEqual(['data', 'xA']);
  });

  it('decodes E-string escapes and U& strings with their UESCAPE character', () => {
    const values = (sql: string) => {
      const lexed = lexSql(sql);
      return lexed.ok ? lexed.tokens.filter((t) => t.kind === 'string').map((t) => t.value) : [];
    };
    expect(values("SELECT E'pg_read_fil\\x65', E'\\160g_\\u006cs_dir', E'a''b\\qc'")).toEqual([
      'pg_read_file',
      'pg_ls_dir',
      "a'bqc",
    ]);
    expect(values("SELECT U&'pg!005fls!005fdir' UESCAPE '!', U&'d\\0061ta'")).toEqual([
      'pg_ls_dir',
      '!',
      'data',
    ]);
  });

  it('refuses a string continued after a line break, whatever its kind and the comments between', () => {
    for (const sql of [
      "SELECT E''\n'\\' , ' , pg_read_file('/etc/passwd') AS f, ' -- '\n",
      "SELECT 'a'\n'b'",
      "SELECT 'a'  \r\n  'b'",
      "SELECT E'a' -- note\n'b'",
      "SELECT E'a'\n-- note\n'b'",
      "SELECT B'01'\n'10'",
      "SELECT U&'a'\n'b'",
      "SELECT 'a' /* x */\n/* y */ 'b'",
    ]) {
      const lexed = lexSql(sql);
      expect(lexed.ok, sql).toBe(false);
      expect(!lexed.ok && lexed.reason, sql).toMatch(/goes on after a line break/);
    }
    // The same strings on one line, or separated by something else, are two tokens as before.
    for (const sql of ["SELECT 'a' 'b'", "SELECT 'a',\n'b'", "SELECT 'a'\n|| 'b'"]) {
      expect(lexSql(sql).ok, sql).toBe(true);
    }
  });

  it('reads many U&"…" identifiers in time that grows with the text, not its square', () => {
    const sql = `SELECT ${'U&"a",'.repeat(100_000)} 1`;
    const lexed = lexSql(sql);
    expect(lexed.ok).toBe(true);
    expect(
      lexed.ok && lexed.tokens.filter((token) => token.kind === 'quoted-identifier'),
    ).toHaveLength(100_000);
  });

  it('refuses text it cannot read to the end', () => {
    expect(lexSql("SELECT 'open").ok).toBe(false);
    expect(lexSql('SELECT "open').ok).toBe(false);
    expect(lexSql('SELECT $x$ open').ok).toBe(false);
    expect(lexSql('SELECT /* /* */').ok).toBe(false);
  });
});

describe('the read statement check', () => {
  it.each([
    'SELECT 1',
    'select * from orders where status = $$delete$$',
    "SELECT 'pg_read_file' AS name",
    "SELECT currval('seq')",
    'WITH recent AS (SELECT * FROM orders) SELECT count(*) FROM recent',
    'VALUES (1), (2)',
    'TABLE orders',
    'SHOW work_mem',
    '(SELECT 1) UNION (SELECT 2)',
    'SELECT 1;',
    'EXPLAIN SELECT 1',
    'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT 1',
    'EXPLAIN DELETE FROM t',
    'EXPLAIN (ANALYZE false) UPDATE t SET v = 1',
    'SELECT pg_sleep(0.1)',
    'SELECT pg_size_pretty(pg_database_size(current_database()))',
    'SELECT 1 AS "into"',
  ])('allows %s', (sql) => {
    expect(checkReadStatement(sql)).toMatchObject({ allowed: true });
  });

  it.each([
    ['EXPLAIN (ANALYZE) DELETE FROM t', /EXPLAIN ANALYZE accepts/],
    ['EXPLAIN ("analyze") DELETE FROM t', /EXPLAIN ANALYZE accepts/],
    ['EXPLAIN (ANALYZE on, ANALYZE off) DELETE FROM t', /EXPLAIN ANALYZE accepts/],
    ['EXPLAIN ANALYSE VERBOSE INSERT INTO t VALUES (1)', /EXPLAIN ANALYZE accepts/],
    ['EXPLAIN SELECT * INTO t2 FROM t', /INTO creates a table/],
    ['SELECT * FROM t FOR KEY SHARE', /row locks/],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', /INSERT inside WITH/],
    ['MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE', /MERGE writes/],
    ['CREATE TABLE x (a int)', /CREATE writes; it needs the write grant/],
    ['GRANT SELECT ON t TO public', /GRANT changes privileges/],
    ['SELECT ts_stat($$select 1$$)', /ts_stat\(\) runs SQL passed as text/],
    ['SELECT pg_catalog.pg_switch_wal()', /administers the server/],
    ['SELECT pg_create_physical_replication_slot($$s$$)', /replication slots/],
    ['SELECT "PG_READ_FILE"($$x$$)', /pg_read_file\(\) reads files/],
    ['BEGIN', /BEGIN starts a transaction/],
    ['FETCH ALL FROM c', /FETCH reads a cursor/],
    ['SELECT * FROM pg_hba_file_rules', /reads the server’s configuration files/],
    ['SELECT pg_current_logfile()', /reads the server’s configuration files/],
    ["SELECT pg_read_file_old('postmaster.opts', 0, 200)", /reads files on the database server/],
    ['TABLE pg_catalog.pg_file_settings', /reads the server’s configuration files/],
    ['SELECT setseed(0.25)', /setseed\(\) seeds random\(\) for the rest of the session/],
    ["SELECT brin_summarize_new_values('b_brin')", /changes an index/],
    ["SELECT brin_desummarize_range('b_brin', 0)", /changes an index/],
    ["SELECT gin_clean_pending_list('g_idx')", /changes an index/],
    ["SELECT E''\n'\\' , ' , pg_advisory_lock(4242), ' -- '\n", /goes on after a line break/],
    ['SELECT 1 ; ', undefined],
  ])('refuses %s', (sql, expected) => {
    const check = checkReadStatement(sql);
    if (expected === undefined) {
      expect(check.allowed).toBe(true);
      return;
    }
    expect(check.allowed).toBe(false);
    expect(reason(check)).toMatch(expected);
  });

  it('checks what the explain tool is given', () => {
    expect(checkExplainTarget('SELECT 1', true)).toMatchObject({ allowed: true });
    expect(checkExplainTarget('UPDATE t SET v = 1', false)).toMatchObject({ allowed: true });
    expect(reason(checkExplainTarget('UPDATE t SET v = 1', true))).toMatch(
      /EXPLAIN ANALYZE accepts/,
    );
    expect(reason(checkExplainTarget('SHOW work_mem', false))).toMatch(/EXPLAIN accepts/);
  });
});

describe('the execute statement check', () => {
  it.each([
    "INSERT INTO t VALUES (4, 'four')",
    'CREATE INDEX CONCURRENTLY events_bucket_idx ON events (bucket)',
    'VACUUM (ANALYZE) events',
    'CALL p()',
    "SELECT nextval('seq')",
    'CREATE TABLE server_log (id int)',
    'CREATE OR REPLACE VIEW v AS SELECT 1',
    'ALTER TABLE t SET (fillfactor = 90)',
    'DROP FUNCTION f()',
    'CREATE SCHEMA reporting',
    "INSERT INTO t SELECT count(*)::int, 'x' FROM pg_stat_activity",
    "UPDATE t SET name = 'pg_authid' WHERE id = 1",
    'CREATE VIEW sizes AS SELECT pg_size_pretty(pg_database_size(current_database())) AS size',
    'CREATE VIEW recent AS SELECT id FROM t WHERE id > 2',
    'VACUUM (ANALYZE) t',
    'CREATE SCHEMA reporting CREATE TABLE facts (id int)',
    "COMMENT ON TABLE t IS 'orders'",
    'CREATE TEXT SEARCH CONFIGURATION english_copy (COPY = english)',
    'INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
  ])('allows %s at the write grant', (sql) => {
    expect(checkExecuteStatement(sql, 'write')).toMatchObject({ allowed: true });
  });

  it.each([
    'CREATE ROLE someone LOGIN',
    'GRANT SELECT ON t TO someone',
    "ALTER SYSTEM SET work_mem = '64MB'",
    "SET statement_timeout = '1min'",
    "COPY t TO '/tmp/t.csv'",
    "SELECT set_config('work_mem', '64MB', false)",
    'CREATE EXTENSION pg_stat_statements',
    'DO $$ BEGIN UPDATE counter SET n = n + 1; END $$',
    "DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROG' || 'RAM ''id'''; END $$",
    'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$',
    'ALTER FUNCTION f() SECURITY DEFINER',
    "UPDATE pg_catalog.pg_authid SET rolsuper = true WHERE rolname = 'x'",
    "UPDATE pg_authid SET rolsuper = true WHERE rolname = 'x'",
    'WITH x AS (DELETE FROM "pg_catalog"."pg_db_role_setting" RETURNING 1) SELECT 1',
    'INSERT INTO pg_catalog.pg_auth_members VALUES (1, 2, 3, false)',
    'TRUNCATE t, pg_catalog.pg_statistic',
    'CREATE SCHEMA s GRANT ALL ON TABLE public.t TO someone',
    'ALTER TABLE t OWNER TO someone',
    "UPDATE mydb.pg_catalog.pg_authid SET rolsuper = true WHERE rolname = 'x'",
    'CREATE VIEW cat_v AS SELECT * FROM pg_authid',
    'CREATE OR REPLACE VIEW settings_v AS SELECT name, setting FROM pg_catalog.pg_settings',
    'CREATE OPERATOR ### (RIGHTARG = text, FUNCTION = my_function)',
    'CREATE AGGREGATE my_sum (int) (SFUNC = int4pl, STYPE = int)',
    "CREATE FOREIGN TABLE ft (l text) SERVER files OPTIONS (program 'id')",
    'IMPORT FOREIGN SCHEMA public FROM SERVER other INTO imported',
    'CREATE SCHEMA s AUTHORIZATION someone',
    'ALTER TABLE t DISABLE ROW LEVEL SECURITY',
    'CREATE POLICY everyone ON t USING (true)',
    'DROP POLICY everyone ON t',
    'CREATE SCHEMA h4 CREATE VIEW a AS SELECT * FROM pg_authid',
    'CREATE RULE "_RETURN" AS ON SELECT TO rt DO INSTEAD SELECT oid, prosrc FROM pg_proc',
    "CREATE DEFAULT CONVERSION c FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8",
    'CREATE TEXT SEARCH TEMPLATE tpl (LEXIZE = dsimple_lexize)',
    'LOCK pg_catalog.pg_authid IN ACCESS EXCLUSIVE MODE',
    'VACUUM FULL pg_authid',
    'REINDEX SYSTEM mydb',
    "COMMENT ON TABLE pg_authid IS 'x'",
  ])('allows %s only at the admin grant', (sql) => {
    expect(checkExecuteStatement(sql, 'write').allowed).toBe(false);
    expect(reason(checkExecuteStatement(sql, 'write'))).toMatch(/admin grant/);
    expect(checkExecuteStatement(sql, 'admin')).toMatchObject({ allowed: true });
  });

  it.each([
    ["COPY t FROM PROGRAM 'id'", /never allowed/],
    ['COPY t FROM STDIN', /STDIN \/ TO STDOUT is not supported/],
    ["SELECT lo_export(1, '/tmp/x')", /never allowed/],
    ["SELECT dblink('dbname=test', 'select 1')", /never allowed/],
    [
      "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT pg_read_file(''/etc/passwd'')'",
      /never allowed/,
    ],
    ['PREPARE x AS SELECT 1', /prepared statements, which do not outlive the call/],
    [
      "CREATE FUNCTION rf(text) RETURNS text LANGUAGE internal STRICT AS 'pg_read_file_all'",
      /pg_read_file_all reads files .* never allowed/,
    ],
    ["CREATE OPERATOR ### (RIGHTARG = text, FUNCTION = E'pg_read_fil\\x65')", /never allowed/],
    [
      "CREATE AGGREGATE a (text) (SFUNC = U&'pg!005fls!005fdir' UESCAPE '!', STYPE = text)",
      /never allowed/,
    ],
    [
      'DO $$ BEGIN COPY t FROM PROGRAM $q$echo x$q$; END $$',
      /COPY … PROGRAM runs a shell command .* never allowed/,
    ],
    ['LISTEN x', /needs a session that stays open/],
    ['DECLARE c CURSOR FOR SELECT 1', /cursors/],
    ['SAVEPOINT s', /transaction control/],
  ])('refuses %s at every grant', (sql, expected) => {
    for (const grant of ['write', 'admin'] as const) {
      const check = checkExecuteStatement(sql, grant);
      expect(check.allowed).toBe(false);
      expect(reason(check)).toMatch(expected);
    }
  });

  it('refuses everything at the read grant', () => {
    expect(reason(checkExecuteStatement('SELECT 1', 'read'))).toBe(
      'refused: execute needs the write grant; this server runs with the read grant',
    );
  });
});
