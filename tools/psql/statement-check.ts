import type { Grant } from '../../src/org/agent-schema.js';
import { grantCovers } from '../../src/org/tool-catalog.js';
import { dangerousFunction } from './dangerous-functions.js';
import { lexSql } from './sql-lexer.js';
import type { SqlToken } from './sql-lexer.js';

/** Whether a statement may run, and if not, a refusal the model can act on. */
export type StatementCheck =
  | {
      allowed: true;
      /** The statement's first keyword, in capitals (SELECT, EXPLAIN, CREATE, …). */
      keyword: string;
    }
  | { allowed: false; reason: string };

const readKeywords = new Set(['select', 'with', 'values', 'table', 'show', 'explain']);
const explainableReads = new Set(['select', 'with', 'values', 'table']);
const explainableWrites = new Set(['insert', 'update', 'delete', 'merge']);
const writeWords = new Set(['insert', 'update', 'delete', 'merge', 'truncate']);
const lockStrengths = ['update', 'share', 'no', 'key'];
const allowedList = 'query accepts SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN';

const readRefusals: Record<string, (keyword: string) => string> = {
  commit: (k) => `${k} ends the read-only transaction; one read-only statement per call`,
  end: (k) => `${k} ends the read-only transaction; one read-only statement per call`,
  rollback: (k) => `${k} ends the read-only transaction; one read-only statement per call`,
  abort: (k) => `${k} ends the read-only transaction; one read-only statement per call`,
  begin: (k) => `${k} starts a transaction; each call already runs in its own read-only one`,
  start: (k) => `${k} starts a transaction; each call already runs in its own read-only one`,
  savepoint: (k) => `${k} is transaction control; each call runs one read-only statement`,
  release: (k) => `${k} is transaction control; each call runs one read-only statement`,
  set: (k) =>
    `${k} changes session settings (it could turn read-only off); settings need the admin grant, through execute`,
  reset: (k) =>
    `${k} changes session settings (it could turn read-only off); settings need the admin grant, through execute`,
  copy: (k) => `${k} reads and writes server files and programs; use SELECT to read data`,
  do: (k) => `${k} runs procedural code that can write; it needs the write grant, through execute`,
  call: (k) => `${k} runs a procedure that can write and commit; it needs the write grant`,
  lock: (k) => `${k} takes table locks that block other sessions; query is read-only`,
  listen: (k) => `${k} is asynchronous messaging, not a read; query runs one read statement`,
  unlisten: (k) => `${k} is asynchronous messaging, not a read; query runs one read statement`,
  notify: (k) => `${k} sends a message to other sessions; query is read-only`,
  prepare: (k) => `${k} manages prepared statements; send the statement itself`,
  execute: (k) => `${k} runs a prepared statement; send the statement itself`,
  deallocate: (k) => `${k} manages prepared statements; send the statement itself`,
  discard: (k) => `${k} changes session state; the connection is reset after every call anyway`,
  vacuum: (k) => `${k} is maintenance that writes; it needs the write grant, through execute`,
  analyze: (k) => `${k} is maintenance that writes; it needs the write grant, through execute`,
  analyse: (k) => `${k} is maintenance that writes; it needs the write grant, through execute`,
  cluster: (k) => `${k} is maintenance that writes; it needs the write grant, through execute`,
  reindex: (k) => `${k} is maintenance that writes; it needs the write grant, through execute`,
  checkpoint: (k) => `${k} is server maintenance; it needs the admin grant, through execute`,
  declare: (k) => `${k} opens a cursor; query fetches the rows itself, with a row cap`,
  fetch: (k) => `${k} reads a cursor; query fetches the rows itself, with a row cap`,
  move: (k) => `${k} moves a cursor; query fetches the rows itself, with a row cap`,
  close: (k) => `${k} closes a cursor; query fetches the rows itself, with a row cap`,
  load: (k) => `${k} loads a shared library into the server; it is not a read`,
};
for (const keyword of [...writeWords, 'create', 'alter', 'drop', 'comment', 'refresh']) {
  readRefusals[keyword] = (k) => `${k} writes; it needs the write grant, through execute`;
}
for (const keyword of ['grant', 'revoke', 'reassign', 'security', 'import']) {
  readRefusals[keyword] = (k) => `${k} changes privileges or objects; it needs the admin grant`;
}

