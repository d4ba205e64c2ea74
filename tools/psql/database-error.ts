import { redactSecrets } from '../shared/redact.js';

/** The fields of a PostgreSQL error that help the model fix its statement. */
interface ServerErrorFields {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
}

function fieldsOf(error: unknown): ServerErrorFields {
  if (error instanceof Error) {
    const fields = error as Error &
      Partial<Record<'code' | 'detail' | 'hint' | 'position', string>>;
    return {
      message: error.message,
      code: fields.code,
      detail: fields.detail,
      hint: fields.hint,
      position: fields.position,
    };
  }
  return { message: String(error) };
}

/** Where the error points in the statement, as a short excerpt, when the server said. */
function near(sql: string | undefined, position: string | undefined, offset: number): string {
  if (sql === undefined || position === undefined) return '';
  const at = Number(position) - 1 - offset;
  if (!Number.isInteger(at) || at < 0 || at >= sql.length) return '';
  return ` (at character ${at + 1}: "${sql.slice(at, at + 30).replace(/\s+/g, ' ')}")`;
}

/**
 * Turns a failure from PostgreSQL or pg into a message the model can act on: what failed, the
 * server's detail and hint, and what to do for the usual causes (timeouts, read-only, privileges,
 * multiple statements). `offset` is the length of any text the tool put before the statement.
 */
export function describeDatabaseError(
  error: unknown,
  context: { sql?: string; offset?: number; timeoutMs: number; role?: string },
): string {
  const fields = fieldsOf(error);
  const where = near(context.sql, fields.position, context.offset ?? 0);
  let message: string;
  if (fields.code === '57014' && /statement timeout/i.test(fields.message)) {
    message = `timed out: the statement ran longer than ${context.timeoutMs} ms (statement_timeout) and was cancelled; narrow it (a WHERE clause, LIMIT, an index) or ask the operator for a longer --timeout-ms`;
  } else if (fields.code === '25006') {
    message = `refused by PostgreSQL: ${fields.message}; the statement ran in a read-only transaction, which stops writes (even inside functions) — writes need the write grant, through execute`;
  } else if (fields.code === '42601' && /multiple commands/i.test(fields.message)) {
    message = `refused by PostgreSQL: ${fields.message}; send exactly one statement per call`;
  } else if (fields.code === '42501') {
    message = `failed: ${fields.message}; the role ${context.role ?? 'the tool connects as'} lacks that privilege — ask the operator to grant it, or read something else`;
  } else if (fields.code === '25P03' || /idle-in-transaction/i.test(fields.message)) {
    message = `failed: the connection was closed by idle_in_transaction_session_timeout; try again`;
  } else if (fields.code !== undefined) {
    message = `failed: ${fields.message}${where} [SQLSTATE ${fields.code}]`;
  } else {
    message = `failed: ${fields.message}`;
  }
  if (fields.detail) message += `\ndetail: ${fields.detail}`;
  if (fields.hint) message += `\nhint: ${fields.hint}`;
  return redactSecrets(message);
}
