import { redactSecrets } from '../../tools/shared/redact.js';
import type { A2AMessage } from '../a2a/message.js';
import { messageText } from '../a2a/message-text.js';
import type { Deadline, Escalation } from '../escalation/escalation.js';
import { contextOf } from '../escalation/deadline.js';
import { onAnswer, onDue, onFailure, onSend } from '../escalation/plan.js';
import type { PlanStep } from '../escalation/plan.js';
import { escalationRecordOf, requestRecordOf } from '../escalation/records.js';
import { requestFromMessage } from '../escalation/request-state.js';
import type { FailureRecord, RequestState } from '../escalation/request-state.js';
import { isHuman } from '../escalation/targets.js';
import { recordHumanAnswer } from '../escalation/human-answer.js';
import type { EscalationRecord } from '../store/store.js';
import { awaitHuman, deliverHumanAnswer } from './human-answers.js';
import type { Kernel, RunContext } from './kernel.js';

/** A request the escalation engine watches, with the message that carried it. */
export interface WatchedRequest {
  state: RequestState;
  message: A2AMessage;
}

/**
 * Starts watching a request an agent sent (a task, a question, an escalation): the engine may
 * escalate it at once (a severity rule, a ladder) and arms its deadline. A request already
 * watched (a resumed run replaying the turn that sent it) is left as it is, and one whose asker
 * works under no rule set is not watched at all.
 */
export function watchRequest(kernel: Kernel, run: RunContext, message: A2AMessage): void {
  if (kernel.watched.has(message.messageId)) return;
  const state = requestFromMessage(message);
  if (!state) return;
  // An asker under no rule set has no deadline, strike or ladder that could ever fire.
  if (contextOf(kernel.org, state).rules === undefined) return;
  kernel.watched.set(message.messageId, { state, message });
  apply(kernel, run, message.messageId, onSend(kernel.org, state, kernel.now()));
}

/**
 * Records a failure on the request a session works on (a tool error, a model error, a guard
 * trip, a failed answer): a strike rule may escalate it, carrying the attempts so far.
 */
export function recordFailure(
  kernel: Kernel,
  run: RunContext,
  requestId: string,
  failure: Omit<FailureRecord, 'at'>,
): void {
  const watched = kernel.watched.get(requestId);
  if (!watched) return;
  apply(
    kernel,
    run,
    requestId,
    onFailure(kernel.org, watched.state, { ...failure, at: kernel.now() }, kernel.now()),
  );
}

/**
 * The id of the request an answer settles: the request itself, or the one an escalation was
 * fired for (its target's answer goes back to the original asker).
 */
export function originalRequestOf(kernel: Kernel, messageId: string): string {
  return kernel.origins.get(messageId) ?? messageId;
}

/**
 * Closes a watched request on its first answer: its timer is cancelled, the escalations fired
 * for it are settled (answered by whoever answered, the others cancelled); says whether it had
 * escalated, and after how many failed attempts when a strike rule took it up.
 */
export function settleRequest(
  kernel: Kernel,
  requestId: string,
  from: string,
): { escalated: boolean; strikes?: number } {
  const watched = kernel.watched.get(requestId);
  if (!watched) return { escalated: false };
  const last = watched.state.fired.at(-1);
  const strikes =
    last !== undefined &&
    contextOf(kernel.org, watched.state).rules?.strikes?.some((rule) => rule.id === last.rule)
      ? watched.state.failures.length
      : undefined;
  const step = onAnswer(watched.state, from, kernel.now());
  kernel.watched.delete(requestId);
  kernel.timers.cancel(requestId);
  if (kernel.durable) persistRequest(kernel, { ...watched, state: step.request });
  for (const { escalationId, status } of step.settle) {
    kernel.humanWaits.delete(escalationId);
    kernel.track(
      kernel.serially(`escalation:${escalationId}`, async () => {
        const record = await kernel.store.getEscalation(escalationId);
        if (record?.status !== 'open') return;
        await kernel.store.saveEscalation({
          ...record,
          status,
          ...(status === 'answered'
            ? { answeredBy: from, answeredAt: kernel.now(), answer: '(answered in the run)' }
            : {}),
        });
      }),
    );
  }
  return { escalated: step.escalated, ...(strikes === undefined ? {} : { strikes }) };
}

