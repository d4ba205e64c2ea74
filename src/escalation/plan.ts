import type { OrgDefinition } from '../org/org-definition.js';
import { contextOf, deadlineOf, rungTargets, takenBy } from './deadline.js';
import { escalationIdOf } from './escalation.js';
import type { Deadline, Escalation, EscalationTrigger } from './escalation.js';
import { escalationReason } from './reason.js';
import type { FailureRecord, RequestState } from './request-state.js';
import { appliesTo, resolveEscalation } from './targets.js';

export { deadlineOf } from './deadline.js';

/**
 * What the engine decided for a request: the state to store, the escalations to send now,
 * and the deadline to arm (timer id: the request's messageId; cancel it when absent).
 */
export interface PlanStep {
  /** The request's next state (the same object when nothing changed). */
  request: RequestState;
  fire: Escalation[];
  deadline?: Deadline;
  /** Set when the chain has run out of targets: tell the asker this. */
  ended?: string;
}

/** What an answer settles: the request closes, and each escalation fired for it is answered or cancelled. */
export interface AnswerStep {
  request: RequestState;
  /** The fired escalations: `answered` for the one whose target answered, `cancelled` for the rest. */
  settle: { escalationId: string; status: 'answered' | 'cancelled' }[];
  /** Whether the request had escalated: the asker is told who answered and why. */
  escalated: boolean;
}

/** A step that fires nothing: the request as given, with its deadline (and why the chain ended). */
function stay(org: OrgDefinition, request: RequestState, now: number, ended?: string): PlanStep {
  const deadline = deadlineOf(org, request, now);
  const step: PlanStep = deadline ? { request, fire: [], deadline } : { request, fire: [] };
  return ended === undefined ? step : { ...step, ended };
}

/** Sends the request on to `to` (one level up) and returns the step. */
function escalate(
  org: OrgDefinition,
  request: RequestState,
  trigger: EscalationTrigger,
  rule: string,
  to: string[],
  now: number,
  options: { note?: string; ladderStep?: number; keepLadder?: boolean } = {},
): PlanStep {
  const level = request.level + 1;
  const reason = escalationReason({
    request,
    trigger,
    rule,
    to,
    now,
    ...(options.note === undefined ? {} : { note: options.note }),
    ...(options.ladderStep === undefined ? {} : { ladderStep: options.ladderStep }),
  });
  const fresh = to.filter((target) => !request.waitingOn.includes(target));
  const fire: Escalation[] = fresh.map((target) => ({
    escalationId: escalationIdOf(request.messageId, level, target),
    requestMessageId: request.messageId,
    runId: request.runId,
    taskId: request.taskId,
    asker: request.asker,
    waitedOn: [...request.waitingOn],
    to: target,
    rule,
    trigger,
    level,
    firedAt: now,
    waitedMs: now - request.waitingSince,
    severity: request.severity,
    tags: [...request.tags],
    attempts: [...request.failures],
    earlier: [...request.fired],
    reason,
  }));
  const next: RequestState = {
    ...request,
    waitingOn: to.length > 0 ? [...to] : request.waitingOn,
    waitingSince: fire.length > 0 ? now : request.waitingSince,
    level: fire.length > 0 ? level : request.level,
    fired: [
      ...request.fired,
      ...fire.map((escalation) => ({
        escalationId: escalation.escalationId,
        to: escalation.to,
        level,
        rule,
        at: now,
      })),
    ],
  };
  delete next.ended;
  if (!options.keepLadder) delete next.ladder;
  const deadline = deadlineOf(org, next, now);
  return deadline ? { request: next, fire, deadline } : { request: next, fire };
}

/** Ends the chain: nobody is left to ask; the request stays with whoever has it. */
function endChain(
  org: OrgDefinition,
  request: RequestState,
  trigger: EscalationTrigger,
  rule: string,
  now: number,
  note: string | undefined,
): PlanStep {
  const reason = escalationReason({
    request,
    trigger,
    rule,
    to: [],
    now,
    ...(note === undefined ? {} : { note }),
  });
  const next: RequestState = { ...request, ended: { at: now, reason } };
  delete next.ladder;
  return stay(org, next, now, reason);
}