/** The tokens of one statement, and whether more text followed its `;`. */
type Prepared =
  { ok: true; tokens: SqlToken[]; moreThanOne: boolean } | { ok: false; reason: string };

const moreThanOneStatement =
  "refused: more than one statement (text after ';'); send exactly one statement per call, with nothing after it";

/**
 * Lexes the SQL and splits off anything after the first top-level `;` (a trailing `;` alone is
 * fine; anything after it, even a comment, makes `moreThanOne` true).
 */
function prepareStatement(sql: string): Prepared {
  const lexed = lexSql(sql);
  if (!lexed.ok) return { ok: false, reason: `refused: ${lexed.reason}; send complete SQL` };
  const all = lexed.tokens;
  const semicolon = all.findIndex((token) => token.kind === 'punctuation' && token.value === ';');
  const tokens = semicolon === -1 ? all : all.slice(0, semicolon);
  const moreThanOne =
    semicolon !== -1 &&
    (semicolon < all.length - 1 || sql.slice((all[semicolon] as SqlToken).end).trim() !== '');
  if (tokens.length === 0) {
    return {
      ok: false,
      reason: moreThanOne
        ? moreThanOneStatement
        : 'refused: the SQL is empty (only whitespace or comments); send one statement',
    };
  }
  return { ok: true, tokens, moreThanOne };
}

/** The index of the first token after any opening parentheses, as in `(SELECT …) UNION …`. */
function firstKeywordIndex(tokens: readonly SqlToken[], from = 0): number {
  let index = from;
  while (tokens[index]?.kind === 'punctuation' && tokens[index]?.value === '(') index += 1;
  return index;
}

function isWord(token: SqlToken | undefined, ...values: string[]): boolean {
  return token?.kind === 'word' && (values.length === 0 || values.includes(token.value));
}

function notAKeyword(token: SqlToken | undefined, purpose: string): string {
  if (token?.value === '\\') {
    return 'refused: psql meta-commands such as \\dt are not SQL; use the describe tool for schemas, tables and indexes';
  }
  return `refused: the statement must begin with a keyword; ${purpose}`;
}

/** A statement read up to its first keyword (after any opening parentheses), or why it cannot be. */
type Opened =
  | { ok: true; tokens: SqlToken[]; start: number; keyword: string; moreThanOne: boolean }
  | { ok: false; reason: string };

/** Lexes one statement and finds its first keyword; `purpose` says what a keyword-less one should be. */
function openStatement(sql: string, purpose: string): Opened {
  const prepared = prepareStatement(sql);
  if (!prepared.ok) return prepared;
  const { tokens, moreThanOne } = prepared;
  const start = firstKeywordIndex(tokens);
  const first = tokens[start];
  if (first?.kind !== 'word') {
    return { ok: false, reason: moreThanOne ? moreThanOneStatement : notAKeyword(first, purpose) };
  }
  return { ok: true, tokens, start, keyword: first.value, moreThanOne };
}

/** The refusal for the first dangerous function named in the tokens, if any. */
function functionRefusal(tokens: readonly SqlToken[], grant: Grant): string | undefined {
  for (const [index, token] of tokens.entries()) {
    if (token.kind !== 'word' && token.kind !== 'quoted-identifier') continue;
    const rule = dangerousFunction(token.value);
    if (!rule) continue;
    const called = tokens[index + 1]?.value === '(';
    const name = `${token.value.toLowerCase()}${called ? '()' : ''}`;
    if (rule.grant === 'never') {
      return `refused: ${name} ${rule.reason}; it is never allowed, at any grant`;
    }
    if (grant === 'read') {
      return `refused: ${name} ${rule.reason}; the read grant only reads (it needs the ${rule.grant} grant)`;
    }
    if (!grantCovers(grant, rule.grant)) {
      return `refused: ${name} ${rule.reason}; it needs the ${rule.grant} grant`;
    }
  }
  return undefined;
}

