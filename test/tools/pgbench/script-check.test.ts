import { describe, expect, it } from 'vitest';
import { checkScript, withParameters } from '../../../tools/pgbench/script-check.js';
import { lexPgbenchScript } from '../../../tools/pgbench/script-lexer.js';

function statementsOf(text: string): string[] {
  return lexPgbenchScript(text).statements.map((tokens) =>
    tokens.map((token) => token.text).join(' '),
  );
}

describe('lexing a pgbench script', () => {
  it('splits statements at semicolons outside quotes, comments and parentheses', () => {
    expect(
      statementsOf(
        "SELECT 'a;b', \"c;d\", $$e;f$$, $tag$g;h$tag$ -- i;j\n; SELECT (1;\n2) /* k; /* l; */ m; */; VALUES (E'\\';')",
      ),
    ).toEqual([
      'SELECT \'a;b\' , "c;d" , $$e;f$$ , $tag$g;h$tag$',
      'SELECT ( 1 ; 2 )',
      "VALUES ( E'\\';' )",
    ]);
  });

  it('ends a statement where a meta-command begins and notes where it stands', () => {
    const lexed = lexPgbenchScript('\\set aid random(1, 10)\nSELECT :aid \\gset\nSELECT 2');
    expect(lexed.statements.map((tokens) => tokens.map((token) => token.text))).toEqual([
      ['SELECT', ':aid'],
      ['SELECT', '2'],
    ]);
    expect(lexed.metaCommands).toEqual([
      { name: 'set', line: 1, atLineStart: true },
      { name: 'gset', line: 2, atLineStart: false },
    ]);
    expect(lexed.endsInsideStatement).toBe(true);
  });

  it('treats identifiers with dollar signs as identifiers, not dollar quotes', () => {
    expect(statementsOf('SELECT a$b$ FROM t; SELECT $1')).toEqual([
      'SELECT a$b$ FROM t',
      'SELECT $1',
    ]);
  });

  it('reports what is left open', () => {
    expect(lexPgbenchScript("SELECT 'open").unterminated).toBe("a string (')");
    expect(lexPgbenchScript('SELECT $x$ open').unterminated).toBe('a dollar-quoted string ($x$)');
    expect(lexPgbenchScript('SELECT (1').unterminated).toBe('a parenthesis (()');
    expect(lexPgbenchScript('SELECT 1)').unbalanced).toBe(true);
  });
});

