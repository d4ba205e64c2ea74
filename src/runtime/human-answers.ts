import { messageText } from '../a2a/message-text.js';
import { recordHumanAnswer } from '../escalation/human-answer.js';
import { humanOf } from '../escalation/targets.js';
import { ruleSetOf } from '../org/escalation-path.js';
import { parseDuration } from '../org/duration.js';
import type { DefaultDecision, HumanRule } from '../org/escalation-schema.js';
import type { EscalationRecord } from '../store/store.js';
import type { Kernel, RunContext } from './kernel.js';
import type { SessionState } from './session.js';
import { answer } from './session-turn.js';
import { stableId } from './stable-id.js';

/** How often a runtime looks in the store for answers given from elsewhere (`cadre answer`). */
export const humanPollMs = 500;

/**
 * An escalation reached a person: the run waits for their answer, given in this process
 * (`runtime.answerEscalation`, the terminal prompt, an MCP client) or in another one
 * (`cadre answer` writes it to the store, where this runtime looks every `humanPollMs`).
 * When the asker's rule set has a `human` rule, its default decision stands once
 * `answer_within` has passed without an answer.
 */
export function awaitHuman(kernel: Kernel, record: EscalationRecord): void {
  kernel.humanWaits.set(record.escalationId, record.runId);
  if (kernel.humanPoll.timer === undefined) {
    kernel.humanPoll.timer = setInterval(() => {
      kernel.track(pollHumanAnswers(kernel));
    }, humanPollMs);
  }
  const asker = kernel.byId.get(record.asker);
  const rule = asker ? ruleSetOf(kernel.org, asker)?.human : undefined;
  const within = rule ? parseDuration(rule.answer_within) : undefined;
  if (!rule || within === undefined) return;
  kernel.timers.arm(`human:${record.escalationId}`, record.firedAt + within, () => {
    kernel.track(decideByDefault(kernel, record, rule));
  });
}

/** What stands when nobody answered: written as the answer, by `default`. */
export function defaultAnswer(rule: HumanRule): string {
  const decisions: Record<DefaultDecision, string> = {
    approve: 'approved: go ahead',
    deny: 'denied: do not go ahead',
    'go-on': 'no decision: go on with your own judgement',
  };
  return `Nobody answered within ${rule.answer_within}; the default decision stands: ${decisions[rule.default]}.`;
}

async function decideByDefault(
  kernel: Kernel,
  record: EscalationRecord,
  rule: HumanRule,
): Promise<void> {
  if (!kernel.humanWaits.has(record.escalationId)) return;
  try {
    const answered = await recordHumanAnswer(
      kernel.store,
      record.escalationId,
      defaultAnswer(rule),
      {
        by: 'default',
        at: kernel.now(),
      },
    );
    await deliverHumanAnswer(kernel, answered);
  } catch {
    // Answered meanwhile (by the person, from another process): the poll delivers that answer.
    await pollHumanAnswers(kernel);
  }
}

/** Looks in the store for answers to the escalations people were asked; delivers each one found. */
export async function pollHumanAnswers(kernel: Kernel): Promise<void> {
  for (const escalationId of [...kernel.humanWaits.keys()]) {
    const record = await kernel.store.getEscalation(escalationId);
    if (!record || record.status === 'cancelled') forget(kernel, escalationId);
    else if (record.status === 'answered') await deliverHumanAnswer(kernel, record);
  }
}

/**
 * Sends a person's answer to whoever waited on the escalation, as a reply to it (under an id
 * made from the escalation's, so that it is delivered once however many times it is found).
 */
export async function deliverHumanAnswer(kernel: Kernel, record: EscalationRecord): Promise<void> {
  if (!kernel.humanWaits.has(record.escalationId)) return;
  forget(kernel, record.escalationId);
  const run = kernel.runs.get(record.runId);
  if (!run || run.done || record.answer === undefined) return;
  if (record.rule === personRule) {
    // The person's answer is the agent's answer to whoever asked.
    const session = kernel.sessions.get(`${record.waitedOn}:${record.requestMessageId}`);
    if (session) await answer(kernel, run, session, record.answer, false);
    return;
  }
  const request = kernel.watched.get(record.requestMessageId)?.message;
  await kernel.send(run, {
    messageId: stableId(record.escalationId, 'answer'),
    // A default decision comes from the person's place: its text says nobody answered.
    from:
      record.answeredBy === undefined || record.answeredBy === 'default'
        ? record.to
        : record.answeredBy,
    to: record.asker,
    kind: 'reply',
    text: record.answer,
    taskId: request?.taskId ?? kernel.newId(),
    inReplyTo: record.escalationId,
    hop: (request?.hop ?? 0) + 1,
  });
}

