import { A2AMessage } from '../a2a/message.js';
import { CadreError } from '../errors.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';
import { createRowReader } from './store-rows.js';
import type { Store } from './store.js';

/** Times are kept in whole milliseconds; a fractional one (a scaled clock) is rounded. */
function ms(value: number): number {
  return Math.round(value);
}

function optionalMs(value: number | undefined): number | null {
  return value === undefined ? null : ms(value);
}

function text(value: string | undefined): string | null {
  return value ?? null;
}

/** JSON for a JSON column; what JSON cannot hold (undefined, a function) is kept as `null`. */
function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

const ignore = (): void => undefined;

/** `LIMIT` wants a whole, non-negative number; `listRuns(Infinity)` lists every run. */
function limitOf(limit: number): number {
  if (Number.isNaN(limit)) return 0;
  return Math.max(0, Math.min(Math.floor(limit), Number.MAX_SAFE_INTEGER));
}

const runColumns =
  'run_id, org, task, entry, status, started_at, ended_at, answer, error, totals, settings';
const requestColumns =
  'message_id, run_id, from_agent, to_agent, kind, task_id, sent_at, due_at, level, status, state';

/** A JSON column's value, or NULL when the record has none. */
function optionalJson(value: unknown): string | null {
  return value === undefined ? null : jsonText(value);
}
const escalationColumns =
  'escalation_id, run_id, request_message_id, asker, waited_on, to_agent, rule, reason, level, ' +
  'fired_at, status, answer, answered_by, answered_at';

/** `INSERT … ON CONFLICT (key) DO UPDATE` over the given columns: a save that replaces. */
function upsert(table: string, columns: string, key: string): string {
  const names = columns.split(', ');
  const updates = names
    .filter((name) => name !== key)
    .map((name) => `${name} = excluded.${name}`)
    .join(', ');
  return (
    `INSERT INTO ${table} (${columns}) VALUES (${names.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (${key}) DO UPDATE SET ${updates}`
  );
}

/** Rows per multi-row insert: at most 5 parameters a row, well under either database's limit. */
const rowsPerInsert = 200;
const multiRowSql = new Map<string, string>();
/**
 * `<head> VALUES (?, …), (?, …) <tail>` for `rows` rows of `columns` values (built once per
 * shape); rows take their `seq` in the order given.
 */
function multiRowInsert(head: string, columns: number, rows: number, tail: string): string {
  const key = `${head}|${columns}|${rows}|${tail}`;
  let sql = multiRowSql.get(key);
  if (sql === undefined) {
    const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
    sql = `${head} VALUES ${Array.from({ length: rows }, () => row).join(', ')}${tail ? ` ${tail}` : ''}`;
    multiRowSql.set(key, sql);
  }
  return sql;
}

const saveRunSql = upsert('runs', runColumns, 'run_id');
const saveSessionSql = upsert(
  'sessions',
  'session_id, run_id, agent, status, state, updated_at',
  'session_id',
);
const saveRequestSql = upsert('open_requests', requestColumns, 'message_id');
const saveEscalationSql = upsert('escalations', escalationColumns, 'escalation_id');

/**
 * The Store over a SQL database, in the SQL both SQLite and PostgreSQL accept: the schema is
 * expected to be migrated already. JSON goes in as text, and every row read back is validated
 * (see store-rows.ts). Ordered reads break ties by insertion order (`seq`), as the memory
 * store does. Conditional updates make `markHandled` and `answerEscalation` succeed once.
 */