/**
 * The refusal for a dangerous function named inside a string literal (the body of DO or
 * CREATE FUNCTION is a string), looking into nested strings a few levels deep.
 */
function functionInStringRefusal(
  tokens: readonly SqlToken[],
  grant: Grant,
  depth = 0,
): string | undefined {
  if (depth > 3) return undefined;
  for (const token of tokens) {
    if (token.kind !== 'string') continue;
    const inner = lexSql(token.value);
    const innerTokens: SqlToken[] = inner.ok
      ? inner.tokens
      : (token.value.toLowerCase().match(/[a-z_][a-z0-9_$]*/g) ?? []).map((value) => ({
          kind: 'word' as const,
          value,
          start: 0,
          end: 0,
        }));
    const copiesProgram =
      innerTokens.some((inner) => isWord(inner, 'copy')) &&
      innerTokens.some((inner) => isWord(inner, 'program'));
    const refusal = copiesProgram
      ? 'refused: COPY … PROGRAM runs a shell command on the database server; it is never allowed, at any grant'
      : (functionRefusal(innerTokens, grant) ??
        functionInStringRefusal(innerTokens, grant, depth + 1));
    if (refusal) return `${refusal} (named inside a string or function body)`;
  }
  return undefined;
}

/** Checks the body of a read statement: no row locks, no INTO, no writes, no dangerous functions. */
function readBodyRefusal(
  tokens: readonly SqlToken[],
  keyword: string,
  options: { planOnly: boolean },
): string | undefined {
  if (!options.planOnly) {
    const locking = tokens.some(
      (token, index) => isWord(token, 'for') && isWord(tokens[index + 1], ...lockStrengths),
    );
    if (locking) {
      return 'refused: SELECT … FOR UPDATE/SHARE takes row locks that block other sessions; query is read-only — drop the locking clause';
    }
    const write = tokens.find((token) => token.kind === 'word' && writeWords.has(token.value));
    if (write) {
      const verb = write.value.toUpperCase();
      return keyword === 'with'
        ? `refused: ${verb} inside WITH (a data-modifying CTE) writes; query is read-only — writes need the write grant, through execute`
        : `refused: ${verb} writes; query is read-only — writes need the write grant, through execute`;
    }
    const into = tokens.find((token) => isWord(token, 'into'));
    if (into) {
      return 'refused: SELECT … INTO creates a table; query is read-only (CREATE TABLE … AS needs the write grant, through execute)';
    }
  }
  return functionRefusal(tokens, 'read');
}

/** Parses EXPLAIN's options; returns whether ANALYZE is on and where the statement starts. */
function explainOptions(
  tokens: readonly SqlToken[],
  from: number,
): { analyze: boolean; next: number } {
  let index = from;
  let analyze = false;
  if (tokens[index]?.kind === 'punctuation' && tokens[index]?.value === '(') {
    let depth = 0;
    let option: SqlToken[] = [];
    const finish = () => {
      const [name, ...value] = option;
      // Quoted option names count too; any ANALYZE that is not clearly off counts as on.
      const optionName =
        name?.kind === 'word' || name?.kind === 'quoted-identifier' ? name.value : '';
      if (['analyze', 'analyse'].includes(optionName)) {
        const setting = value.map((token) => token.value.toLowerCase()).join('');
        analyze ||= !['false', 'off', '0', 'no'].includes(setting);
      }
      option = [];
    };
    for (; index < tokens.length; index += 1) {
      const token = tokens[index] as SqlToken;
      if (token.kind === 'punctuation' && token.value === '(') {
        depth += 1;
        if (depth === 1) continue;
      }
      if (token.kind === 'punctuation' && token.value === ')') {
        depth -= 1;
        if (depth === 0) {
          finish();
          index += 1;
          break;
        }
      }
      if (depth === 1 && token.kind === 'punctuation' && token.value === ',') {
        finish();
        continue;
      }
      option.push(token);
    }
    return { analyze, next: index };
  }
  while (isWord(tokens[index], 'analyze', 'analyse', 'verbose')) {
    if (!isWord(tokens[index], 'verbose')) analyze = true;
    index += 1;
  }
  return { analyze, next: index };
}

