import type { A2AMessage } from '../a2a/message.js';
import { messageText } from '../a2a/message-text.js';
import type { ModelMessage } from '../model/model.js';
import type { AgentDefinition } from '../org/org-definition.js';
import type { Kernel, RunContext } from './kernel.js';
import { userAgentId } from './runtime-types.js';
import { chainOf, recordResult, replyFailed } from './session.js';
import type { SessionState } from './session.js';
import { originalRequestOf, recordFailure, settleRequest } from './escalations.js';
import { askPersonInPlace } from './human-answers.js';
import { continueIfComplete, runTurn } from './session-turn.js';

/** Opens a session for an incoming task, question or escalation (once per message) and runs its first turn. */
export async function startSession(
  kernel: Kernel,
  run: RunContext,
  agent: AgentDefinition,
  request: A2AMessage,
): Promise<void> {
  const { now, sessions, byId, emit } = kernel;
  const id = `${agent.id}:${request.messageId}`;
  if (sessions.has(id)) {
    kernel.markHandled(request);
    return;
  }
  const asker =
    request.from === userAgentId
      ? 'the person running this org'
      : `${request.from} (${byId.get(request.from)?.name ?? request.from})`;
  const heading =
    request.kind === 'task'
      ? `Task from ${asker}`
      : request.kind === 'question'
        ? `Question from ${asker}`
        : `Escalation (${request.severity}${request.tags.length > 0 ? `, ${request.tags.join(', ')}` : ''}) from ${asker}`;
  const chain = chainOf(request);
  const session: SessionState = {
    id,
    runId: run.runId,
    agent,
    request,
    chain: chain.includes(agent.id) ? chain : [...chain, agent.id],
    messages: [
      ...(request.messageId === run.requestId
        ? run.history.flatMap((exchange): ModelMessage[] => [
            { role: 'user', content: exchange.task },
            { role: 'assistant', content: exchange.answer },
          ])
        : []),
      { role: 'user', content: `${heading}:\n\n${messageText(request)}` },
    ],
    savedMessages: 0,
    toolOrder: [],
    results: new Map(),
    open: new Map(),
    turns: 0,
    tokens: 0,
    status: 'running',
  };
  sessions.set(id, session);
  emit(run, {
    type: 'session-start',
    runId: run.runId,
    agent: agent.id,
    at: now(),
    sessionId: id,
    asker: request.from,
    kind: request.kind,
    taskId: request.taskId,
  });
  // The session is on record before its request counts as handled: a crash between the two
  // delivers the request again, and the rebuilt session takes it once.
  if (kernel.durable) await kernel.checkpoint(session);
  kernel.markHandled(request);
  if (agent.human) await askPersonInPlace(kernel, run, session, heading);
  // Returned, not awaited: the session's opening frame ends here instead of waiting out the turn.
  else return runTurn(kernel, run, session);
}

/** Puts an answer into the session that waits on it; the session goes on once every request it sent is answered. */
export async function resume(kernel: Kernel, run: RunContext, message: A2AMessage): Promise<void> {
  const { waitingOn } = kernel;
  if (message.inReplyTo === undefined) return;
  // The first answer wins: from the request's target, or from whoever its escalation reached.
  const requestId = originalRequestOf(kernel, message.inReplyTo);
  const session = waitingOn.get(requestId);
  const open = session?.open.get(requestId);
  if (!session || !open) {
    // Late, a second answer, or one whose effect was saved before the process died.
    kernel.markHandled(message);
    return;
  }
  if (replyFailed(message) && message.inReplyTo === requestId) {
    // A failed task is a strike on its request; when that escalates it, the asker waits for
    // the escalation's answer instead of taking the failure.
    const level = kernel.watched.get(requestId)?.state.level ?? 0;
    recordFailure(kernel, run, requestId, {
      kind: 'task-failed',
      detail: `${message.from}: ${messageText(message)}`.slice(0, 300),
    });
    if ((kernel.watched.get(requestId)?.state.level ?? 0) > level) {
      kernel.markHandled(message);
      return;
    }
  }
  waitingOn.delete(requestId);
  session.open.delete(requestId);
  const { escalated, strikes } = settleRequest(kernel, requestId, message.from);
  const failed = replyFailed(message);
  const why =
    !escalated || message.from === open.to
      ? ''
      : strikes === undefined
        ? ` (${open.to} did not answer in time; the request escalated to ${message.from})`
        : ` (${open.to} failed ${strikes} times; the request escalated to ${message.from})`;
  recordResult(
    session,
    open.toolUseId,
    `${failed ? 'Failed' : 'Answer'} from ${message.from}${why}: ${messageText(message)}`,
    failed,
  );
  if (kernel.durable) await kernel.checkpoint(session);
  kernel.markHandled(message);
  return continueIfComplete(kernel, run, session);
}

/** The bus handler of one agent's inbox (or the person's): idempotent on messageId. */
export function handlerFor(kernel: Kernel, agentId: string) {
  const { runs, byId, track, endRun } = kernel;
  return async (message: A2AMessage) => {
    const run = runs.get(message.contextId);
    if (!run || run.done || run.handled.has(message.messageId)) return;
    run.handled.add(message.messageId);
    if (agentId === userAgentId) {
      kernel.markHandled(message);
      if (message.kind === 'reply' && message.inReplyTo === run.requestId) {
        endRun(
          run,
          replyFailed(message)
            ? { status: 'failed', error: messageText(message) }
            : { status: 'completed', answer: messageText(message) },
        );
      }
      return;
    }
    const agent = byId.get(agentId);
    if (!agent) return;
    if (message.kind === 'report') kernel.markHandled(message);
    else if (message.kind === 'reply')
      track(
        resume(kernel, run, message).catch((error: unknown) =>
          endRun(run, { status: 'failed', error: String(error) }),
        ),
      );
    else if (
      message.kind === 'task' ||
      message.kind === 'question' ||
      message.kind === 'escalation'
    ) {
      track(
        startSession(kernel, run, agent, message).catch((error: unknown) =>
          endRun(run, { status: 'failed', error: String(error) }),
        ),
      );
    }
  };
}