export function createSqlStore(driver: SqlDriver): Store {
  const rows = createRowReader(driver.where);
  const query = (sql: string, params: readonly SqlValue[] = []) => driver.query(sql, params);
  let eventWrites: Promise<void> = Promise.resolve();
  /** Inserts `rows` (each the same columns) a chunk of `rowsPerInsert` at a time, in order. */
  const insertRows = async (head: string, rows: SqlValue[][], tail = ''): Promise<void> => {
    for (let from = 0; from < rows.length; from += rowsPerInsert) {
      const chunk = rows.slice(from, from + rowsPerInsert);
      await query(multiRowInsert(head, chunk[0]?.length ?? 0, chunk.length, tail), chunk.flat());
    }
  };

  return {
    durable: true,
    async saveRun(run) {
      await query(saveRunSql, [
        run.runId,
        run.org,
        run.task,
        run.entry,
        run.status,
        ms(run.startedAt),
        optionalMs(run.endedAt),
        text(run.answer),
        text(run.error),
        optionalJson(run.totals),
        optionalJson(run.settings),
      ]);
    },
    async claimRun(runId, owner, leaseUntil, now) {
      const result = await query(
        'UPDATE runs SET owner = ?, lease_until = ? WHERE run_id = ? AND (owner IS NULL OR owner = ? OR lease_until IS NULL OR lease_until < ?)',
        [owner, ms(leaseUntil), runId, owner, ms(now)],
      );
      return result.changes > 0;
    },
    async getRun(runId) {
      const result = await query(`SELECT ${runColumns} FROM runs WHERE run_id = ?`, [runId]);
      return result.rows[0] === undefined ? undefined : rows.run(result.rows[0]);
    },
    async listRuns(limit) {
      const result = await query(
        `SELECT ${runColumns} FROM runs ORDER BY started_at DESC, seq ASC LIMIT ?`,
        [limitOf(limit)],
      );
      return result.rows.map(rows.run);
    },

    async appendEvents(events) {
      if (events.length === 0) return;
      // One insert at a time, in the order of the calls: over a pool, inserts that overlap
      // could otherwise take their row numbers in another order than they were appended.
      const write = eventWrites.then(() =>
        insertRows(
          'INSERT INTO events (run_id, type, agent, at, body)',
          events.map((event) => [
            event.runId,
            event.type,
            event.agent,
            ms(event.at),
            jsonText(event),
          ]),
        ),
      );
      eventWrites = write.then(ignore, ignore);
      await write;
    },
    async events(runId) {
      const result = await query(
        'SELECT seq, run_id, body FROM events WHERE run_id = ? ORDER BY seq',
        [runId],
      );
      return result.rows.map(rows.event);
    },

    async putMessage(message) {
      const checked = A2AMessage.safeParse(message);
      if (!checked.success) {
        throw new CadreError({
          code: 'message-invalid',
          message: `store: message ${String(message.messageId)} is not a valid A2A message: ${checked.error.issues
            .map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`)
            .join('; ')}`,
          hint: 'build messages that match the A2AMessage schema in src/a2a/message.ts',
        });
      }
      await query(
        'INSERT INTO messages (message_id, run_id, status, sent_at, settled_at, body) ' +
          "VALUES (?, ?, 'pending', ?, NULL, ?) ON CONFLICT (message_id) DO NOTHING",
        [
          checked.data.messageId,
          checked.data.contextId,
          checked.data.sentAt,
          jsonText(checked.data),
        ],
      );
    },
    async markHandled(messageId, at) {
      const result = await query(
        "UPDATE messages SET status = 'handled', settled_at = ? " +
          "WHERE message_id = ? AND status = 'pending'",
        [ms(at), messageId],
      );
      return result.changes === 1;
    },
    async getMessage(messageId) {
      const result = await query(
        'SELECT message_id, status, settled_at, body FROM messages WHERE message_id = ?',
        [messageId],
      );
      return result.rows[0] === undefined ? undefined : rows.message(result.rows[0]);
    },
    async pendingMessages(runId) {
      const result = await query(
        'SELECT message_id, status, settled_at, body FROM messages ' +
          "WHERE run_id = ? AND status = 'pending' ORDER BY sent_at, seq",
        [runId],
      );
      return result.rows.map((row) => rows.message(row).message);
    },

    async saveSession(session) {
      // The conversation's new messages first, then the state that counts them: a crash between
      // the two leaves rows past the saved state, which the next save of those positions replaces.
      const from = session.messagesFrom ?? 0;
      await insertRows(
        'INSERT INTO session_messages (run_id, session_id, position, body)',
        (session.messages ?? []).map((message, index) => [
          session.runId,
          session.sessionId,
          from + index,
          jsonText(message),
        ]),
        'ON CONFLICT (session_id, position) DO UPDATE SET body = excluded.body',
      );
      await query(saveSessionSql, [
        session.sessionId,
        session.runId,
        session.agent,
        session.status,
        jsonText(session.state),
        ms(session.updatedAt),
      ]);
    },
    async sessions(runId) {
      const [result, conversation] = await Promise.all([
        query(
          'SELECT session_id, run_id, agent, status, state, updated_at FROM sessions ' +
            'WHERE run_id = ? ORDER BY seq',
          [runId],
        ),
        query(
          'SELECT session_id, position, body FROM session_messages WHERE run_id = ? ' +
            'ORDER BY session_id, position',
          [runId],
        ),
      ]);
      const messagesOf = new Map<string, unknown[]>();
      for (const row of conversation.rows) {
        const message = rows.sessionMessage(row);
        const list = messagesOf.get(message.sessionId) ?? [];
        list[message.position] = message.body;
        messagesOf.set(message.sessionId, list);
      }
      return result.rows.map((row) => {
        const session = rows.session(row);
        const messages = messagesOf.get(session.sessionId);
        return messages === undefined ? session : { ...session, messages };
      });
    },

    async saveRequest(request) {
      await query(saveRequestSql, [
        request.messageId,
        request.runId,
        request.from,
        request.to,
        request.kind,
        request.taskId,
        ms(request.sentAt),
        optionalMs(request.dueAt),
        request.level,
        request.status,
        optionalJson(request.state),
      ]);
    },
    async getRequest(messageId) {
      const result = await query(
        `SELECT ${requestColumns} FROM open_requests WHERE message_id = ?`,
        [messageId],
      );
      return result.rows[0] === undefined ? undefined : rows.request(result.rows[0]);
    },
    async openRequests(runId) {
      const byRun = runId === undefined ? '' : 'AND run_id = ? ';
      const result = await query(
        `SELECT ${requestColumns} FROM open_requests WHERE status IN ('open', 'escalated') ${byRun}` +
          'ORDER BY due_at ASC NULLS LAST, seq ASC',
        runId === undefined ? [] : [runId],
      );
      return result.rows.map(rows.request);
    },

    async saveEscalation(escalation) {
      await query(saveEscalationSql, [
        escalation.escalationId,
        escalation.runId,
        escalation.requestMessageId,
        escalation.asker,
        escalation.waitedOn,
        escalation.to,
        escalation.rule,
        escalation.reason,
        escalation.level,
        ms(escalation.firedAt),
        escalation.status,
        text(escalation.answer),
        text(escalation.answeredBy),
        optionalMs(escalation.answeredAt),
      ]);
    },
    async getEscalation(escalationId) {
      const result = await query(
        `SELECT ${escalationColumns} FROM escalations WHERE escalation_id = ?`,
        [escalationId],
      );
      return result.rows[0] === undefined ? undefined : rows.escalation(result.rows[0]);
    },
    async listEscalations(options) {
      const conditions: string[] = [];
      const params: SqlValue[] = [];
      if (options.open) conditions.push("status = 'open'");
      if (options.runId !== undefined) {
        conditions.push('run_id = ?');
        params.push(options.runId);
      }
      const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')} `;
      const result = await query(
        `SELECT ${escalationColumns} FROM escalations ${where}ORDER BY fired_at, seq`,
        params,
      );
      return result.rows.map(rows.escalation);
    },
    async answerEscalation(escalationId, answer, by, at) {
      const result = await query(
        "UPDATE escalations SET status = 'answered', answer = ?, answered_by = ?, answered_at = ? " +
          `WHERE escalation_id = ? AND status = 'open' RETURNING ${escalationColumns}`,
        [answer, by, ms(at), escalationId],
      );
      return result.rows[0] === undefined ? undefined : rows.escalation(result.rows[0]);
    },

    close() {
      return driver.close();
    },
  };
}