/** Checks the statement that EXPLAIN plans (or, with ANALYZE, runs). */
function explainedStatementRefusal(
  tokens: readonly SqlToken[],
  analyze: boolean,
): string | undefined {
  const first = tokens[firstKeywordIndex(tokens)];
  const keyword = first?.kind === 'word' ? first.value : '';
  if (keyword === 'explain') {
    return 'refused: the statement already starts with EXPLAIN; give the statement alone';
  }
  const accepted = explainableReads.has(keyword) || (!analyze && explainableWrites.has(keyword));
  if (!accepted) {
    return `refused: EXPLAIN${analyze ? ' ANALYZE' : ''} accepts SELECT, WITH, VALUES or TABLE${
      analyze
        ? ''
        : ' (and, without ANALYZE, INSERT, UPDATE, DELETE or MERGE, which are only planned)'
    }; got ${keyword === '' ? 'no statement' : keyword.toUpperCase()}`;
  }
  const planOnly = !analyze;
  const into = planOnly ? tokens.find((token) => isWord(token, 'into')) : undefined;
  if (into && explainableReads.has(keyword)) {
    return 'refused: SELECT … INTO creates a table; query is read-only (CREATE TABLE … AS needs the write grant, through execute)';
  }
  return readBodyRefusal(tokens, keyword, { planOnly });
}

/**
 * Checks one statement for the `query` tool: it must begin with SELECT, WITH, VALUES, TABLE, SHOW
 * or EXPLAIN (EXPLAIN ANALYZE only of a read), and must not lock rows, write (writable CTEs,
 * SELECT INTO) or call a dangerous function. Comments and string literals are ignored.
 */
export function checkReadStatement(sql: string): StatementCheck {
  const prepared = openStatement(sql, allowedList);
  if (!prepared.ok) return { allowed: false, reason: prepared.reason };
  const { tokens, start, keyword } = prepared;
  const keywordText = keyword.toUpperCase();
  if (!readKeywords.has(keyword)) {
    const refusal = readRefusals[keyword];
    return {
      allowed: false,
      reason: refusal
        ? `refused: ${refusal(keywordText)}`
        : `refused: ${keywordText} is not a read statement; ${allowedList}`,
    };
  }
  if (prepared.moreThanOne) return { allowed: false, reason: moreThanOneStatement };
  if (keyword === 'explain') {
    if (start !== 0) {
      return { allowed: false, reason: 'refused: EXPLAIN cannot stand inside parentheses' };
    }
    const { analyze, next } = explainOptions(tokens, start + 1);
    const refusal = explainedStatementRefusal(tokens.slice(next), analyze);
    return refusal ? { allowed: false, reason: refusal } : { allowed: true, keyword: keywordText };
  }
  const refusal = readBodyRefusal(tokens, keyword, { planOnly: false });
  return refusal ? { allowed: false, reason: refusal } : { allowed: true, keyword: keywordText };
}

/**
 * Checks the statement given to the `explain` tool (which adds EXPLAIN itself): a read
 * statement, or, when it is not analyzed, a write that is only planned.
 */
