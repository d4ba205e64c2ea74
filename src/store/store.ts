import type { A2AMessage } from '../a2a/message.js';
import type { RunEvent, RunTotals } from '../runtime/run-event.js';

/** The version of the stored schema this code writes; stores migrate older ones on open. */
export const storeSchemaVersion = 4;

/**
 * How a run was started, kept so that `cadre resume` can start it again the same way: plain
 * JSON-compatible data that the command line writes and reads.
 */
export interface RunSettings {
  /** The org folder the run was loaded from. */
  orgDir?: string;
  /** The `--model` choice (`rehearsal`, `rehearsal:<script>`, `auto` or a model id). */
  model?: string;
  /** The `--tools` mode. */
  tools?: string;
  /** The drill's time scale, and the instant its scaled clock was anchored at. */
  timeScale?: number;
  clockOrigin?: number;
  /** The id of the message that carried the task to the entry agent (the run's request). */
  requestId?: string;
}

/** A run as the store keeps it. */
export interface RunRecord {
  runId: string;
  org: string;
  task: string;
  entry: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  startedAt: number;
  endedAt?: number;
  answer?: string;
  /** Why it failed or was cancelled. */
  error?: string;
  /** What it used (tokens, cost, calls), as of its last save. */
  totals?: RunTotals;
  settings?: RunSettings;
}

/** Where a message is in its life: written before delivery (the outbox), then handled once. */
export type MessageStatus = 'pending' | 'handled' | 'dead';

/** A message as the store keeps it. */
export interface MessageRecord {
  message: A2AMessage;
  status: MessageStatus;
  /** When it was handled (or dead-lettered), in epoch milliseconds. */
  settledAt?: number;
}

/** A session's saved state: enough to rebuild it after a crash ("load, then continue"). */
export interface SessionRecord {
  sessionId: string;
  runId: string;
  agent: string;
  status: string;
  /** The session state as JSON-compatible data (open requests, counters…), its conversation apart. */
  state: unknown;
  updatedAt: number;
  /**
   * The session's conversation, kept apart from `state` because it only grows: on save, the
   * messages from position `messagesFrom` on (the earlier ones are stored already; a position
   * saved again is replaced); read back, every message stored, in order.
   */
  messages?: unknown[];
  /** On save: the position of `messages[0]` in the conversation (0 when absent). */
  messagesFrom?: number;
}

/** A request (task, question, escalation) that waits for an answer, with its deadline. */
export interface OpenRequestRecord {
  messageId: string;
  runId: string;
  from: string;
  to: string;
  kind: 'task' | 'question' | 'escalation';
  taskId: string;
  sentAt: number;
  /** When the escalation engine acts on it, in epoch milliseconds; absent when no rule limits it. */
  dueAt?: number;
  /** How many times it has escalated so far. */
  level: number;
  status: 'open' | 'answered' | 'escalated' | 'cancelled';
  /** The escalation engine's state of the request (JSON-compatible), for re-arming after a restart. */
  state?: unknown;
}

/** An escalation that fired: who was waiting, on whom, for how long, and to whom it went. */
export interface EscalationRecord {
  escalationId: string;
  runId: string;
  /** The request that waited too long, failed too often, or was too severe. */
  requestMessageId: string;
  asker: string;
  waitedOn: string;
  to: string;
  rule: string;
  reason: string;
  level: number;
  firedAt: number;
  status: 'open' | 'answered' | 'cancelled';
  answer?: string;
  answeredBy?: string;
  answeredAt?: number;
}

/**
 * The Store seam: where runs, messages (an outbox written before delivery), sessions, open
 * requests with their deadlines, escalations and events are kept. The memory store serves one
 * process; the SQLite (`.cadre/state.db`) and PostgreSQL stores outlive it. Every method is
 * atomic on its own.
 */
export interface Store {
  /**
   * Whether what it keeps outlives the process (SQLite, PostgreSQL). The runtime writes its
   * checkpoints (sessions, the outbox) only to a durable store: a memory store could not
   * resume a run anyway.
   */
  readonly durable: boolean;

  saveRun(run: RunRecord): Promise<void>;
  /**
   * Takes or renews a stored run's lease for `owner` until `leaseUntil` (ms since the epoch),
   * when no other owner holds one that lasts past `now`; resolves whether `owner` holds it.
   * One process at a time works on a run: the one holding its lease.
   */
  claimRun(runId: string, owner: string, leaseUntil: number, now: number): Promise<boolean>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** The most recent runs first. */
  listRuns(limit: number): Promise<RunRecord[]>;

  /**
   * Appends events in the order given (a run's events arrive in batches, one per tick); batches
   * keep the order of the calls, also when the caller does not wait between them.
   */
  appendEvents(events: readonly RunEvent[]): Promise<void>;
  events(runId: string): Promise<RunEvent[]>;

  /** Writes a message before it is delivered; writing the same messageId again changes nothing. */
  putMessage(message: A2AMessage): Promise<void>;
  /**
   * Marks a message handled; resolves `true` the first time and `false` when it already was,
   * so a redelivered message is handled once.
   */
  markHandled(messageId: string, at: number): Promise<boolean>;
  getMessage(messageId: string): Promise<MessageRecord | undefined>;
  /** Messages of a run written but not handled, oldest first: what a resumed run delivers again. */
  pendingMessages(runId: string): Promise<A2AMessage[]>;

  /** Saves a session's state and appends to its conversation (see `SessionRecord.messages`). */
  saveSession(session: SessionRecord): Promise<void>;
  /** A run's sessions, each with its whole conversation in `messages`, in the order they were first saved. */
  sessions(runId: string): Promise<SessionRecord[]>;

  saveRequest(request: OpenRequestRecord): Promise<void>;
  getRequest(messageId: string): Promise<OpenRequestRecord | undefined>;
  /** Requests still waiting for an answer (open or escalated), of one run or all, the soonest due first. */
  openRequests(runId?: string): Promise<OpenRequestRecord[]>;

  saveEscalation(escalation: EscalationRecord): Promise<void>;
  getEscalation(escalationId: string): Promise<EscalationRecord | undefined>;
  listEscalations(options: { open?: boolean; runId?: string }): Promise<EscalationRecord[]>;
  /**
   * Answers an open escalation; resolves the updated record, or `undefined` when it is unknown
   * or no longer open (answered twice: the second answer is refused).
   */
  answerEscalation(
    escalationId: string,
    answer: string,
    by: string,
    at: number,
  ): Promise<EscalationRecord | undefined>;

  close(): Promise<void>;
}
