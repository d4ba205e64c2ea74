/**
 * The frontend messages of PostgreSQL's extended query protocol that the tool sends, encoded
 * straight into one buffer: a whole call (statements and Sync) is then one socket write, and the
 * fixed parts (`BEGIN READ ONLY`, `ROLLBACK`, Sync) are encoded once per process.
 * See https://www.postgresql.org/docs/current/protocol-message-formats.html.
 */

const parseCode = 0x50; // 'P'
const bindCode = 0x42; // 'B'
const describeCode = 0x44; // 'D'
const executeCode = 0x45; // 'E'
const portalKind = 0x50; // 'P'

/** Sync: the end of one pipeline; the server answers ReadyForQuery. */
export const syncMessage: Buffer = Buffer.from([0x53, 0, 0, 0, 4]);

/** The error for SQL that PostgreSQL cannot receive: its text would end at the NUL. */
export class NulInSqlError extends Error {
  constructor() {
    super('the SQL contains a NUL character (\\u0000), which PostgreSQL does not accept');
    this.name = 'NulInSqlError';
  }
}

/**
 * Parse (unnamed statement, no parameter types), Bind (unnamed portal, no parameters, text
 * results), an optional Describe of the portal, and Execute with a row limit (0: all rows).
 * Throws NulInSqlError when the text holds a NUL.
 */
export function encodeStatement(text: string, rows: number, describe: boolean): Buffer {
  if (text.includes('\0')) throw new NulInSqlError();
  const textBytes = Buffer.byteLength(text);
  // Parse: code, length, name "" (1), text + NUL, int16 parameter types.
  const parseLength = 4 + 1 + textBytes + 1 + 2;
  // Bind: code, length, portal "" (1), statement "" (1), three int16 counts (formats, values, result formats).
  const bindLength = 4 + 1 + 1 + 2 + 2 + 2;
  // Describe: code, length, kind, portal "" (1).
  const describeLength = 4 + 1 + 1;
  // Execute: code, length, portal "" (1), int32 rows.
  const executeLength = 4 + 1 + 4;
  const size =
    1 + parseLength + 1 + bindLength + (describe ? 1 + describeLength : 0) + 1 + executeLength;
  const buffer = Buffer.allocUnsafe(size);
  let at = 0;
  buffer[at++] = parseCode;
  at = buffer.writeInt32BE(parseLength, at);
  buffer[at++] = 0;
  at += buffer.write(text, at, 'utf8');
  buffer[at++] = 0;
  at = buffer.writeInt16BE(0, at);

  buffer[at++] = bindCode;
  at = buffer.writeInt32BE(bindLength, at);
  buffer[at++] = 0;
  buffer[at++] = 0;
  at = buffer.writeInt16BE(0, at);
  at = buffer.writeInt16BE(0, at);
  at = buffer.writeInt16BE(0, at);

  if (describe) {
    buffer[at++] = describeCode;
    at = buffer.writeInt32BE(describeLength, at);
    buffer[at++] = portalKind;
    buffer[at++] = 0;
  }

  buffer[at++] = executeCode;
  at = buffer.writeInt32BE(executeLength, at);
  buffer[at++] = 0;
  buffer.writeUInt32BE(rows, at);
  return buffer;
}

const fixedStatements = new Map<string, Buffer>();

/**
 * Parse, Bind and Execute of a statement whose rows are not wanted (`BEGIN READ ONLY`,
 * `ROLLBACK`): encoded once and kept, for the few fixed statements the tool sends.
 */
export function encodeFixedStatement(text: string): Buffer {
  let encoded = fixedStatements.get(text);
  if (!encoded) {
    encoded = encodeStatement(text, 0, false);
    if (fixedStatements.size < 32) fixedStatements.set(text, encoded);
  }
  return encoded;
}
