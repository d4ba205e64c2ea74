import { z } from 'zod';
import { A2AMessage } from '../a2a/message.js';
import { CadreError } from '../errors.js';
import type { RunEvent, RunTotals } from '../runtime/run-event.js';
import type {
  EscalationRecord,
  MessageRecord,
  MessageStatus,
  OpenRequestRecord,
  RunRecord,
  RunSettings,
  SessionRecord,
} from './store.js';

/** Epoch milliseconds as a column holds them. */
const millis = z.number().int();

/** A JSON column, read as text (both drivers hand JSON back unparsed) and parsed. */
const json = z.string().transform((text, context): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `not JSON (${error instanceof Error ? error.message : String(error)})`,
    });
    return z.NEVER;
  }
});

// Each object below lists every value of a record's union type: adding a value to store.ts
// without adding it here is a compile error, not a row that suddenly fails to read.
const runStatus = z.enum({
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
} satisfies { [K in RunRecord['status']]: K });
const messageStatus = z.enum({
  pending: 'pending',
  handled: 'handled',
  dead: 'dead',
} satisfies { [K in MessageStatus]: K });
const requestKind = z.enum({
  task: 'task',
  question: 'question',
  escalation: 'escalation',
} satisfies { [K in OpenRequestRecord['kind']]: K });
const requestStatus = z.enum({
  open: 'open',
  answered: 'answered',
  escalated: 'escalated',
  cancelled: 'cancelled',
} satisfies { [K in OpenRequestRecord['status']]: K });
const escalationStatus = z.enum({
  open: 'open',
  answered: 'answered',
  cancelled: 'cancelled',
} satisfies { [K in EscalationRecord['status']]: K });

const RunTotalsShape = z.object({
  messages: z.number(),
  modelCalls: z.number(),
  toolCalls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  costUsd: z.number(),
  wallMs: z.number(),
}) satisfies z.ZodType<RunTotals>;

const RunSettingsShape = z.object({
  orgDir: z.string().optional(),
  model: z.string().optional(),
  tools: z.string().optional(),
  timeScale: z.number().optional(),
  clockOrigin: z.number().optional(),
  requestId: z.string().optional(),
}) satisfies z.ZodType<RunSettings>;

const RunRow = z.object({
  run_id: z.string(),
  org: z.string(),
  task: z.string(),
  entry: z.string(),
  status: runStatus,
  started_at: millis,
  ended_at: millis.nullable(),
  answer: z.string().nullable(),
  error: z.string().nullable(),
  totals: json.pipe(RunTotalsShape).nullable(),
  settings: json.pipe(RunSettingsShape).nullable(),
});

/** Fields every RunEvent has; the rest of an event is kept as it was written. */
const EventBody = z.looseObject({
  type: z.string().min(1),
  runId: z.string(),
  agent: z.string(),
  at: z.number(),
});
const EventRow = z.object({
  seq: z.number().int(),
  run_id: z.string(),
  body: json.pipe(EventBody),
});

const MessageRow = z.object({
  message_id: z.string(),
  status: messageStatus,
  settled_at: millis.nullable(),
  body: json.pipe(A2AMessage),
});

const SessionRow = z.object({
  session_id: z.string(),
  run_id: z.string(),
  agent: z.string(),
  status: z.string(),
  state: json,
  updated_at: millis,
});

const SessionMessageRow = z.object({
  session_id: z.string(),
  position: z.coerce.number().int().nonnegative(),
  body: json,
});

const RequestRow = z.object({
  message_id: z.string(),
  run_id: z.string(),
  from_agent: z.string(),
  to_agent: z.string(),
  kind: requestKind,
  task_id: z.string(),
  sent_at: millis,
  due_at: millis.nullable(),
  level: z.number().int(),
  status: requestStatus,
  state: json.nullable(),
});

const EscalationRow = z.object({
  escalation_id: z.string(),
  run_id: z.string(),
  request_message_id: z.string(),
  asker: z.string(),
  waited_on: z.string(),
  to_agent: z.string(),
  rule: z.string(),
  reason: z.string(),
  level: z.number().int(),
  fired_at: millis,
  status: escalationStatus,
  answer: z.string().nullable(),
  answered_by: z.string().nullable(),
  answered_at: millis.nullable(),
});