export function checkExplainTarget(sql: string, analyze: boolean): StatementCheck {
  const prepared = prepareStatement(sql);
  if (!prepared.ok) return { allowed: false, reason: prepared.reason };
  if (prepared.moreThanOne) return { allowed: false, reason: moreThanOneStatement };
  const first = prepared.tokens[firstKeywordIndex(prepared.tokens)];
  if (first?.kind !== 'word') {
    return {
      allowed: false,
      reason: notAKeyword(first, 'explain accepts SELECT, WITH, VALUES, TABLE'),
    };
  }
  if (first.value === 'explain') {
    return {
      allowed: false,
      reason:
        'refused: give the statement without EXPLAIN; the explain tool adds EXPLAIN (FORMAT JSON …) itself',
    };
  }
  const refusal = explainedStatementRefusal(prepared.tokens, analyze);
  return refusal
    ? { allowed: false, reason: refusal }
    : { allowed: true, keyword: first.value.toUpperCase() };
}

const transactionControl = new Set([
  'begin',
  'start',
  'commit',
  'end',
  'rollback',
  'abort',
  'savepoint',
  'release',
]);
const createModifiers = new Set([
  'or',
  'replace',
  'trusted',
  'procedural',
  'unique',
  'temp',
  'temporary',
  'unlogged',
  'global',
  'local',
  'recursive',
  'default',
]);
const adminObjects = new Set([
  'role',
  'policy',
  'user',
  'group',
  'extension',
  'language',
  'server',
  'subscription',
  'publication',
  'tablespace',
  'database',
  'system',
  'owned',
]);

/** Objects whose code runs later, out of reach of these checks: defining them needs admin. */
const codeObjects = new Set([
  'function',
  'procedure',
  'routine',
  // These name a function (by name or as a string) that then runs when they are used.
  'operator',
  'aggregate',
  'cast',
  'conversion',
  'transform',
  'access',
  // A rule rewrites queries: ON SELECT it makes a table a view over anything.
  'rule',
]);

/** Schemas whose tables are the server's own bookkeeping (roles, privileges, settings). */
const systemSchemas = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

/**
 * Words after which a statement names the table it writes (`UPDATE t`, `INSERT INTO t`,
 * `DELETE FROM t`, `MERGE INTO t`, `TRUNCATE t`, `ALTER TABLE t`, `DROP TABLE t`), with the word
 * that must come just before for the pair to count.
 */
const writeTargetMarkers: readonly [before: string | undefined, marker: string][] = [
  [undefined, 'update'],
  ['insert', 'into'],
  ['merge', 'into'],
  ['delete', 'from'],
  [undefined, 'truncate'],
  ['alter', 'table'],
  ['drop', 'table'],
];

/** Whether a token can be part of a name (a word or a quoted identifier). */
function isNamePart(token: SqlToken | undefined): token is SqlToken {
  return token?.kind === 'word' || token?.kind === 'quoted-identifier';
}

/**
 * The dotted name that starts at `tokens[at]` (`table`, `schema.table`,
 * `database.schema.table`), lower-cased parts in order; empty when no name starts there.
 */
function dottedName(tokens: readonly SqlToken[], at: number): string[] {
  const parts: string[] = [];
  let position = at;
  while (isNamePart(tokens[position])) {
    parts.push((tokens[position] as SqlToken).value.toLowerCase());
    const dot = tokens[position + 1];
    if (dot?.kind !== 'punctuation' || dot.value !== '.') break;
    position += 2;
  }
  return parts;
}

/** The name a statement writes after `tokens[index]`: `[schema, table]` (schema may be ''). */
function writeTarget(tokens: readonly SqlToken[], index: number): [string, string] | undefined {
  let at = index + 1;
  while (isWord(tokens[at], 'only', 'table', 'if', 'exists')) at += 1;
  const parts = dottedName(tokens, at);
  const table = parts.at(-1);
  if (table === undefined) return undefined;
  return [parts.at(-2) ?? '', table];
}

