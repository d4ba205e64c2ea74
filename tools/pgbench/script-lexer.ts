/** One lexical token of the SQL part of a pgbench script. */
export interface ScriptToken {
  /**
   * `word`: an unquoted identifier or keyword; `quoted-identifier`: `"…"`; `string`: any
   * string literal (`'…'`, `E'…'`, `$$…$$`); `variable`: a pgbench `:name`; `number`;
   * `symbol`: punctuation and operators.
   */
  kind: 'word' | 'quoted-identifier' | 'string' | 'variable' | 'number' | 'symbol';
  /** The token's text; for words, as written (compare in upper case). */
  text: string;
  /** Offset of the token's first character in the script. */
  start: number;
}

/** A backslash meta-command of a pgbench script (`\set`, `\sleep`, …). */
export interface MetaCommand {
  /** The command name as written after the backslash (may be empty). */
  name: string;
  /** 1-based line of the backslash. */
  line: number;
  /** Whether only white space precedes the backslash on its line. */
  atLineStart: boolean;
}

/** A pgbench script split the way pgbench splits it: SQL statements and meta-commands. */
export interface LexedScript {
  /** SQL statements in order, each as its tokens (without the closing `;`). */
  statements: ScriptToken[][];
  metaCommands: MetaCommand[];
  /** What is left open at the end of the text (a quote, a comment, a parenthesis), if anything. */
  unterminated: string | undefined;
  /** A `)` without its `(`, if any. */
  unbalanced: boolean;
  /** Whether the last SQL statement has no closing `;`. */
  endsInsideStatement: boolean;
}

const identifierStart = /[A-Za-z_\u0080-\uffff]/;
const identifierPart = /[A-Za-z0-9_$\u0080-\uffff]/;
const dollarTag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/**
 * Splits a pgbench script into SQL statements and meta-commands, following pgbench's own
 * lexer (standard-conforming strings, `E'…'` escapes, dollar quotes, nested comments,
 * parentheses): a statement ends at a `;` outside parentheses, or where a backslash
 * command begins. Used to check scripts before pgbench sees them.
 */
