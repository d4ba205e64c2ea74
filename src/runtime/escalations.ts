import type { A2AMessage } from '../a2a/message.js';
import { messageText } from '../a2a/message.js';
import { onAnswer, onDue, onSend } from '../escalation/plan.js';
import type { PlanStep } from '../escalation/plan.js';
import { requestFromMessage } from '../escalation/request-state.js';
import type { RequestState } from '../escalation/request-state.js';
import { isHuman } from '../escalation/targets.js';
import type { Escalation } from '../escalation/escalation.js';
import type { Kernel, RunContext } from './kernel.js';

/** A request the escalation engine watches, with the message that carried it. */
export interface WatchedRequest {
  state: RequestState;
  message: A2AMessage;
}

/**
 * Starts watching a request an agent sent (a task, a question, an escalation): the engine may
 * escalate it at once (a severity rule, a ladder) and arms its deadline.
 */
export function watchRequest(kernel: Kernel, run: RunContext, message: A2AMessage): void {
  const state = requestFromMessage(message);
  if (!state) return;
  kernel.watched.set(message.messageId, { state, message });
  apply(kernel, run, message.messageId, onSend(kernel.org, state, kernel.now()));
}

/**
 * The id of the request an answer settles: the request itself, or the one an escalation was
 * fired for (its target's answer goes back to the original asker).
 */
export function originalRequestOf(kernel: Kernel, messageId: string): string {
  return kernel.origins.get(messageId) ?? messageId;
}

/** Closes a watched request on its first answer: its timer is cancelled; says whether it had escalated. */
export function settleRequest(
  kernel: Kernel,
  requestId: string,
  from: string,
): { escalated: boolean } {
  const watched = kernel.watched.get(requestId);
  if (!watched) return { escalated: false };
  const step = onAnswer(watched.state, from, kernel.now());
  kernel.watched.delete(requestId);
  kernel.timers.cancel(requestId);
  return { escalated: step.escalated };
}

function apply(kernel: Kernel, run: RunContext, requestId: string, step: PlanStep): void {
  const watched = kernel.watched.get(requestId);
  if (!watched || run.done) return;
  watched.state = step.request;
  for (const escalation of step.fire) fire(kernel, run, watched, escalation);
  if (step.deadline) {
    kernel.timers.arm(requestId, step.deadline.dueAt, () => {
      const current = kernel.watched.get(requestId);
      if (current && !run.done)
        apply(kernel, run, requestId, onDue(kernel.org, current.state, kernel.now()));
    });
  } else {
    kernel.timers.cancel(requestId);
  }
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
    reason: escalation.reason,
  });
  // A person at the top is asked through `cadre answer` (not yet wired into runs): the event says so.
  if (isHuman(escalation.to) || !kernel.byId.has(escalation.to)) return;
  const messageId = kernel.newId();
  kernel.origins.set(messageId, escalation.requestMessageId);
  const original = watched.message;
  kernel.track(
    kernel
      .send(run, {
        messageId,
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
