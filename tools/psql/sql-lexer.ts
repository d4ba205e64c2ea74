/** What a lexical token of PostgreSQL SQL is. */
export type SqlTokenKind =
  | 'word'
  | 'quoted-identifier'
  | 'string'
  | 'number'
  | 'parameter'
  | 'punctuation'
  | 'operator'
  | 'other';

/**
 * One token. `value` is normalized: words in lower case, quoted identifiers and strings without
 * their quotes (escapes decoded where it matters), punctuation and operators as written.
 */
export interface SqlToken {
  kind: SqlTokenKind;
  value: string;
  /** Offset of the token's first character in the SQL text. */
  start: number;
  /** Offset just past the token's last character. */
  end: number;
}

/** The tokens of a SQL text, or why it could not be read. */
export type SqlLexResult = { ok: true; tokens: SqlToken[] } | { ok: false; reason: string };

const whitespace = /[ \t\n\r\f\v]/;
const identifierStart = /[A-Za-z_\u0080-\uffff]/;
const identifierPart = /[A-Za-z0-9_$\u0080-\uffff]/;
const dollarTag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;
const numberPattern = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const punctuation = new Set(['(', ')', ',', ';', '[', ']', '.', ':']);
const operatorCharacters = new Set([...'+-*/<>=~!@#%^&|`?']);