/** What an open request's row keeps in `state`: the engine's state and the message that carried it. */
export interface StoredRequest {
  engine: RequestState;
  message: A2AMessage;
}

/** Writes a watched request's row and engine state (in call order per request). */
function persistRequest(kernel: Kernel, watched: WatchedRequest, deadline?: Deadline): void {
  // Only a resume reads open requests back, and only a durable store has one.
  if (!kernel.durable) return;
  const state: StoredRequest = { engine: watched.state, message: watched.message };
  const record = { ...requestRecordOf(watched.state, deadline), state };
  kernel.track(
    kernel.serially(`request:${watched.state.messageId}`, () => kernel.store.saveRequest(record)),
  );
}

/** Arms the deadline of a watched request: when it passes, the engine decides again. */
export function armDeadline(
  kernel: Kernel,
  run: RunContext,
  requestId: string,
  dueAt: number,
): void {
  kernel.timers.arm(requestId, dueAt, () => deadlinePassed(kernel, run, requestId));
}

/** A request's deadline passed: the engine decides what happens (escalate, or wait on). */
export function deadlinePassed(kernel: Kernel, run: RunContext, requestId: string): void {
  const current = kernel.watched.get(requestId);
  if (current && !run.done)
    apply(kernel, run, requestId, onDue(kernel.org, current.state, kernel.now()));
}

function apply(kernel: Kernel, run: RunContext, requestId: string, step: PlanStep): void {
  const watched = kernel.watched.get(requestId);
  if (!watched || run.done) return;
  watched.state = step.request;
  persistRequest(kernel, watched, step.deadline);
  for (const escalation of step.fire) fire(kernel, run, watched, escalation);
  if (step.deadline) armDeadline(kernel, run, requestId, step.deadline.dueAt);
  else kernel.timers.cancel(requestId);
}

function fire(
  kernel: Kernel,
  run: RunContext,
  watched: WatchedRequest,
  escalation: Escalation,
): void {
  kernel.emit(run, {
    type: 'escalation-fired',
    runId: run.runId,
    agent: escalation.asker,
    at: escalation.firedAt,
    escalationId: escalation.escalationId,
    requestMessageId: escalation.requestMessageId,
    to: escalation.to,
    rule: escalation.rule,
    trigger: escalation.trigger,
    level: escalation.level,
    reason: redactSecrets(escalation.reason),
  });
  const record = escalationRecordOf(escalation);
  kernel.track(
    kernel.serially(`escalation:${record.escalationId}`, () => kernel.store.saveEscalation(record)),
  );
  // The target's answer (an agent's reply to this message, or a person's) settles the request.
  kernel.origins.set(escalation.escalationId, escalation.requestMessageId);
  if (isHuman(escalation.to)) {
    awaitHuman(kernel, record);
    return;
  }
  if (!kernel.byId.has(escalation.to)) return;
  const original = watched.message;
  kernel.track(
    kernel
      .send(run, {
        messageId: escalation.escalationId,
        from: escalation.asker,
        to: escalation.to,
        kind: 'escalation',
        text: `${escalation.reason}\n\nThe request (${original.kind} from ${original.from} to ${original.to}): ${messageText(original)}`,
        taskId: kernel.newId(),
        hop: original.hop + 1,
        severity: escalation.severity,
        tags: escalation.tags,
        data: {
          chain: [escalation.to],
          escalationOf: escalation.requestMessageId,
          rule: escalation.rule,
        },
      })
      .then(() => undefined),
  );
}

/**
 * Records a person's answer to an escalation that reached them, and sends it to whoever was
 * waiting when the run is live in this runtime (a runtime that has the run finds it in the
 * store on its next look). Errors as `recordHumanAnswer`.
 */
export async function answerHumanEscalation(
  kernel: Kernel,
  escalationId: string,
  text: string,
  by?: string,
): Promise<EscalationRecord> {
  const answered = await recordHumanAnswer(kernel.store, escalationId, text, {
    at: kernel.now(),
    ...(by === undefined ? {} : { by }),
  });
  await deliverHumanAnswer(kernel, answered);
  return answered;
}