/** Whether a name (its dotted parts) is a system catalog: in pg_catalog, or named pg_…. */
function isSystemName(parts: readonly string[]): boolean {
  const table = parts.at(-1) ?? '';
  const schema = parts.at(-2);
  return schema === undefined ? table.startsWith('pg_') : systemSchemas.has(schema);
}

/** Statements that lock, rebuild or annotate the tables they name. */
const maintenanceKeywords = new Set([
  'lock',
  'vacuum',
  'analyze',
  'analyse',
  'reindex',
  'cluster',
  'comment',
  'refresh',
]);

/** Whether a maintenance statement names a system catalog (or REINDEX SYSTEM / DATABASE). */
function touchesSystemCatalog(tokens: readonly SqlToken[], start: number): boolean {
  if (
    isWord(tokens[start], 'reindex') &&
    tokens.some((token) => isWord(token, 'system', 'database'))
  )
    return true;
  return readsSystemCatalog(tokens.slice(start + 1));
}

/**
 * Whether a view's query names a system catalog as a relation (a simple view over one can be
 * written through); function calls such as pg_size_pretty(…) do not count.
 */
function readsSystemCatalog(tokens: readonly SqlToken[]): boolean {
  return tokens.some((token, index) => {
    const previous = tokens[index - 1];
    if (!isNamePart(token) || (previous?.kind === 'punctuation' && previous.value === '.')) {
      return false;
    }
    const parts = dottedName(tokens, index);
    const after = tokens[index + parts.length * 2 - 1];
    const called = after?.kind === 'punctuation' && after.value === '(';
    return !called && isSystemName(parts);
  });
}

/** Why a statement writes to the system catalogs (pg_catalog, pg_* tables), if it does. */
function catalogWriteReason(tokens: readonly SqlToken[]): string | undefined {
  for (const [index, token] of tokens.entries()) {
    if (token.kind !== 'word') continue;
    for (const [before, marker] of writeTargetMarkers) {
      if (token.value !== marker) continue;
      if (before !== undefined && !isWord(tokens[index - 1], before)) continue;
      const target = writeTarget(tokens, index);
      if (target === undefined) continue;
      const [schema, table] = target;
      if (isSystemName(schema === '' ? [table] : [schema, table])) {
        return `writing to ${schema === '' ? table : `${schema}.${table}`} changes the system catalogs (roles, privileges, the server's own bookkeeping)`;
      }
    }
    // TRUNCATE takes a list of tables: every name in it counts.
    if (token.value === 'truncate') {
      const named = tokens
        .slice(index + 1)
        .find(
          (candidate) =>
            (candidate.kind === 'word' || candidate.kind === 'quoted-identifier') &&
            (systemSchemas.has(candidate.value.toLowerCase()) ||
              candidate.value.toLowerCase().startsWith('pg_')),
        );
      if (named) {
        return `writing to ${named.value} changes the system catalogs (roles, privileges, the server's own bookkeeping)`;
      }
    }
  }
  return undefined;
}

/**
 * Why a statement needs the admin grant, if it does: roles, privileges, ownership, settings,
 * files, the system catalogs, and code (DO, functions, procedures) — code can build any
 * statement as text and run it (EXECUTE), out of reach of these checks.
 */