/** Where a quoted text ends: the offset just past its closing quote, or -1. */
function closingQuote(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let index = from;
  while (index < sql.length) {
    const character = sql[index];
    if (backslashEscapes && character === '\\') {
      index += 2;
      continue;
    }
    if (character === quote) {
      if (sql[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  return -1;
}

/**
 * Whether the string literal that ends just before `from` is continued: PostgreSQL joins two
 * quoted strings separated only by whitespace holding a line break (and comments), and the
 * second part keeps the first part's kind (E'…' escapes included). Comments of both kinds
 * count here, more than the server allows, so that no continuation goes unseen.
 */
function continuesString(sql: string, from: number): boolean {
  let index = from;
  let lineBreak = false;
  while (index < sql.length) {
    const character = sql[index] as string;
    if (character === '\n' || character === '\r') {
      lineBreak = true;
      index += 1;
    } else if (whitespace.test(character)) {
      index += 1;
    } else if (sql.startsWith('--', index)) {
      const newline = sql.slice(index).search(/[\n\r]/);
      if (newline === -1) return false;
      index += newline;
    } else if (sql.startsWith('/*', index)) {
      const end = blockCommentEnd(sql, index);
      if (end === -1) return false;
      index = end;
    } else {
      return lineBreak && character === "'";
    }
  }
  return false;
}

const continuedString =
  "a string literal goes on after a line break ('…' then a new line and '…'), which PostgreSQL joins into one literal; write it as one literal on one line, or join parts with ||";

/** Where a (nested) block comment that starts at `from` ends, or -1. */
function blockCommentEnd(sql: string, from: number): number {
  let depth = 0;
  let index = from;
  while (index < sql.length) {
    if (sql.startsWith('/*', index)) {
      depth += 1;
      index += 2;
    } else if (sql.startsWith('*/', index)) {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else {
      index += 1;
    }
  }
  return -1;
}

/**
 * Decodes the backslash escapes of an E'…' string as PostgreSQL does: \b \f \n \r \t, octal
 * \o to \ooo, hex \xh or \xhh, \uXXXX, \UXXXXXXXX, and any other character as itself; a
 * doubled quote is one quote.
 */
function decodeEscapeString(body: string): string {
  let decoded = '';
  let index = 0;
  const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  while (index < body.length) {
    const character = body[index] as string;
    if (character === "'" && body[index + 1] === "'") {
      decoded += "'";
      index += 2;
      continue;
    }
    if (character !== '\\' || index + 1 >= body.length) {
      decoded += character;
      index += 1;
      continue;
    }
    const next = body[index + 1] as string;
    const octal = /^[0-7]{1,3}/.exec(body.slice(index + 1))?.[0];
    const hex = next === 'x' ? /^[0-9A-Fa-f]{1,2}/.exec(body.slice(index + 2))?.[0] : undefined;
    const unicode =
      next === 'u'
        ? /^[0-9A-Fa-f]{4}/.exec(body.slice(index + 2))?.[0]
        : next === 'U'
          ? /^[0-9A-Fa-f]{8}/.exec(body.slice(index + 2))?.[0]
          : undefined;
    if (simple[next] !== undefined) {
      decoded += simple[next];
      index += 2;
    } else if (octal !== undefined) {
      decoded += String.fromCharCode(Number.parseInt(octal, 8) & 0xff);
      index += 1 + octal.length;
    } else if (hex !== undefined) {
      decoded += String.fromCharCode(Number.parseInt(hex, 16));
      index += 2 + hex.length;
    } else if (unicode !== undefined && Number.parseInt(unicode, 16) <= 0x10ffff) {
      decoded += String.fromCodePoint(Number.parseInt(unicode, 16));
      index += 2 + unicode.length;
    } else {
      decoded += next;
      index += 2;
    }
  }
  return decoded;
}

/** Decodes `\XXXX`, `\+XXXXXX` and a doubled escape character of a U& literal. */
function decodeUnicodeEscapes(body: string, escape: string): string | undefined {
  let decoded = '';
  let index = 0;
  while (index < body.length) {
    const character = body[index] as string;
    if (character !== escape) {
      decoded += character;
      index += 1;
      continue;
    }
    if (body[index + 1] === escape) {
      decoded += escape;
      index += 2;
      continue;
    }
    const long = body[index + 1] === '+';
    const digits = long ? body.slice(index + 2, index + 8) : body.slice(index + 1, index + 5);
    if (!/^[0-9A-Fa-f]+$/.test(digits) || digits.length !== (long ? 6 : 4)) return undefined;
    const codePoint = Number.parseInt(digits, 16);
    if (codePoint > 0x10ffff) return undefined;
    decoded += String.fromCodePoint(codePoint);
    index += long ? 8 : 5;
  }
  return decoded;
}

interface PendingUnicode {
  /** The literal's index among the tokens. */
  position: number;
  body: string;
}

/**
 * Splits PostgreSQL SQL into tokens the way the server's lexer does, with
 * standard_conforming_strings on: comments (nested block comments too) are dropped; string
 * literals ('…', E'…', U&'…', B/X/N'…', $tag$…$tag$) and quoted identifiers ("…", U&"…") become
 * single tokens. An unterminated comment, string or identifier is an error, so that what the
 * checks see is never out of step with what the server runs.
 */
export function lexSql(sql: string): SqlLexResult {
  // The protocol ends the text at a NUL, so the server would see less than the checks saw.
  if (sql.includes('\0')) return { ok: false, reason: 'the SQL contains a NUL character' };
  const tokens: SqlToken[] = [];
  const unicodeLiterals: PendingUnicode[] = [];
  let index = 0;
  const push = (kind: SqlTokenKind, value: string, start: number, end: number): SqlToken => {
    const token = { kind, value, start, end };
    tokens.push(token);
    return token;
  };
  /** Pushes a string literal that ends at `end`; false when a continuation follows it. */
  const pushString = (value: string, start: number, end: number): boolean => {
    if (continuesString(sql, end)) return false;
    push('string', value, start, end);
    return true;
  };

  while (index < sql.length) {
    const character = sql[index] as string;
    const next = sql[index + 1];
    if (whitespace.test(character)) {
      index += 1;
      continue;
    }
    if (character === '-' && next === '-') {
      const newline = sql.slice(index).search(/[\n\r]/);
      index = newline === -1 ? sql.length : index + newline;
      continue;
    }
    if (character === '/' && next === '*') {
      const end = blockCommentEnd(sql, index);
      if (end === -1) return { ok: false, reason: 'a /* comment is not closed' };
      index = end;
      continue;
    }
    // Prefixed literals: E'…' (backslash escapes), U&'…' and U&"…", B'…', X'…', N'…'.
    if ((character === 'e' || character === 'E') && next === "'") {
      const end = closingQuote(sql, index + 2, "'", true);
      if (end === -1) return { ok: false, reason: "an E'…' string is not closed" };
      if (!pushString(decodeEscapeString(sql.slice(index + 2, end - 1)), index, end)) {
        return { ok: false, reason: continuedString };
      }
      index = end;
      continue;
    }
    if ((character === 'u' || character === 'U') && next === '&') {
      const quote = sql[index + 2];
      if (quote === "'" || quote === '"') {
        const end = closingQuote(sql, index + 3, quote, false);
        if (end === -1) return { ok: false, reason: `a U&${quote}…${quote} literal is not closed` };
        const body = sql.slice(index + 3, end - 1).replaceAll(quote + quote, quote);
        if (quote === "'") {
          if (!pushString(body, index, end)) return { ok: false, reason: continuedString };
        } else {
          push('quoted-identifier', body, index, end);
        }
        unicodeLiterals.push({ position: tokens.length - 1, body });
        index = end;
        continue;
      }
    }
    if (/[bBxXnN]/.test(character) && next === "'") {
      const end = closingQuote(sql, index + 2, "'", false);
      if (end === -1) return { ok: false, reason: 'a string is not closed' };
      if (!pushString(sql.slice(index + 2, end - 1).replaceAll("''", "'"), index, end)) {
        return { ok: false, reason: continuedString };
      }
      index = end;
      continue;
    }
    if (character === "'") {
      const end = closingQuote(sql, index + 1, "'", false);
      if (end === -1) return { ok: false, reason: 'a string is not closed' };
      if (!pushString(sql.slice(index + 1, end - 1).replaceAll("''", "'"), index, end)) {
        return { ok: false, reason: continuedString };
      }
      index = end;
      continue;
    }
    if (character === '"') {
      const end = closingQuote(sql, index + 1, '"', false);
      if (end === -1) return { ok: false, reason: 'a quoted identifier ("…") is not closed' };
      push('quoted-identifier', sql.slice(index + 1, end - 1).replaceAll('""', '"'), index, end);
      index = end;
      continue;
    }
    if (character === '$') {
      const tag = dollarTag.exec(sql.slice(index))?.[0];
      if (tag !== undefined) {
        const close = sql.indexOf(tag, index + tag.length);
        if (close === -1) return { ok: false, reason: `a ${tag}…${tag} string is not closed` };
        push('string', sql.slice(index + tag.length, close), index, close + tag.length);
        index = close + tag.length;
        continue;
      }
      const parameter = /^\$\d+/.exec(sql.slice(index))?.[0];
      if (parameter !== undefined) {
        push('parameter', parameter, index, index + parameter.length);
        index += parameter.length;
        continue;
      }
      push('other', '$', index, index + 1);
      index += 1;
      continue;
    }
    if (identifierStart.test(character)) {
      let end = index + 1;
      while (end < sql.length && identifierPart.test(sql[end] as string)) end += 1;
      push('word', sql.slice(index, end).toLowerCase(), index, end);
      index = end;
      continue;
    }
    const number = numberPattern.exec(sql.slice(index))?.[0];
    if (number !== undefined) {
      push('number', number, index, index + number.length);
      index += number.length;
      continue;
    }
    if (character === ':' && next === ':') {
      push('punctuation', '::', index, index + 2);
      index += 2;
      continue;
    }
    if (punctuation.has(character)) {
      push('punctuation', character, index, index + 1);
      index += 1;
      continue;
    }
    push(operatorCharacters.has(character) ? 'operator' : 'other', character, index, index + 1);
    index += 1;
  }

  // U&'…' strings and U&"…" identifiers, decoded with the escape character a following
  // UESCAPE '…' names (a backslash by default).
  for (const { position, body } of unicodeLiterals) {
    const token = tokens[position] as SqlToken;
    const keyword = tokens[position + 1];
    const escapeLiteral = tokens[position + 2];
    let escape = '\\';
    if (keyword?.kind === 'word' && keyword.value === 'uescape') {
      if (escapeLiteral?.kind !== 'string' || escapeLiteral.value.length !== 1) {
        return { ok: false, reason: 'UESCAPE must name one character' };
      }
      escape = escapeLiteral.value;
    }
    const decoded = decodeUnicodeEscapes(body, escape);
    if (decoded === undefined) {
      const literal =
        token.kind === 'string' ? `the string U&'${body}'` : `the identifier U&"${body}"`;
      return { ok: false, reason: `${literal} has an invalid Unicode escape` };
    }
    token.value = decoded;
  }
  return { ok: true, tokens };
}