/**
 * The top of the org escalates (the `escalate` tool of an agent with no manager): when its
 * rule set names a person, the escalation goes to them and the session waits for the answer.
 * Resolves the escalation, or `undefined` when the rule set names nobody.
 */
export async function escalateToHuman(
  kernel: Kernel,
  run: RunContext,
  session: SessionState,
  toolUseId: string,
  fields: { reason: string; severity: string },
): Promise<EscalationRecord | undefined> {
  const to = humanOf(ruleSetOf(kernel.org, session.agent));
  if (to === undefined) return undefined;
  const escalationId = stableId(session.id, toolUseId);
  const waitFor = () => {
    session.open.set(escalationId, { toolUseId, messageId: escalationId, to, kind: 'escalation' });
    kernel.waitingOn.set(escalationId, session);
  };
  // A resumed run replaying this call: the person was asked already (and may have answered).
  const known = run.resumed ? await kernel.store.getEscalation(escalationId) : undefined;
  if (known) {
    waitFor();
    awaitHuman(kernel, known);
    if (known.status === 'answered') await deliverHumanAnswer(kernel, known);
    return known;
  }
  const record: EscalationRecord = {
    escalationId,
    runId: run.runId,
    requestMessageId: escalationId,
    asker: session.agent.id,
    waitedOn: session.agent.id,
    to,
    rule: 'escalate',
    reason: `${session.agent.id} (${session.agent.name}) asks for a decision [${fields.severity}]: ${fields.reason}\n\nIt is working on: ${messageText(session.request).slice(0, 500)}`,
    level: 1,
    firedAt: kernel.now(),
    status: 'open',
  };
  kernel.emit(run, {
    type: 'escalation-fired',
    runId: run.runId,
    agent: record.asker,
    at: record.firedAt,
    escalationId,
    requestMessageId: escalationId,
    to,
    rule: record.rule,
    trigger: 'escalate',
    level: 1,
    reason: record.reason,
  });
  waitFor();
  kernel.track(
    kernel
      .serially(`escalation:${escalationId}`, () => kernel.store.saveEscalation(record))
      .then(() => awaitHuman(kernel, record)),
  );
  return record;
}

/**
 * A request reached an agent whose place a person fills (`human: true`): it waits for their
 * answer like an escalation to them (`human:<agent id>`), and their answer is the agent's.
 */
export async function askPersonInPlace(
  kernel: Kernel,
  run: RunContext,
  session: SessionState,
  heading: string,
): Promise<void> {
  const escalationId = stableId(session.id, 'person');
  session.status = 'waiting';
  const known = run.resumed ? await kernel.store.getEscalation(escalationId) : undefined;
  const record: EscalationRecord = known ?? {
    escalationId,
    runId: run.runId,
    requestMessageId: session.request.messageId,
    asker: session.request.from,
    waitedOn: session.agent.id,
    to: `human:${session.agent.id}`,
    rule: personRule,
    reason: `${heading} to ${session.agent.name} (${session.agent.id}), a place a person fills:\n\n${messageText(session.request)}`,
    level: 0,
    firedAt: kernel.now(),
    status: 'open',
  };
  if (!known) {
    kernel.emit(run, {
      type: 'escalation-fired',
      runId: run.runId,
      agent: session.agent.id,
      at: record.firedAt,
      escalationId,
      requestMessageId: record.requestMessageId,
      to: record.to,
      rule: personRule,
      trigger: personRule,
      level: 0,
      reason: record.reason,
    });
    await kernel.serially(`escalation:${escalationId}`, () => kernel.store.saveEscalation(record));
  }
  awaitHuman(kernel, record);
  if (record.status === 'answered') await deliverHumanAnswer(kernel, record);
}

/** The rule name of a request waiting on a person in an agent's place. */
export const personRule = 'person';

function forget(kernel: Kernel, escalationId: string): void {
  kernel.humanWaits.delete(escalationId);
  kernel.timers.cancel(`human:${escalationId}`);
  if (kernel.humanWaits.size > 0 || kernel.humanPoll.timer === undefined) return;
  clearInterval(kernel.humanPoll.timer);
  kernel.humanPoll.timer = undefined;
}