describe('checking a custom script', () => {
  it('wraps a read script in a read-only transaction and closes its last statement', () => {
    expect(checkScript('\\set n 5\nSELECT :n', 'read')).toEqual({
      ok: true,
      script: 'BEGIN TRANSACTION READ ONLY;\n\\set n 5\nSELECT :n\n;\nROLLBACK;\n',
    });
  });

  it('passes a write script through unchanged at the write grant', () => {
    expect(checkScript('UPDATE t SET x = 1;', 'write')).toEqual({
      ok: true,
      script: 'UPDATE t SET x = 1;\n',
    });
  });

  it.each([
    ['SELECT 1 FOR UPDATE', /uses UPDATE/],
    ['SELECT * INTO copy FROM pgbench_accounts', /uses INTO/],
    ['SHOW ALL; SET work_mem = 1', /'SET work_mem = 1' is not a read-only statement/],
    ['SELECT "lo_import"(\'/etc/passwd\')', /lo_import\(\) copies files/],
    ["SELECT query_to_xml('DELETE FROM t', true, true, '')", /query_to_xml\(\) runs SQL/],
    ['SELECT pg_terminate_backend(1)', /pg_terminate_backend\(\) stops other sessions/],
    ['(SELECT 1)', /is not a read-only statement/],
    ['\\sleep 1 s', /has no SQL statement/],
  ])('refuses %s at the read grant', (script, reason) => {
    const check = checkScript(script, 'read');
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(reason);
  });

  it('refuses roles and settings below the admin grant and allows them at admin', () => {
    expect(checkScript('CREATE ROLE intruder SUPERUSER;', 'write').ok).toBe(false);
    expect(checkScript('GRANT ALL ON t TO x;', 'write').ok).toBe(false);
    expect(checkScript('CREATE ROLE intruder;', 'admin').ok).toBe(true);
  });

  it('checks each statement as the psql tool does: escaped names, continued strings, code', () => {
    const readRefused: [string, RegExp][] = [
      ['SELECT U&"pg_read_file"(\'/etc/hostname\');', /pg_read_file\(\) reads files/],
      ["SELECT U&\"pg!005fls!005fdir\" UESCAPE '!' ('/tmp');", /pg_ls_dir lists directories/],
      ["SELECT 'a'\n'b';", /goes on after a line break/],
      ['SELECT 1 FROM pgbench_branches FOR SHARE;', /row locks/],
    ];
    for (const [script, reason] of readRefused) {
      const check = checkScript(script, 'read');
      expect(check.ok, script).toBe(false);
      expect(check.ok ? '' : check.reason).toMatch(reason);
    }
    const writeRefused: [string, RegExp][] = [
      ["DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROG' || 'RAM ''id'''; END $$;", /DO runs/],
      ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';", /defines code/],
      ['UPDATE pg_catalog.pg_authid SET rolsuper = true;', /system catalogs/],
      ['SELECT pg_terminate_backend(1);', /needs the admin grant/],
      ['SELECT 1 AS n \\gset\nSELECT :n;', /\\gset is refused at the write grant/],
    ];
    for (const [script, reason] of writeRefused) {
      const check = checkScript(script, 'write');
      expect(check.ok, script).toBe(false);
      expect(check.ok ? '' : check.reason).toMatch(reason);
      expect(checkScript(script, 'admin').ok, script).toBe(true);
    }
    // A transaction inside a write script is the script's own business.
    expect(checkScript('BEGIN;\nUPDATE t SET x = 1;\nEND;', 'write').ok).toBe(true);
  });

  it('checks a statement as pgbench sends it in extended mode: variables as parameters', () => {
    expect(withParameters("SELECT :a + :b_2::int, ':a' FROM t -- :c")).toBe(
      "SELECT $1 + $2::int, '$3' FROM t -- $4",
    );
    expect(withParameters('SELECT x::text, y:::z, ":"')).toBe('SELECT x::text, y:::z, ":"');
    // A value pasted after a minus sign would have started a comment; as $1 it cannot.
    expect(
      checkScript("\\set x -1\nSELECT 1 -:x '\n; COPY t FROM PROGRAM $$id$$; --';", 'read'),
    ).toMatchObject({
      ok: true,
    });
    // A variable inside a dollar-quote tag cannot close a quote early either ($q:x$ with x = 1
    // was $q1$): as sent, $q$1$ opens a quote that never closes, refused as PostgreSQL would.
    const tag = checkScript(
      'SELECT $q1$ $q:x$ AS a, pg_read_file($$/etc/hostname$$)::int AS b, $q1$ $q:x$ AS c;',
      'read',
    );
    expect(tag.ok ? '' : tag.reason).toMatch(/a \$q\$…\$q\$ string is not closed/);
  });

  it('refuses characters that pgbench, PostgreSQL and the check would read differently', () => {
    const nbsp =
      'SELECT 1 AS \u00a0$x$\n\\set y 1\nCOPY (SELECT 1) TO PROGRAM $$id$$\n\\set y 1\nSELECT 1 AS z$x$;';
    const carriageReturn = "SELECT 1 -- note\r\\set y 1\nCOPY (SELECT 1) TO PROGRAM 'id'\n;\n";
    for (const [script, code] of [
      [nbsp, 'U+00A0'],
      [carriageReturn, 'U+000D'],
      ['SELECT 1;\f', 'U+000C'],
    ] as const) {
      for (const grant of ['read', 'write', 'admin'] as const) {
        const check = checkScript(script, grant);
        expect(check.ok ? '' : check.reason).toMatch(
          new RegExp(`holds ${code.replace('+', '\\+')} .*use spaces, tabs and line feeds only`),
        );
      }
    }
    expect(checkScript('SELECT\t1;\n', 'read').ok).toBe(true);
  });

  it('refuses shell meta-commands and COPY … PROGRAM even at the admin grant', () => {
    expect(checkScript('\\shell true', 'admin').ok).toBe(false);
    expect(checkScript('\\SetShell x true', 'admin').ok).toBe(false);
    expect(checkScript("copy t from program 'true'", 'admin').ok).toBe(false);
  });
});
