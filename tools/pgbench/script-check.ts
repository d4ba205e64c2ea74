import type { Grant } from '../../src/org/agent-schema.js';
import { grantCovers } from '../../src/org/tool-catalog.js';
import type { ScriptToken } from './script-lexer.js';
import { lexPgbenchScript } from './script-lexer.js';
import { checkReadStatement, checkScriptWriteStatement } from '../psql/statement-check.js';

/** The outcome of checking a custom script: the text to hand pgbench, or why it is refused. */
export type ScriptCheck = { ok: true; script: string } | { ok: false; reason: string };

/** The most SQL statements one custom script may hold. */
export const maxScriptStatements = 100;

/** Meta-commands a read script may use: variables and pauses, nothing that reaches outside. */
const readMetaCommands = new Set(['set', 'sleep']);
/** Meta-commands a write script may use in addition. `\shell` and `\setshell` never. */
const writeMetaCommands = new Set([
  ...readMetaCommands,
  'if',
  'elif',
  'else',
  'endif',
  'startpipeline',
  'endpipeline',
]);
/**
 * Meta-commands only the admin grant may use: `\gset` and `\aset` store query results in
 * variables, and pgbench pastes a variable's text into later SQL, where no check can see it.
 */
const adminMetaCommands = new Set([...writeMetaCommands, 'gset', 'aset']);
const shellMetaCommands = new Set(['shell', 'setshell']);

/** Statements a read script may hold: the ones that only read. */
const readStatements = new Set(['SELECT', 'WITH', 'VALUES', 'SHOW', 'TABLE']);

/**
 * Words that have no place in a read-only statement. `SELECT … INTO` creates a table,
 * `WITH … DELETE` writes, and the rest would only appear if a statement were smuggled in.
 */
const writeWords = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'TRUNCATE',
  'DROP',
  'ALTER',
  'CREATE',
  'GRANT',
  'REVOKE',
  'COPY',
  'COMMIT',
  'ROLLBACK',
  'ABORT',
  'BEGIN',
  'SAVEPOINT',
  'PREPARE',
  'EXECUTE',
  'CALL',
  'DO',
  'VACUUM',
  'REINDEX',
  'CLUSTER',
  'REFRESH',
  'CHECKPOINT',
  'INTO',
  'SET',
  'RESET',
  'DISCARD',
  'LOCK',
  'LISTEN',
  'NOTIFY',
  'LOAD',
]);

/** The first words of a statement in upper case, joined by spaces. */
function opening(statement: ScriptToken[], words: number): string {
  return statement
    .slice(0, words)
    .filter((token) => token.kind === 'word')
    .map((token) => token.text.toUpperCase())
    .join(' ');
}

/**
 * A statement as pgbench sends it with `-M extended` (custom scripts always run so): each
 * `:name` becomes a parameter `$1`, `$2`, … wherever it stands, quotes and comments included,
 * and a run of colons that starts no name (a `::` cast) stays. The values travel apart from
 * the SQL, so they cannot change it; this text is what PostgreSQL parses.
 */
export function withParameters(sql: string): string {
  let sent = '';
  let parameters = 0;
  let index = 0;
  while (index < sql.length) {
    const character = sql[index] as string;
    if (character !== ':') {
      sent += character;
      index += 1;
      continue;
    }
    const name = /^:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/.exec(sql.slice(index))?.[0];
    if (name === undefined) {
      while (sql[index] === ':') {
        sent += ':';
        index += 1;
      }
      continue;
    }
    parameters += 1;
    sent += `$${parameters}`;
    index += name.length;
  }
  return sent;
}

/** The text of a statement in the script, from its first token to the end of its last. */
function statementText(script: string, statement: ScriptToken[]): string {
  const first = statement[0];
  const last = statement.at(-1);
  if (first === undefined || last === undefined) return '';
  return script.slice(first.start, last.start + last.text.length);
}