function adminReason(tokens: readonly SqlToken[], start: number): string | undefined {
  const first = tokens[start] as SqlToken;
  const keyword = first.value;
  const words = tokens.slice(start + 1, start + 8).filter((token) => token.kind === 'word');
  if (keyword === 'do') {
    return 'DO runs procedural code, which can build any statement as text and run it (EXECUTE), out of reach of these checks';
  }
  const catalog = catalogWriteReason(tokens);
  if (catalog) return catalog;
  const ownerTo = tokens.some(
    (token, index) => isWord(token, 'owner') && isWord(tokens[index + 1], 'to'),
  );
  if (ownerTo) return 'OWNER TO changes ownership, and with it privileges';
  const rowSecurity = tokens.some(
    (token, index) =>
      isWord(token, 'row') &&
      isWord(tokens[index + 1], 'level') &&
      isWord(tokens[index + 2], 'security'),
  );
  if (rowSecurity) return 'ROW LEVEL SECURITY decides who sees which rows (privileges)';
  if (keyword === 'set' || keyword === 'reset') {
    return `${keyword.toUpperCase()} changes session settings`;
  }
  if (keyword === 'grant' || keyword === 'revoke') {
    return `${keyword.toUpperCase()} changes privileges`;
  }
  if (['reassign', 'security', 'load', 'checkpoint'].includes(keyword)) {
    return `${keyword.toUpperCase()} changes ownership, labels or the server itself`;
  }
  if (maintenanceKeywords.has(keyword) && touchesSystemCatalog(tokens, start)) {
    return `${keyword.toUpperCase()} on the system catalogs can block every session (logins too) or change them`;
  }
  if (keyword === 'import') {
    return 'IMPORT FOREIGN SCHEMA reads through a foreign server (files, programs, other databases)';
  }
  if (!['create', 'alter', 'drop'].includes(keyword)) return undefined;
  let position = 0;
  if (keyword === 'create') {
    while (createModifiers.has(words[position]?.value ?? '')) position += 1;
  }
  const object = words[position]?.value ?? '';
  const second = words[position + 1]?.value ?? '';
  const named = `${keyword} ${object}`.toUpperCase();
  if (adminObjects.has(object)) {
    return `${named} changes roles, privileges, extensions or server-wide settings`;
  }
  if (keyword !== 'drop' && codeObjects.has(object)) {
    return `${named} defines code that runs later, which can build any statement as text and run it, out of reach of these checks`;
  }
  if (
    keyword === 'create' &&
    object === 'schema' &&
    tokens.some((token) => isWord(token, 'grant'))
  ) {
    return 'CREATE SCHEMA … GRANT changes privileges';
  }
  if (
    keyword === 'create' &&
    object === 'schema' &&
    tokens.some((token) => isWord(token, 'authorization'))
  ) {
    return 'CREATE SCHEMA … AUTHORIZATION gives the schema to another role (ownership)';
  }
  if (keyword !== 'drop' && object === 'foreign' && second === 'table') {
    return `${named} TABLE reads through a foreign server (files, programs, other databases)`;
  }
  if (
    keyword === 'create' &&
    (object === 'view' ||
      (object === 'materialized' && second === 'view') ||
      (object === 'schema' && tokens.some((token) => isWord(token, 'view')))) &&
    readsSystemCatalog(tokens.slice(start + 2))
  ) {
    return 'a view over the system catalogs could be written through (or hands their rows to readers); it needs the admin grant';
  }
  if (
    keyword !== 'drop' &&
    object === 'text' &&
    second === 'search' &&
    ['template', 'parser'].includes(words[position + 2]?.value ?? '')
  ) {
    return `${named} SEARCH ${(words[position + 2]?.value ?? '').toUpperCase()} binds server functions written in C`;
  }
  if (
    (object === 'foreign' && second === 'data') ||
    (object === 'event' && second === 'trigger') ||
    (object === 'default' && second === 'privileges')
  ) {
    return `${named} ${second.toUpperCase()} changes server-wide objects or privileges`;
  }
  return undefined;
}

/** Why a COPY is refused at this grant, if it is. */
function copyRefusal(tokens: readonly SqlToken[], grant: Grant): string | undefined {
  if (tokens.some((token) => isWord(token, 'program'))) {
    return 'refused: COPY … PROGRAM runs a shell command on the database server; it is never allowed, at any grant';
  }
  if (tokens.some((token) => isWord(token, 'stdin', 'stdout'))) {
    return 'refused: COPY … FROM STDIN / TO STDOUT is not supported by this tool; use INSERT … VALUES to load rows, or query to read them';
  }
  if (grant !== 'admin') {
    return 'refused: COPY … TO/FROM a file reads or writes files on the database server; it needs the admin grant';
  }
  return undefined;
}

