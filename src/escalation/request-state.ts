import type { A2AMessage } from '../a2a/message.js';
import type { FailureKind, Severity } from '../org/escalation-schema.js';

/** What kind of request waits for an answer. */
export type RequestKind = 'task' | 'question' | 'escalation';

/** One failed attempt on a request: a strike, when a strike rule counts its kind. */
export interface FailureRecord {
  kind: FailureKind;
  /** When it happened, in epoch milliseconds (scaled time in a drill). */
  at: number;
  /** What failed, in a sentence (a tool error's text, the guard that tripped). */
  detail: string;
}

/** Where a request is on an on-call ladder. */
export interface LadderState {
  /** The ladder's id in the rule set. */
  rule: string;
  /** The index of the rung whose targets have the request now. */
  step: number;
  /** When that rung began. */
  stepStartedAt: number;
}

/** An escalation already fired for a request: what the next level must not repeat. */
export interface FiredEscalation {
  escalationId: string;
  to: string;
  level: number;
  rule: string;
  at: number;
}

/**
 * One open request the escalation engine watches. Plain JSON-compatible data: the runtime
 * stores it as it is and hands it back to the plan functions, which return the next state.
 */
export interface RequestState {
  /** The message that carried the request (also the id of its timer). */
  messageId: string;
  runId: string;
  /** The request thread (the message's taskId). */
  taskId: string;
  /** Who is waiting for the answer. Every rule resolves relative to the asker. */
  asker: string;
  /** Whom the request was first sent to. */
  to: string;
  /**
   * Whom it waits on now: first its recipient, then the targets of its last escalation
   * (several when a ladder rung names several, asked at once).
   */
  waitingOn: string[];
  /** The kind it was sent as; once escalated, wait rules see it as an `escalation`. */
  kind: RequestKind;
  severity: Severity;
  tags: string[];
  sentAt: number;
  /** When the current wait began: `sentAt`, then the time of the last escalation. */
  waitingSince: number;
  /** How many times it has escalated so far (0 when it has not). */
  level: number;
  failures: FailureRecord[];
  /** The on-call ladder it is climbing, if any. */
  ladder?: LadderState;
  /** Escalations fired for it, oldest first. */
  fired: FiredEscalation[];
  status: 'open' | 'answered';
  /** Set when a wait ran out with nobody left to ask: no further deadline until it escalates again. */
  ended?: { at: number; reason: string };
  answeredBy?: string;
  answeredAt?: number;
}

/** The facts of a request as it is sent. */
export interface RequestInput {
  messageId: string;
  runId: string;
  taskId?: string;
  asker: string;
  to: string;
  kind: RequestKind;
  severity?: Severity;
  tags?: string[];
  sentAt: number;
}

/** The state of a request just sent: level 0, waiting on its recipient since `sentAt`. */
export function openRequest(input: RequestInput): RequestState {
  return {
    messageId: input.messageId,
    runId: input.runId,
    taskId: input.taskId ?? input.messageId,
    asker: input.asker,
    to: input.to,
    waitingOn: [input.to],
    kind: input.kind,
    severity: input.severity ?? 'normal',
    tags: [...(input.tags ?? [])],
    sentAt: input.sentAt,
    waitingSince: input.sentAt,
    level: 0,
    failures: [],
    fired: [],
    status: 'open',
  };
}

/** The state of the request an A2A message carries; `undefined` for a reply, report or notice. */
export function requestFromMessage(message: A2AMessage): RequestState | undefined {
  const { kind } = message;
  if (kind !== 'task' && kind !== 'question' && kind !== 'escalation') return undefined;
  return openRequest({
    messageId: message.messageId,
    runId: message.contextId,
    taskId: message.taskId,
    asker: message.from,
    to: message.to,
    kind,
    severity: message.severity,
    tags: message.tags,
    sentAt: message.sentAt,
  });
}