/** A short, single-line quote of a statement for messages. */
function quote(statement: ScriptToken[]): string {
  const text = statement.map((token) => token.text).join(' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Why a statement may not run at the read grant, if it may not. */
function readRefusal(statement: ScriptToken[]): string | undefined {
  const first = statement[0];
  if (first?.kind !== 'word' || !readStatements.has(first.text.toUpperCase())) {
    return `'${quote(statement)}' is not a read-only statement: at the read grant a script may hold only SELECT, WITH, VALUES, SHOW and TABLE statements (plus \\set and \\sleep); a write needs the write grant`;
  }
  for (const token of statement) {
    if (token.kind === 'word' && writeWords.has(token.text.toUpperCase())) {
      return `'${quote(statement)}' uses ${token.text.toUpperCase()}, which writes or changes the session: at the read grant a script only reads`;
    }
  }
  return undefined;
}

/**
 * Checks a custom pgbench script for a grant and returns the text to run. At every grant,
 * `\shell` and `\setshell` (programs on this machine) and `COPY … PROGRAM` (programs on the
 * database server) are refused, and every backslash must start an allowed meta-command.
 * At the read grant, only read-only statements and `\set`/`\sleep` pass, and the script runs
 * inside `BEGIN TRANSACTION READ ONLY` … `ROLLBACK` so nothing it does can persist. Each
 * statement also passes the psql tool's check for the grant (`query`'s at read, `execute`'s
 * otherwise, transaction control allowed), and `\gset`/`\aset`, whose variables paste query
 * results into later SQL, need admin.
 */
export function checkScript(text: string, grant: Grant): ScriptCheck {
  if (text.trim() === '') return { ok: false, reason: 'the script is empty: give SQL statements' };
  // pgbench, PostgreSQL and this check disagree on what such characters are (a carriage return
  // ends a -- comment for pgbench; a no-break space is part of a name for PostgreSQL), so a
  // script holds none: what the check reads is then what runs.
  const oddSpace = /[^\S \t\n]/.exec(text);
  if (oddSpace !== null) {
    const code = (oddSpace[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return {
      ok: false,
      reason: `the script holds U+${code} (a carriage return, form feed or unusual space) at offset ${oddSpace.index}: use spaces, tabs and line feeds only`,
    };
  }
  const canWrite = grantCovers(grant, 'write');
  const allowed = grantCovers(grant, 'admin')
    ? adminMetaCommands
    : canWrite
      ? writeMetaCommands
      : readMetaCommands;

  // Every backslash anywhere (even in strings and comments) must start an allowed command:
  // stricter than pgbench, so no lexing difference can hide a \shell.
  const backslashNames = [...text.matchAll(/\\([A-Za-z0-9_]*)/g)].map((match) =>
    (match[1] ?? '').toLowerCase(),
  );
  const shell = backslashNames.find((name) => shellMetaCommands.has(name));
  if (shell !== undefined) {
    return {
      ok: false,
      reason: `\\${shell} runs a program on this machine and is refused at every grant: use SQL and \\set only`,
    };
  }
  for (const name of backslashNames) {
    if (!allowed.has(name)) {
      const list = [...allowed].map((command) => `\\${command}`).join(', ');
      return {
        ok: false,
        reason:
          name === ''
            ? `a backslash not followed by a meta-command name is refused (write strings without backslashes); allowed meta-commands at the ${grant} grant: ${list}`
            : `the meta-command \\${name} is refused at the ${grant} grant; allowed: ${list}`,
      };
    }
  }

  const lexed = lexPgbenchScript(text);
  if (lexed.unterminated !== undefined) {
    return { ok: false, reason: `the script leaves ${lexed.unterminated} open: close it` };
  }
  if (lexed.unbalanced) {
    return { ok: false, reason: 'the script has a ) without its (: balance the parentheses' };
  }
  if (lexed.statements.length === 0) {
    return { ok: false, reason: 'the script has no SQL statement: give at least one' };
  }
  if (lexed.statements.length > maxScriptStatements) {
    return {
      ok: false,
      reason: `the script has ${lexed.statements.length} statements; at most ${maxScriptStatements} are accepted`,
    };
  }
  const midLine = lexed.metaCommands.find((command) => !command.atLineStart);
  if (!canWrite && midLine !== undefined) {
    return {
      ok: false,
      reason: `\\${midLine.name} on line ${midLine.line} does not start its line: at the read grant meta-commands stand on their own lines`,
    };
  }

  for (const statement of lexed.statements) {
    const start = opening(statement, 3);
    const isCopy = start.startsWith('COPY');
    if (
      isCopy &&
      statement.some((token) => token.kind === 'word' && token.text.toUpperCase() === 'PROGRAM')
    ) {
      return {
        ok: false,
        reason: `'${quote(statement)}' runs a program on the database server (COPY … PROGRAM) and is refused at every grant`,
      };
    }
    if (!canWrite) {
      const refusal = readRefusal(statement);
      if (refusal !== undefined) return { ok: false, reason: refusal };
    }
    // The psql tool's checks too, on the statement as PostgreSQL will parse it (variables as
    // parameters): quoted and Unicode-escaped names, strings continued on a new line, function
    // and DO bodies, catalog writes, code and roles at the grants they need.
    const sql = withParameters(statementText(text, statement));
    const check = canWrite ? checkScriptWriteStatement(sql, grant) : checkReadStatement(sql);
    if (!check.allowed) {
      return { ok: false, reason: `'${quote(statement)}': ${check.reason}` };
    }
  }

  const body = lexed.endsInsideStatement ? `${text}\n;` : text;
  return {
    ok: true,
    script: canWrite ? `${body}\n` : `BEGIN TRANSACTION READ ONLY;\n${body}\nROLLBACK;\n`,
  };
}