/** `{ [key]: value }` when the column held a value, `{}` for NULL: optional fields stay absent. */
function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Turns rows read from a SQL store into records, with a clear error for a row that is corrupt. */
export interface RowReader {
  run(row: unknown): RunRecord;
  event(row: unknown): RunEvent;
  message(row: unknown): MessageRecord;
  session(row: unknown): SessionRecord;
  /** One message of a session's conversation, at its position. */
  sessionMessage(row: unknown): { sessionId: string; position: number; body: unknown };
  request(row: unknown): OpenRequestRecord;
  escalation(row: unknown): EscalationRecord;
}

/** A RowReader whose errors name the store (`where`), the table and the row's key. */
export function createRowReader(where: string): RowReader {
  function corrupt(table: string, key: string, problems: string): CadreError {
    return new CadreError({
      code: 'store-row-invalid',
      message: `the store at ${where} holds a corrupt ${table} row (${key}): ${problems}`,
      hint: 'the database was changed outside cadre or damaged: restore it from a backup, or delete that row',
    });
  }

  function keyOf(row: unknown, column: string): string {
    const value = (row as Record<string, unknown> | null | undefined)?.[column];
    return typeof value === 'string' || typeof value === 'number'
      ? `${column} ${JSON.stringify(value)}`
      : `no ${column}`;
  }

  function decode<S extends z.ZodType>(
    table: string,
    keyColumn: string,
    schema: S,
    row: unknown,
  ): z.output<S> {
    const result = schema.safeParse(row);
    if (result.success) return result.data;
    const problems = result.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '(row)'}: ${issue.message}`)
      .join('; ');
    throw corrupt(table, keyOf(row, keyColumn), problems);
  }

  return {
    run(row) {
      const run = decode('runs', 'run_id', RunRow, row);
      return {
        runId: run.run_id,
        org: run.org,
        task: run.task,
        entry: run.entry,
        status: run.status,
        startedAt: run.started_at,
        ...optional('endedAt', run.ended_at),
        ...optional('answer', run.answer),
        ...optional('error', run.error),
        ...optional('totals', run.totals),
        ...optional('settings', run.settings),
      };
    },
    event(row) {
      const event = decode('events', 'seq', EventRow, row);
      if (event.body.runId !== event.run_id) {
        throw corrupt('events', keyOf(row, 'seq'), `body.runId is not ${event.run_id}`);
      }
      // Written from a RunEvent; the fields every event has were checked, the rest is as written.
      return event.body as unknown as RunEvent;
    },
    message(row) {
      const record = decode('messages', 'message_id', MessageRow, row);
      if (record.body.messageId !== record.message_id) {
        throw corrupt(
          'messages',
          keyOf(row, 'message_id'),
          `body.messageId is ${record.body.messageId}`,
        );
      }
      return {
        message: record.body,
        status: record.status,
        ...optional('settledAt', record.settled_at),
      };
    },
    session(row) {
      const session = decode('sessions', 'session_id', SessionRow, row);
      return {
        sessionId: session.session_id,
        runId: session.run_id,
        agent: session.agent,
        status: session.status,
        state: session.state,
        updatedAt: session.updated_at,
      };
    },
    sessionMessage(row) {
      const message = decode('session_messages', 'session_id', SessionMessageRow, row);
      return { sessionId: message.session_id, position: message.position, body: message.body };
    },
    request(row) {
      const request = decode('open_requests', 'message_id', RequestRow, row);
      return {
        messageId: request.message_id,
        runId: request.run_id,
        from: request.from_agent,
        to: request.to_agent,
        kind: request.kind,
        taskId: request.task_id,
        sentAt: request.sent_at,
        ...optional('dueAt', request.due_at),
        level: request.level,
        status: request.status,
        ...optional('state', request.state),
      };
    },
    escalation(row) {
      const escalation = decode('escalations', 'escalation_id', EscalationRow, row);
      return {
        escalationId: escalation.escalation_id,
        runId: escalation.run_id,
        requestMessageId: escalation.request_message_id,
        asker: escalation.asker,
        waitedOn: escalation.waited_on,
        to: escalation.to_agent,
        rule: escalation.rule,
        reason: escalation.reason,
        level: escalation.level,
        firedAt: escalation.fired_at,
        status: escalation.status,
        ...optional('answer', escalation.answer),
        ...optional('answeredBy', escalation.answered_by),
        ...optional('answeredAt', escalation.answered_at),
      };
    },
  };
}
