import type { Severity } from '../org/escalation-schema.js';
import type { FailureRecord, FiredEscalation } from './request-state.js';

/** What made a request escalate. */
export type EscalationTrigger = 'wait' | 'ladder' | 'severity' | 'strike';

/**
 * An escalation to fire now: one A2A `escalation` message to `to`, carrying the original
 * request, who was waiting, on whom, for how long, and what was tried.
 */
export interface Escalation {
  /** `<request messageId>/<level>/<to>`: the same escalation always gets the same id. */
  escalationId: string;
  requestMessageId: string;
  runId: string;
  taskId: string;
  /** Who is waiting for the answer (the answer goes back to them). */
  asker: string;
  /** Whom the request waited on when it escalated. */
  waitedOn: string[];
  /** An agent id, `human` or `human:<name>`: the runtime decides how a person is asked. */
  to: string;
  rule: string;
  trigger: EscalationTrigger;
  /** The request's level once this fires: 1 for its first escalation. */
  level: number;
  firedAt: number;
  /** How long the request had waited on `waitedOn` when this fired. */
  waitedMs: number;
  severity: Severity;
  tags: string[];
  /** The failures recorded on the request so far. */
  attempts: FailureRecord[];
  /** The escalations fired before this one. */
  earlier: FiredEscalation[];
  /** Who waited, on whom, how long, what was tried, in sentences. */
  reason: string;
}

/** When a request's current wait runs out, and what happens then. */
export interface Deadline {
  /** Epoch milliseconds (scaled time in a drill). */
  dueAt: number;
  /** Whether `dueAt` has passed at the `now` it was computed for. */
  overdue: boolean;
  /** The wait rule, ladder or severity rule that sets it. */
  rule: string;
  source: 'wait' | 'ladder' | 'severity';
  /**
   * Who has the request once it runs out (agent ids, `human`, `human:<name>`). Empty when
   * nobody is left: the chain ends then, unless `ladderStep` is set (a rung with nobody new).
   */
  to: string[];
  /** For a ladder: the rung that begins at `dueAt`. */
  ladderStep?: number;
  /** Why `to` is not the rule's own target (it resolved to nobody, or would come back). */
  note?: string;
}

/** The id of the escalation of a request to one target at one level. */
export function escalationIdOf(requestMessageId: string, level: number, to: string): string {
  return `${requestMessageId}/${level}/${to}`;
}