export function lexPgbenchScript(text: string): LexedScript {
  const statements: ScriptToken[][] = [];
  const metaCommands: MetaCommand[] = [];
  let current: ScriptToken[] = [];
  let depth = 0;
  let unbalanced = false;
  let unterminated: string | undefined;
  let line = 1;
  let lineStart = true;
  let index = 0;

  const finishStatement = (): void => {
    if (current.length > 0) statements.push(current);
    current = [];
  };
  const countLines = (from: number, to: number): void => {
    for (let position = from; position < to; position += 1) {
      if (text[position] === '\n') line += 1;
    }
  };
  /** The index just past a quoted run closed by `quote` (doubling escapes it); -1 when open. */
  const closeQuote = (from: number, quote: string, backslashEscapes: boolean): number => {
    let position = from;
    while (position < text.length) {
      const character = text[position];
      if (backslashEscapes && character === '\\') {
        position += 2;
        continue;
      }
      if (character === quote) {
        if (text[position + 1] === quote) {
          position += 2;
          continue;
        }
        return position + 1;
      }
      position += 1;
    }
    return -1;
  };
  const pushQuoted = (
    start: number,
    quote: string,
    backslashEscapes: boolean,
    textStart = start,
  ): boolean => {
    const end = closeQuote(start + 1, quote, backslashEscapes);
    if (end < 0) {
      unterminated = quote === '"' ? 'a quoted identifier (")' : "a string (')";
      return false;
    }
    current.push({
      kind: quote === '"' ? 'quoted-identifier' : 'string',
      text: text.slice(textStart, end),
      start: textStart,
    });
    countLines(start, end);
    index = end;
    return true;
  };

  while (index < text.length && unterminated === undefined) {
    const character = text[index] ?? '';
    const next = text[index + 1] ?? '';

    if (character === '\n') {
      line += 1;
      lineStart = true;
      index += 1;
      continue;
    }
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    const startsLine = lineStart;
    lineStart = false;

    if (character === '-' && next === '-') {
      while (index < text.length && text[index] !== '\n') index += 1;
      continue;
    }
    if (character === '/' && next === '*') {
      let nesting = 1;
      let position = index + 2;
      while (position < text.length && nesting > 0) {
        if (text[position] === '/' && text[position + 1] === '*') {
          nesting += 1;
          position += 2;
        } else if (text[position] === '*' && text[position + 1] === '/') {
          nesting -= 1;
          position += 2;
        } else {
          position += 1;
        }
      }
      if (nesting > 0) {
        unterminated = 'a comment (/*)';
        break;
      }
      countLines(index, position);
      index = position;
      continue;
    }
    if (character === '\\') {
      // A meta-command: it ends the SQL gathered so far and runs to the end of its line.
      finishStatement();
      const name = /^[A-Za-z0-9_]*/.exec(text.slice(index + 1))?.[0] ?? '';
      metaCommands.push({ name, line, atLineStart: startsLine });
      while (index < text.length && text[index] !== '\n') {
        if (text[index] === '\\' && text[index + 1] === '\n') {
          line += 1;
          index += 2;
          continue;
        }
        index += 1;
      }
      continue;
    }
    if (character === "'") {
      if (!pushQuoted(index, "'", false)) break;
      continue;
    }
    if (character === '"') {
      if (!pushQuoted(index, '"', false)) break;
      continue;
    }
    if (character === '$') {
      const tag = dollarTag.exec(text.slice(index))?.[0];
      if (tag !== undefined) {
        const close = text.indexOf(tag, index + tag.length);
        if (close < 0) {
          unterminated = `a dollar-quoted string (${tag})`;
          break;
        }
        const end = close + tag.length;
        current.push({ kind: 'string', text: text.slice(index, end), start: index });
        countLines(index, end);
        index = end;
        continue;
      }
      const parameter = /^\$[0-9]*/.exec(text.slice(index))?.[0] ?? '$';
      current.push({ kind: 'symbol', text: parameter, start: index });
      index += parameter.length;
      continue;
    }
    if (identifierStart.test(character)) {
      let end = index + 1;
      while (end < text.length && identifierPart.test(text[end] ?? '')) end += 1;
      const word = text.slice(index, end);
      const after = text[end];
      // String prefixes: E'…' (backslash escapes), B'…', X'…', N'…', U&'…', U&"…".
      if (after === "'" && /^[EeBbXxNn]$/.test(word)) {
        const prefixStart = index;
        index = end;
        if (!pushQuoted(index, "'", /^[Ee]$/.test(word), prefixStart)) break;
        continue;
      }
      if (
        /^[Uu]$/.test(word) &&
        after === '&' &&
        (text[end + 1] === "'" || text[end + 1] === '"')
      ) {
        const prefixStart = index;
        index = end + 1;
        if (!pushQuoted(index, text[index] ?? "'", false, prefixStart)) break;
        continue;
      }
      current.push({ kind: 'word', text: word, start: index });
      index = end;
      continue;
    }
    if (/[0-9]/.test(character) || (character === '.' && /[0-9]/.test(next))) {
      const number = /^[0-9.]+(?:[eE][+-]?[0-9]+)?[A-Za-z0-9_]*/.exec(text.slice(index))?.[0];
      const length = number === undefined || number.length === 0 ? 1 : number.length;
      current.push({ kind: 'number', text: text.slice(index, index + length), start: index });
      index += length;
      continue;
    }
    if (character === ':' && next === ':') {
      current.push({ kind: 'symbol', text: '::', start: index });
      index += 2;
      continue;
    }
    if (character === ':' && identifierStart.test(next)) {
      let end = index + 2;
      while (end < text.length && /[A-Za-z0-9_]/.test(text[end] ?? '')) end += 1;
      current.push({ kind: 'variable', text: text.slice(index, end), start: index });
      index = end;
      continue;
    }
    if (character === '(') depth += 1;
    if (character === ')') {
      depth -= 1;
      if (depth < 0) {
        unbalanced = true;
        depth = 0;
      }
    }
    if (character === ';' && depth === 0) {
      finishStatement();
      index += 1;
      continue;
    }
    current.push({ kind: 'symbol', text: character, start: index });
    index += 1;
  }

  if (unterminated === undefined && depth > 0) unterminated = 'a parenthesis (()';
  const endsInsideStatement = current.length > 0;
  finishStatement();
  return { statements, metaCommands, unterminated, unbalanced, endsInsideStatement };
}