/** Acts on a deadline that has passed. */
function act(org: OrgDefinition, request: RequestState, deadline: Deadline, now: number): PlanStep {
  const note = deadline.note === undefined ? {} : { note: deadline.note };
  if (deadline.source === 'ladder' && deadline.ladderStep !== undefined) {
    const ladder = { rule: deadline.rule, step: deadline.ladderStep, stepStartedAt: now };
    return escalate(org, { ...request, ladder }, 'ladder', deadline.rule, deadline.to, now, {
      ...note,
      ladderStep: deadline.ladderStep,
      keepLadder: true,
    });
  }
  const trigger =
    deadline.source === 'severity' ? 'severity' : deadline.source === 'ladder' ? 'ladder' : 'wait';
  if (deadline.to.length === 0)
    return endChain(org, request, trigger, deadline.rule, now, deadline.note);
  return escalate(org, request, trigger, deadline.rule, deadline.to, now, note);
}

/**
 * A request just sent: a severity rule that applies at once fires now (skipping levels);
 * otherwise a ladder that applies starts, its first rung asked at once. Calling it again for
 * the same request changes nothing.
 */
export function onSend(org: OrgDefinition, request: RequestState, now: number): PlanStep {
  if (request.status !== 'open' || request.ladder || request.fired.length > 0)
    return stay(org, request, now);
  const deadline = deadlineOf(org, request, now);
  if (deadline?.source === 'severity' && deadline.overdue) return act(org, request, deadline, now);
  const context = contextOf(org, request);
  const ladder = context.rules?.ladders?.find((candidate) => appliesTo(candidate, request));
  const first = ladder?.steps[0];
  if (!ladder || !first) return stay(org, request, now);
  const started = { ...request, ladder: { rule: ladder.id, step: 0, stepStartedAt: now } };
  const to = rungTargets(org, context, first, request);
  return escalate(org, started, 'ladder', ladder.id, to, now, { ladderStep: 0, keepLadder: true });
}

/**
 * Records a failure on the request; when it brings a strike rule's count of matching failures
 * to the rule's `count`, an escalation carrying every attempt so far. Each strike rule fires
 * once per request.
 */
export function onFailure(
  org: OrgDefinition,
  request: RequestState,
  failure: FailureRecord,
  now: number,
): PlanStep {
  if (request.status !== 'open') return stay(org, request, now);
  const recorded: RequestState = { ...request, failures: [...request.failures, failure] };
  const context = contextOf(org, recorded);
  for (const rule of context.rules?.strikes ?? []) {
    const counts = (kind: FailureRecord['kind']) => !rule.failures || rule.failures.includes(kind);
    if (!counts(failure.kind)) continue;
    if (recorded.failures.filter((entry) => counts(entry.kind)).length !== rule.count) continue;
    const target = resolveEscalation(
      org,
      context.asker,
      context.rules,
      rule.to,
      recorded.waitingOn[0],
      takenBy(recorded),
    );
    const note = target.note === undefined ? {} : { note: target.note };
    if (target.to === undefined) {
      const ended = escalationReason({
        request: recorded,
        trigger: 'strike',
        rule: rule.id,
        to: [],
        now,
        ...note,
      });
      return stay(org, recorded, now, ended);
    }
    return escalate(org, recorded, 'strike', rule.id, [target.to], now, note);
  }
  return stay(org, recorded, now);
}

/**
 * A timer went off: if the request's deadline has passed, the escalation(s) to fire and the
 * request's next state (waiting on the new target under that target's rules, or on the
 * ladder's next rung). A request whose deadline has not passed, or that is answered, is left
 * as it is, so a second call for the same level fires nothing.
 */
export function onDue(org: OrgDefinition, request: RequestState, now: number): PlanStep {
  const deadline = deadlineOf(org, request, now);
  if (!deadline) return { request, fire: [] };
  if (!deadline.overdue) return { request, fire: [], deadline };
  return act(org, request, deadline, now);
}

/**
 * An answer arrived (from the recipient, or from anyone the chain reached): the request
 * closes, its pending escalation is cancelled (no deadline is left), and the escalations
 * fired for it are settled. A second answer changes nothing.
 */
export function onAnswer(request: RequestState, from: string, now: number): AnswerStep {
  if (request.status !== 'open') return { request, settle: [], escalated: false };
  return {
    request: { ...request, status: 'answered', answeredBy: from, answeredAt: now },
    settle: request.fired.map((fired) => ({
      escalationId: fired.escalationId,
      status: fired.to === from ? 'answered' : 'cancelled',
    })),
    escalated: request.fired.length > 0,
  };
}