/**
 * What a written statement must not do below its grant, whatever runs it: dangerous functions
 * (also named inside strings and bodies), COPY … PROGRAM and files, and what needs admin.
 */
function writeRefusal(
  tokens: readonly SqlToken[],
  start: number,
  grant: Grant,
): string | undefined {
  const functions = functionRefusal(tokens, grant) ?? functionInStringRefusal(tokens, grant);
  if (functions) return functions;
  if (isWord(tokens[start], 'copy')) {
    const refusal = copyRefusal(tokens, grant);
    if (refusal) return refusal;
  }
  const admin = adminReason(tokens, start);
  if (admin && grant !== 'admin') {
    return `refused: ${admin}; it needs the admin grant (this server runs with the ${grant} grant)`;
  }
  return undefined;
}

/**
 * Checks one statement for the `execute` tool. At `write`: anything but transaction control,
 * session-bound statements (PREPARE, LISTEN, cursors), role/privilege/settings statements and
 * COPY to or from files, which need `admin`. COPY … PROGRAM and file, program and network
 * functions are refused at every grant, also inside string literals (DO and function bodies).
 */
export function checkExecuteStatement(sql: string, grant: Grant): StatementCheck {
  if (!grantCovers(grant, 'write')) {
    return {
      allowed: false,
      reason: `refused: execute needs the write grant; this server runs with the ${grant} grant`,
    };
  }
  const prepared = openStatement(sql, 'send one SQL statement');
  if (!prepared.ok) return { allowed: false, reason: prepared.reason };
  const { tokens, start, keyword } = prepared;
  const keywordText = keyword.toUpperCase();
  const refusal = writeRefusal(tokens, start, grant);
  if (refusal) return { allowed: false, reason: refusal };
  if (transactionControl.has(keyword)) {
    return {
      allowed: false,
      reason: `refused: ${keywordText} is transaction control; each execute call runs on its own and commits when it succeeds, so a transaction cannot span calls (send each statement in its own call; DO blocks need the admin grant)`,
    };
  }
  if (['prepare', 'execute', 'deallocate'].includes(keyword)) {
    return {
      allowed: false,
      reason: `refused: ${keywordText} works with prepared statements, which do not outlive the call; send the statement itself`,
    };
  }
  if (['listen', 'unlisten'].includes(keyword)) {
    return {
      allowed: false,
      reason: `refused: ${keywordText} needs a session that stays open; this tool cannot deliver notifications`,
    };
  }
  if (['declare', 'fetch', 'move', 'close'].includes(keyword)) {
    return {
      allowed: false,
      reason: `refused: ${keywordText} works with cursors, which do not outlive the call; run the SELECT itself`,
    };
  }
  if (prepared.moreThanOne) return { allowed: false, reason: moreThanOneStatement };
  return { allowed: true, keyword: keywordText };
}

/**
 * Checks one statement of a script that runs as a whole on one session (a pgbench script) at
 * the write or admin grant: what `execute` refuses for its grant, except transaction control,
 * prepared statements and cursors, which live within the script's own session.
 */
export function checkScriptWriteStatement(sql: string, grant: Grant): StatementCheck {
  const prepared = openStatement(sql, 'each statement begins with a keyword');
  if (!prepared.ok) return { allowed: false, reason: prepared.reason };
  const refusal = writeRefusal(prepared.tokens, prepared.start, grant);
  if (refusal) return { allowed: false, reason: refusal };
  if (prepared.moreThanOne) return { allowed: false, reason: moreThanOneStatement };
  return { allowed: true, keyword: prepared.keyword.toUpperCase() };
}
