import type { EscalationRecord } from '../store/store.js';
import type { Kernel } from './kernel.js';
import { stableId } from './stable-id.js';

/** How often a runtime looks in the store for answers given from elsewhere (`cadre answer`). */
export const humanPollMs = 500;

/**
 * An escalation reached a person: the run waits for their answer, given in this process
 * (`runtime.answerEscalation`, the terminal prompt, an MCP client) or in another one
 * (`cadre answer` writes it to the store, where this runtime looks every `humanPollMs`).
 */
export function awaitHuman(kernel: Kernel, record: EscalationRecord): void {
  kernel.humanWaits.set(record.escalationId, record.runId);
  if (kernel.humanPoll.timer === undefined) {
    kernel.humanPoll.timer = setInterval(() => {
      kernel.track(pollHumanAnswers(kernel));
    }, humanPollMs);
  }
}

/** Looks in the store for answers to the escalations people were asked; delivers each one found. */
export async function pollHumanAnswers(kernel: Kernel): Promise<void> {
  for (const escalationId of [...kernel.humanWaits.keys()]) {
    const record = await kernel.store.getEscalation(escalationId);
    if (!record || record.status === 'cancelled') kernel.humanWaits.delete(escalationId);
    else if (record.status === 'answered') await deliverHumanAnswer(kernel, record);
  }
  stopPollingWhenIdle(kernel);
}

/**
 * Sends a person's answer to whoever waited on the escalation, as a reply to it (under an id
 * made from the escalation's, so that it is delivered once however many times it is found).
 */
export async function deliverHumanAnswer(kernel: Kernel, record: EscalationRecord): Promise<void> {
  if (!kernel.humanWaits.delete(record.escalationId)) return;
  stopPollingWhenIdle(kernel);
  const run = kernel.runs.get(record.runId);
  if (!run || run.done || record.answer === undefined) return;
  const request = kernel.watched.get(record.requestMessageId)?.message;
  await kernel.send(run, {
    messageId: stableId(record.escalationId, 'answer'),
    from: record.answeredBy ?? record.to,
    to: record.asker,
    kind: 'reply',
    text: record.answer,
    taskId: request?.taskId ?? kernel.newId(),
    inReplyTo: record.escalationId,
    hop: (request?.hop ?? 0) + 1,
  });
}

function stopPollingWhenIdle(kernel: Kernel): void {
  if (kernel.humanWaits.size > 0 || kernel.humanPoll.timer === undefined) return;
  clearInterval(kernel.humanPoll.timer);
  kernel.humanPoll.timer = undefined;
}
